// The Test plan tab.
// One console per test function (ConsoleFixture.h).
#include "ClaimsForm.h"
#include "ClientsPanel.h"
#include "ConsoleFixture.h"
#include "HistoryPanel.h"
#include "MainWindow.h"
#include "MessageWidget.h"
#include "PostgresCluster.h"
#include "PreflightPanel.h"
#include "ProfilesDialog.h"
#include "ResponseView.h"
#include "ScriptedServer.h"
#include "SendBar.h"
#include "SsaViewer.h"
#include "TestPlanPanel.h"
#include "TestRunDiffDialog.h"
#include "TestSupport.h"
#include "TokenPreview.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslKey>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QXmlStreamReader>

using namespace dcr;
using namespace dcr::test;
using namespace dcr::ui;

namespace {

// A saved run of three scenarios with the given verdicts (pass: 401 refused as expected; fail:
// 201 accepted).
TestRunSummary constructedRun(const QString& runId, const QList<bool>& passes) {
    TestRunSummary run;
    run.runId = runId;
    run.planName = QStringLiteral("built-in");
    run.profile = QStringLiteral("bank");
    run.spec = QStringLiteral("seed");
    run.started = QDateTime::currentDateTimeUtc();
    run.finished = run.started;
    for (int i = 0; i < passes.size(); ++i) {
        ScenarioResult r;
        r.scenarioId = QStringLiteral("scenario-%1").arg(i);
        r.expected = QStringLiteral("401 WrongRequiredFields");
        r.verdict = passes.at(i) ? Verdict::Passed : Verdict::Failed;
        r.httpStatus = passes.at(i) ? 401 : 201;
        r.got = passes.at(i) ? QStringLiteral("401 WrongRequiredFields")
                             : QStringLiteral("201 registered");
        run.results << r;
    }
    run.planned = static_cast<int>(passes.size());
    return run;
}

// The ids under a branch of the comparison tree ("newly_failing", …); empty when it is absent.
QStringList branchIds(QTreeWidget* tree, const QString& kind) {
    QStringList ids;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* branch = tree->topLevelItem(i);
        if (branch->data(0, Qt::UserRole).toString() != kind)
            continue;
        for (int c = 0; c < branch->childCount(); ++c)
            ids << branch->child(c)->text(TestRunDiffDialog::Scenario);
    }
    return ids;
}

} // namespace

class TestConsoleTestPlan : public ConsoleFixture {
    Q_OBJECT

private slots:
    void init() { startConsole(); }
    void cleanup() { stopConsole(); }

    // The Test plan tab: run the built-in plan on the seed sandbox, cancel midway (no attempt left
    // "sending"), run again to the end, read a scenario, open its history entry, export JUnit.
    void testPlanTabRunsCancelsAndOpensHistory() {
        QTRY_VERIFY(m_controller->isProfileReady());
        TestPlanPanel* panel = m_window->testPlanPanel();
        HistoryQuery sending;
        sending.outcome = QStringLiteral("sending");
        const qint64 sendingBefore = *m_session->historyCount(sending);
        QSignalSpy finished(m_controller.get(), &ConsoleController::testRunFinished);
        QSignalSpy progress(m_controller.get(), &ConsoleController::testProgress);
        panel->runButton()->click();
        QVERIFY(m_controller->isTestRunning());
        QVERIFY(!m_window->sendAction()->isEnabled()); // one thing in flight at a time
        QVERIFY(progress.wait(20000));
        panel->cancelButton()->click();
        QVERIFY(finished.wait(20000));
        auto summary = finished.takeFirst().at(0).value<TestRunSummary>();
        QVERIFY(summary.cancelled);
        QVERIFY(summary.results.size() < TestPlan::builtIn().scenarios.size());
        const TestRunSummary cancelled = summary;
        QCOMPARE(*m_session->historyCount(sending), sendingBefore); // none left by the cancel
        QVERIFY(m_window->sendAction()->isEnabled());

        panel->runButton()->click();
        QVERIFY(finished.wait(120000));
        summary = finished.takeFirst().at(0).value<TestRunSummary>();
        QVERIFY(!summary.cancelled);
        QCOMPARE(summary.results.size(), TestPlan::builtIn().scenarios.size());
        QVERIFY2(summary.allMet(), QJsonDocument(summary.toJson()).toJson().constData());
        QCOMPARE(panel->results()->rowCount(), summary.results.size());
        QCOMPARE(panel->pastRuns()->count(), 2);
        // #25.1 review 1: a scenario the cancel cut short (if one was under way) is flagged as
        // such, so the cancelled run compared after the full one shows nothing newly failing.
        for (const ScenarioResult& r : cancelled.results)
            QCOMPARE(r.cancelled, r.reason == QStringLiteral("the run was cancelled"));
        QVERIFY(!TestRunDiff::compare(summary, cancelled).hasNewFailures());

        // A refused scenario: its masked request and answer, then its attempt in the history.
        int row = -1;
        for (int i = 0; i < summary.results.size(); ++i)
            if (summary.results.at(i).httpStatus >= 400 && row < 0)
                row = i;
        QVERIFY(row >= 0);
        panel->results()->selectRow(row);
        QVERIFY(panel->detail()->toPlainText().contains(summary.results.at(row).scenarioId));
        panel->findChild<QPushButton*>(QStringLiteral("testShowHistory"))->click();
        QCOMPARE(m_window->findChild<QTabWidget*>(QStringLiteral("tabs"))->currentWidget(),
                 static_cast<QWidget*>(m_window->historyPanel()));
        QTRY_COMPARE(m_window->historyPanel()->selectedIds(),
                     QList<qint64>{summary.results.at(row).historyIds.last()});

        const QString junit = m_dir->filePath(QStringLiteral("run.xml"));
        QVERIFY(panel->exportJunit(junit).ok());
        QXmlStreamReader xml(test::readFile(junit));
        int testcases = 0;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"testcase")
                ++testcases;
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(testcases, summary.results.size());
        m_window->historyPanel()->filterEdit()->clear();

