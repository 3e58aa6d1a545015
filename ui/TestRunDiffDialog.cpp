#include "TestRunDiffDialog.h"

#include "Tone.h"
#include "common/AtomicFile.h"
#include "common/SuggestedFileName.h"
#include "testplan/TestRunDiffReport.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dcr::ui {

namespace {

Tone kindTone(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::NewlyFailing:
        return Tone::Error;
    case ChangeKind::NewlyPassing:
        return Tone::Success;
    case ChangeKind::StillFailing:
        return Tone::Warning;
    case ChangeKind::ChangedAnswer:
    case ChangeKind::Added:
    case ChangeKind::Removed:
        return Tone::Info;
    case ChangeKind::Unchanged:
        return Tone::Muted;
    }
    return Tone::Normal;
}

QString sideText(const std::optional<ScenarioSide>& side) {
    if (!side)
        return QCoreApplication::translate("dcr::ui::TestRunDiffDialog", "(not played)");
    const QString got = side->shownGot();
    return got.isEmpty() ? verdictName(side->verdict)
                         : QStringLiteral("%1 — %2").arg(verdictName(side->verdict), got);
}

} // namespace

TestRunDiffDialog::TestRunDiffDialog(QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("testRunDiffDialog"));
    setWindowTitle(tr("Compare test runs"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("testDiffSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("testDiffTree"));
    m_tree->setColumnCount(Columns);
    m_tree->setHeaderLabels({tr("Scenario"), tr("Before"), tr("After"), tr("Expected")});
    m_tree->setWordWrap(false);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_export = new QPushButton(tr("Export HTML…"), this);
    m_export->setObjectName(QStringLiteral("testDiffExport"));
    m_export->setToolTip(tr("The regression report for the ASPSP's contact (secrets masked)"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_export, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_export, &QPushButton::clicked, this, [this] {
        if (!m_diff)
            return;
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Regression report"),
            suggestedFileName(
                {m_diff->after().profile, m_diff->before().runId, m_diff->after().runId},
                QStringLiteral("html")),
            tr("HTML (*.html)"));
        if (path.isEmpty())
            return;
        if (auto ok = exportHtml(path); !ok)
            m_summary->setText(ok.error().message);
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    resize(900, 560);
}

void TestRunDiffDialog::showDiff(const TestRunDiff& diff) {
    m_diff = diff;
    QStringList lines{tr("Before: run %1 (%2, %3). After: run %4 (%5, %6).")
                          .arg(diff.before().runId, diff.before().profile, diff.before().spec,
                               diff.after().runId, diff.after().profile, diff.after().spec),
                      diff.hasNewFailures() ? tr("Something fails now that did not before.")
                                            : tr("Nothing fails now that did not before.")};
    lines << diff.notes();
    m_summary->setText(lines.join(u'\n'));
    setTextTone(m_summary, diff.hasNewFailures() ? Tone::Error : Tone::Normal);
    m_tree->clear();
    for (ChangeKind kind : AllChangeKinds)
        addBranch(kind);
    for (int c = 0; c < Columns; ++c)
        m_tree->resizeColumnToContents(c);
}

void TestRunDiffDialog::addBranch(ChangeKind kind) {
    const QList<ScenarioChange> changes = m_diff->changes(kind);
    if (changes.isEmpty())
        return;
    auto* branch = new QTreeWidgetItem(
        m_tree, {tr("%1 (%2)").arg(changeKindTitle(kind), QString::number(changes.size()))});
    branch->setData(0, Qt::UserRole, changeKindName(kind));
    branch->setForeground(0, toneColour(kindTone(kind), palette()));
    QFont bold = branch->font(0);
    bold.setBold(true);
    branch->setFont(0, bold);
    branch->setFirstColumnSpanned(true);
    for (const ScenarioChange& c : changes) {
        const ScenarioSide& named = c.after ? *c.after : *c.before;
        const QStringList cells{c.scenarioId, sideText(c.before), sideText(c.after),
                                named.expected};
        auto* row = new QTreeWidgetItem(branch, cells);
        for (int col = 0; col < Columns; ++col)
            row->setToolTip(col, col == Scenario ? c.title : cells.at(col));
    }
    // What needs reading first is open; what stayed the same is folded away.
    branch->setExpanded(kind != ChangeKind::Unchanged);
}

Status TestRunDiffDialog::exportHtml(const QString& path) const {
    if (!m_diff)
        return Error{ErrorKind::InputUnreadable, tr("no comparison to export yet")};
    return writeFileAtomically(path, testRunDiffHtml(*m_diff));
}

} // namespace dcr::ui
