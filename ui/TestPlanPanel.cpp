#include "TestPlanPanel.h"

#include "TestRunDiffDialog.h"
#include "Tone.h"
#include "common/AtomicFile.h"
#include "common/SuggestedFileName.h"
#include "testplan/TestReport.h"
#include "transport/HttpExchange.h"

#include <algorithm>

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dcr::ui {

namespace {

enum ResultColumn { Scenario, Expected, Got, VerdictColumn, Time, ResultColumns };

Tone verdictTone(Verdict v) {
    switch (v) {
    case Verdict::Passed:
        return Tone::Success;
    case Verdict::Failed:
        return Tone::Error;
    case Verdict::Error:
        return Tone::Warning;
    case Verdict::Skipped:
        return Tone::Muted;
    }
    return Tone::Normal;
}

} // namespace

TestPlanPanel::TestPlanPanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("testPlanPanel"));
    m_scenarios = new QTreeWidget(this);
    m_scenarios->setObjectName(QStringLiteral("testScenarios"));
    m_scenarios->setHeaderLabels({tr("Scenario"), tr("What it does"), tr("Source")});
    m_scenarios->setRootIsDecorated(false);
    m_run = new QPushButton(tr("Run"), this);
    m_run->setObjectName(QStringLiteral("testRun"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("testCancel"));
    m_cancel->setEnabled(false);
    auto* openPlan = new QPushButton(tr("Open plan…"), this);
    auto* junit = new QPushButton(tr("Export JUnit…"), this);
    auto* html = new QPushButton(tr("Export HTML…"), this);
    auto* showHistory = new QPushButton(tr("Show in history"), this);
    showHistory->setObjectName(QStringLiteral("testShowHistory"));
    showHistory->setToolTip(tr("The selected scenario's attempts in the History tab"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("testProgress"));
    m_progress->setMaximumWidth(200);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("testStatus"));
    m_pastRuns = new QComboBox(this);
    m_pastRuns->setObjectName(QStringLiteral("testPastRuns"));
    m_pastRuns->setToolTip(
        tr("Finished runs, kept in the data folder and, on a team history, shared with the team "
           "(each names who ran it); every attempt is in the history too"));
    m_compareWith = new QComboBox(this);
    m_compareWith->setObjectName(QStringLiteral("testCompareWith"));
    m_compareWith->setToolTip(tr("The run the selected run is compared with (before)"));
    m_compare = new QPushButton(tr("Compare…"), this);
    m_compare->setObjectName(QStringLiteral("testCompare"));
    m_compare->setToolTip(tr("What changed from the run picked in \"with\" to the selected run: "
                             "newly failing, newly passing, still failing, changed answers"));
    m_compare->setEnabled(false);
    m_results = new QTableWidget(0, ResultColumns, this);
    m_results->setObjectName(QStringLiteral("testResults"));
    m_results->setHorizontalHeaderLabels(
        {tr("Scenario"), tr("Expected"), tr("Got"), tr("Verdict"), tr("Time")});
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->verticalHeader()->hide();
    // The scenario, what it expects, the verdict and the time are short and read whole ("401
    // WrongRequiredFields"); what it got takes the rest, on one line cut with "…" and whole in its
    // tooltip.
    for (int column : {Scenario, Expected, VerdictColumn, Time})
        m_results->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_results->horizontalHeader()->setSectionResizeMode(Got, QHeaderView::Stretch);
    m_results->setWordWrap(false);
    m_results->setTextElideMode(Qt::ElideRight);
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("testDetail"));
    m_detail->setReadOnly(true);

    connect(m_run, &QPushButton::clicked, this,
            [this] { emit runRequested(checkedScenarioIds()); });
    connect(m_cancel, &QPushButton::clicked, this, &TestPlanPanel::cancelRequested);
    connect(openPlan, &QPushButton::clicked, this, &TestPlanPanel::openPlanRequested);
    connect(m_results, &QTableWidget::itemSelectionChanged, this, &TestPlanPanel::showDetail);
    connect(m_pastRuns, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < m_runs.size())
            showSummary(m_runs.at(index));
    });
    connect(m_pastRuns, &QComboBox::currentIndexChanged, this, &TestPlanPanel::updateCompareState);
    connect(m_compareWith, &QComboBox::currentIndexChanged, this,
            &TestPlanPanel::updateCompareState);
    connect(m_compare, &QPushButton::clicked, this, &TestPlanPanel::compareSelectedRuns);
    connect(showHistory, &QPushButton::clicked, this, [this] {
        const int row = m_results->currentRow();
        if (!m_shown || row < 0 || row >= m_shown->results.size() ||
            m_shown->results.at(row).historyIds.isEmpty())
            return;
        emit historyRequested(m_shown->runId, m_shown->results.at(row).historyIds.last());
    });
    auto exportWith = [this](const QString& title, const QString& filter,
                             Status (TestPlanPanel::*write)(const QString&) const) {
        const QString extension = filter.section(QStringLiteral("*."), 1).section(u')', 0, 0);
        const QString path =
            QFileDialog::getSaveFileName(this, title, proposedReportName(extension), filter);
        if (path.isEmpty())
            return;
        if (auto ok = (this->*write)(path); !ok)
            showError(ok.error().message);
        else
            m_status->setText(tr("Saved %1.").arg(path));
    };
    connect(junit, &QPushButton::clicked, this, [exportWith] {
        exportWith(tr("JUnit report"), tr("JUnit XML (*.xml)"), &TestPlanPanel::exportJunit);
    });
    connect(html, &QPushButton::clicked, this, [exportWith] {
        exportWith(tr("HTML report"), tr("HTML (*.html)"), &TestPlanPanel::exportHtml);
    });

    auto* top = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*>{m_run, m_cancel, m_progress, openPlan})
        top->addWidget(w);
    top->addStretch(1);
    top->addWidget(new QLabel(tr("Runs:"), this));
    top->addWidget(m_pastRuns);
    top->addWidget(new QLabel(tr("with:"), this));
    top->addWidget(m_compareWith);
    top->addWidget(m_compare);
    for (QWidget* w : std::initializer_list<QWidget*>{showHistory, junit, html})
        top->addWidget(w);
    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(m_results);
    lower->addWidget(m_detail);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_scenarios);
    split->addWidget(lower);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
}