        // After a restart (another session on the same folders) both runs can be re-opened.
        {
            Session again(consolePaths());
            ConsoleController later(&again);
            const QList<TestRunSummary> saved = later.savedTestRuns();
            QCOMPARE(saved.size(), 2);
            QCOMPARE(saved.last().runId, summary.runId);
            MainWindow window(&later);
            QComboBox* pastRuns = window.testPlanPanel()->pastRuns();
            QCOMPARE(pastRuns->count(), 2);
            emit pastRuns->activated(1);
            QCOMPARE(window.testPlanPanel()->shownRun()->runId, summary.runId);
            QCOMPARE(window.testPlanPanel()->results()->rowCount(), summary.results.size());
            // #22.12: the Runs list names each run's date, profile, spec and result, and a
            // reopened cancelled run shows how far it got, not 100 %.
            const QString planned = QString::number(TestPlan::builtIn().scenarios.size());
            const QString first = pastRuns->itemText(0);
            QVERIFY2(first.contains(cancelled.started.toLocalTime().toString(
                         QStringLiteral("yyyy-MM-dd HH:mm:ss"))),
                     qPrintable(first));
            QVERIFY2(
                first.contains(QStringLiteral("%1 (%2)").arg(cancelled.profile, cancelled.spec)),
                qPrintable(first));
            QVERIFY2(first.contains(QStringLiteral("cancelled")), qPrintable(first));
            QVERIFY2(
                first.contains(
                    QStringLiteral("%1 of %2 played").arg(cancelled.results.size()).arg(planned)),
                qPrintable(first));
            QVERIFY2(pastRuns->itemText(1).contains(QStringLiteral("all met")),
                     qPrintable(pastRuns->itemText(1)));
            auto* bar =
                window.testPlanPanel()->findChild<QProgressBar*>(QStringLiteral("testProgress"));
            QCOMPARE(bar->value(), bar->maximum()); // the finished run: all played
            emit pastRuns->activated(0);
            QCOMPARE(bar->maximum(), int(TestPlan::builtIn().scenarios.size()));
            QCOMPARE(bar->value(), int(cancelled.results.size()));
            QVERIFY(bar->value() < bar->maximum());
        }
    }

    // #25.1 Compare…: enabled only with two different runs and no run under way; it shows the
    // controller's comparison of the two saved runs, grouped by kind of change.
    void compareShowsWhatNewlyFails() {
        TestPlanPanel* panel = m_window->testPlanPanel();
        QPushButton* compare = panel->compareButton();
        QVERIFY(!compare->isEnabled()); // no run yet
        const QString runsDir = consolePaths().testRunsDir;
        const TestRunSummary good = constructedRun(QStringLiteral("900d0001"), {true, true, true});
        const TestRunSummary bad = constructedRun(QStringLiteral("bad00002"), {true, false, false});
        QVERIFY(saveTestRun(runsDir, good).ok());
        panel->addPastRun(good);
        QVERIFY(!compare->isEnabled()); // one run: nothing to compare it with
        QVERIFY(saveTestRun(runsDir, bad).ok());
        panel->addPastRun(bad);
        QVERIFY(compare->isEnabled());
        // As after a restart (past runs added oldest first): the newest run is selected and
        // compared with the one before it, without touching either list.
        QCOMPARE(panel->pastRuns()->currentIndex(), 1);
        QCOMPARE(panel->compareWith()->currentIndex(), 0);
        QTest::mouseClick(compare, Qt::LeftButton);
        TestRunDiffDialog* dialog = panel->comparison();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->shownDiff()->before().runId, good.runId);
        QCOMPARE(dialog->shownDiff()->after().runId, bad.runId);
        // The same run on both sides is not offered: "with" moves to the other one.
        panel->pastRuns()->setCurrentIndex(1);
        panel->compareWith()->setCurrentIndex(1);
        QCOMPARE(panel->compareWith()->currentIndex(), 0);
        QVERIFY(compare->isEnabled());

        QTest::mouseClick(compare, Qt::LeftButton);
        QCOMPARE(dialog->shownDiff()->before().runId, good.runId);
        QCOMPARE(dialog->shownDiff()->after().runId, bad.runId);
        QCOMPARE(branchIds(dialog->tree(), QStringLiteral("newly_failing")),
                 (QStringList{QStringLiteral("scenario-1"), QStringLiteral("scenario-2")}));
        QCOMPARE(branchIds(dialog->tree(), QStringLiteral("unchanged")),
                 QStringList{QStringLiteral("scenario-0")});
        QVERIFY(branchIds(dialog->tree(), QStringLiteral("newly_passing")).isEmpty());
        QTreeWidgetItem* first = dialog->tree()->topLevelItem(0);
        QVERIFY2(first->text(0).contains(QStringLiteral("Newly failing (2)")),
                 qPrintable(first->text(0)));
        QVERIFY(first->isExpanded());
        QTreeWidgetItem* row = first->child(0);
        QVERIFY(row->text(TestRunDiffDialog::Before).contains(QStringLiteral("passed")));
        QVERIFY(row->text(TestRunDiffDialog::After).contains(QStringLiteral("201 registered")));
        QVERIFY(dialog->summary()->text().contains(QStringLiteral("Something fails now")));
        // The regression report from the dialog: written 0600.
        const QString report = m_dir->filePath(QStringLiteral("regression.html"));
        QVERIFY(dialog->exportHtml(report).ok());
        QCOMPARE(QFileInfo(report).permissions() & 0x7777,
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
                     QFileDevice::WriteUser);

        // The other way round: they newly pass.
        panel->pastRuns()->setCurrentIndex(0);
        QCOMPARE(panel->compareWith()->currentIndex(), 1);
        QTest::mouseClick(compare, Qt::LeftButton);
        QCOMPARE(branchIds(dialog->tree(), QStringLiteral("newly_passing")),
                 (QStringList{QStringLiteral("scenario-1"), QStringLiteral("scenario-2")}));
        QVERIFY(branchIds(dialog->tree(), QStringLiteral("newly_failing")).isEmpty());

        // A run under way: no comparison until it ends.
        panel->runStarted(3);
        QVERIFY(!compare->isEnabled());
        const TestRunSummary unsaved = constructedRun(QStringLiteral("0005a7ed"), {false});
        panel->runFinished(unsaved);
        QVERIFY(compare->isEnabled());
        QCOMPARE(panel->compareWith()->currentIndex(), 1); // the run before the new one
        // A run the data folder does not hold (it could not be saved): compared all the same,
        // from the summary the tab holds; the dialog shows this comparison, not the last one.
        QVERIFY(QDir(runsDir).entryList({QStringLiteral("*0005a7ed*")}).isEmpty());
        QTest::mouseClick(compare, Qt::LeftButton);
        QCOMPARE(dialog->shownDiff()->before().runId, bad.runId);
        QCOMPARE(dialog->shownDiff()->after().runId, unsaved.runId);
        QCOMPARE(branchIds(dialog->tree(), QStringLiteral("still_failing")), QStringList{});
        QCOMPARE(branchIds(dialog->tree(), QStringLiteral("unchanged")), QStringList{});
        QCOMPARE(branchIds(dialog->tree(), QStringLiteral("newly_failing")),
                 QStringList{QStringLiteral("scenario-0")});
        QCOMPARE(branchIds(dialog->tree(), QStringLiteral("removed")),
                 (QStringList{QStringLiteral("scenario-1"), QStringLiteral("scenario-2")}));
        auto* status = panel->findChild<QLabel*>(QStringLiteral("testStatus"));
        QVERIFY2(!status->text().contains(QStringLiteral("Cannot compare")),
                 qPrintable(status->text()));
    }
};

QTEST_MAIN(TestConsoleTestPlan)
#include "tst_console_testplan.moc"
