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
#include "TestSupport.h"
#include "TokenPreview.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
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
};

QTEST_MAIN(TestConsoleTestPlan)
#include "tst_console_testplan.moc"