void TestPlanPanel::setPlan(const TestPlan& plan) {
    m_scenarios->clear();
    for (const TestScenario& s : plan.scenarios) {
        auto* item = new QTreeWidgetItem(m_scenarios, {s.id, s.title, s.source});
        item->setCheckState(0, Qt::Checked);
    }
    for (int c = 0; c < 3; ++c)
        m_scenarios->resizeColumnToContents(c);
    m_status->setText(
        tr("Plan \"%1\": %n scenario(s).", nullptr, static_cast<int>(plan.scenarios.size()))
            .arg(plan.name));
}

QStringList TestPlanPanel::checkedScenarioIds() const {
    QStringList ids;
    for (int i = 0; i < m_scenarios->topLevelItemCount(); ++i)
        if (m_scenarios->topLevelItem(i)->checkState(0) == Qt::Checked)
            ids << m_scenarios->topLevelItem(i)->text(0);
    return ids;
}

void TestPlanPanel::setScenarioChecked(const QString& id, bool checked) {
    for (int i = 0; i < m_scenarios->topLevelItemCount(); ++i)
        if (m_scenarios->topLevelItem(i)->text(0) == id)
            m_scenarios->topLevelItem(i)->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
}

void TestPlanPanel::runStarted(int total) {
    m_results->setRowCount(0);
    m_detail->clear();
    m_shown.reset();
    m_progress->setRange(0, total);
    m_progress->setValue(0);
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    updateCompareState();
    m_status->setText(tr("Running %n scenario(s)…", nullptr, total));
}

void TestPlanPanel::addResultRow(const ScenarioResult& r) {
    const int row = m_results->rowCount();
    m_results->insertRow(row);
    const QStringList cells{r.scenarioId, r.expected, r.got, verdictName(r.verdict),
                            tr("%1 ms").arg(r.elapsedMs)};
    for (int c = 0; c < ResultColumns; ++c) {
        auto* item = new QTableWidgetItem(cells.at(c));
        item->setToolTip(cells.at(c));
        if (c == VerdictColumn)
            item->setForeground(toneColour(verdictTone(r.verdict), palette()));
        m_results->setItem(row, c, item);
    }
}

void TestPlanPanel::showProgress(int done, int total, const ScenarioResult& result) {
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    addResultRow(result);
}

void TestPlanPanel::runFinished(const TestRunSummary& summary) {
    m_run->setEnabled(true);
    m_cancel->setEnabled(false);
    addPastRun(summary);
    showSummary(summary);
}

QString TestPlanPanel::pastRunText(const TestRunSummary& summary) {
    const QString when =
        summary.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const QString result = summary.cancelled               ? tr("cancelled")
                           : !summary.stopReason.isEmpty() ? tr("stopped")
                           : summary.allMet()              ? tr("all met")
                                                           : tr("not all met");
    QString text = tr("%1 — %2 (%3) — %4: %5 passed, %6 failed, %7 of %8 played")
                       .arg(when, summary.profile, summary.spec, result)
                       .arg(summary.count(Verdict::Passed))
                       .arg(summary.count(Verdict::Failed))
                       .arg(summary.results.size())
                       .arg(std::max<qsizetype>(summary.planned, summary.results.size()));
    if (!summary.who.isEmpty())
        text += tr(" — by %1").arg(summary.who);
    if (summary.origin == TestRunSummary::Origin::Team)
        text += tr(" (team)");
    return text;
}

void TestPlanPanel::setPastRuns(const QList<TestRunSummary>& runs) {
    auto idAt = [this](int index) {
        return index >= 0 && index < m_runs.size() ? m_runs.at(index).runId : QString();
    };
    const QString selected = idAt(m_pastRuns->currentIndex());
    const QString with = idAt(m_compareWith->currentIndex());
    {
        const QSignalBlocker quietRuns(m_pastRuns);
        const QSignalBlocker quietWith(m_compareWith);
        m_runs.clear();
        m_pastRuns->clear();
        m_compareWith->clear();
    }
    for (const TestRunSummary& run : runs)
        addPastRun(run);
    auto indexOf = [this](const QString& runId) {
        for (int i = 0; i < m_runs.size(); ++i)
            if (!runId.isEmpty() && m_runs.at(i).runId == runId)
                return i;
        return -1;
    };
    if (const int i = indexOf(selected); i >= 0)
        m_pastRuns->setCurrentIndex(i);
    if (const int i = indexOf(with); i >= 0 && i != m_pastRuns->currentIndex())
        m_compareWith->setCurrentIndex(i);
    updateCompareState();
}

void TestPlanPanel::addPastRun(const TestRunSummary& summary) {
    m_runs.append(summary);
    m_pastRuns->addItem(pastRunText(summary));
    m_pastRuns->setItemData(m_pastRuns->count() - 1, pastRunText(summary), Qt::ToolTipRole);
    m_compareWith->addItem(pastRunText(summary));
    m_compareWith->setItemData(m_compareWith->count() - 1, pastRunText(summary), Qt::ToolTipRole);
    // The newest run against the one before it: what the ASPSP's latest release changed. Runs
    // come oldest first (at start, loadTestRuns' order; then each finished run).
    m_pastRuns->setCurrentIndex(m_pastRuns->count() - 1);
    if (m_compareWith->count() >= 2)
        m_compareWith->setCurrentIndex(m_compareWith->count() - 2);
    updateCompareState();
}

void TestPlanPanel::updateCompareState() {
    const int after = m_pastRuns->currentIndex();
    // The same run on both sides compares nothing: "with" moves to another one.
    if (after >= 0 && m_compareWith->currentIndex() == after && m_runs.size() >= 2) {
        const QSignalBlocker quiet(m_compareWith);
        m_compareWith->setCurrentIndex(after > 0 ? after - 1 : 1);
    }
    const int before = m_compareWith->currentIndex();
    m_compare->setEnabled(!m_cancel->isEnabled() && after >= 0 && before >= 0 && after != before &&
                          after < m_runs.size() && before < m_runs.size());
}

void TestPlanPanel::compareSelectedRuns() {
    if (!m_compare->isEnabled())
        return;
    // The summaries this panel holds: a run that was never saved (the data folder not writable)
    // compares as well as a saved one, and nothing is read from disk on the GUI thread.
    showComparison(TestRunDiff::compare(m_runs.at(m_compareWith->currentIndex()),
                                        m_runs.at(m_pastRuns->currentIndex())));
}

void TestPlanPanel::showComparison(const TestRunDiff& diff) {
    if (!m_comparison)
        m_comparison = new TestRunDiffDialog(this);
    m_comparison->showDiff(diff);
    m_comparison->show();
    m_comparison->raise();
}

void TestPlanPanel::showSummary(const TestRunSummary& summary) {
    m_shown = summary;
    // The run's own progress: a cancelled or stopped run did not play every scenario.
    const int played = static_cast<int>(summary.results.size());
    m_progress->setRange(0, std::max(summary.planned, played));
    m_progress->setValue(played);
    m_results->setRowCount(0);
    for (const ScenarioResult& r : summary.results)
        addResultRow(r);
    m_results->resizeColumnToContents(Scenario);
    m_status->setText(
        tr("Run %1 on \"%2\" (%3): %4 passed, %5 failed, %6 skipped, %7 "
           "errors%8.")
            .arg(summary.runId, summary.profile, summary.spec)
            .arg(summary.count(Verdict::Passed))
            .arg(summary.count(Verdict::Failed))
            .arg(summary.count(Verdict::Skipped))
            .arg(summary.count(Verdict::Error))
            .arg(summary.endNote().isEmpty() ? QString() : tr("; ") + summary.endNote()));
}

void TestPlanPanel::showError(const QString& message) {
    m_status->setText(message);
}

void TestPlanPanel::showDetail() {
    const int row = m_results->currentRow();
    if (!m_shown || row < 0 || row >= m_shown->results.size()) {
        m_detail->clear();
        return;
    }
    // toJson masks secrets, whatever the body format.
    m_detail->setPlainText(QString::fromUtf8(
        QJsonDocument(m_shown->results.at(row).toJson()).toJson(QJsonDocument::Indented)));
}

QString TestPlanPanel::proposedReportName(const QString& extension) const {
    if (!m_shown)
        return suggestedFileName({QStringLiteral("test-run")}, extension);
    return suggestedFileName(
        {m_shown->profile, m_shown->runId, fileNameDate(m_shown->started.toUTC().date())},
        extension);
}

Status TestPlanPanel::exportJunit(const QString& path) const {
    if (!m_shown)
        return Error{ErrorKind::InputUnreadable, tr("no run to export yet")};
    return saveTestRunReport(path, *m_shown, &writeTestRunJunitXml);
}

Status TestPlanPanel::exportHtml(const QString& path) const {
    if (!m_shown)
        return Error{ErrorKind::InputUnreadable, tr("no run to export yet")};
    return saveTestRunReport(path, *m_shown, &writeTestRunHtml);
}

} // namespace dcr::ui
