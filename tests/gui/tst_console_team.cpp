// #25.4 in the console, through its real widgets (offscreen): on a team (PostgreSQL) history the
// Test plan tab's Runs list shows a colleague's run with who ran it (read on the history reader
// thread), and the Profiles dialog's "Publish profile" and "Import team profile" actions share
// profiles; on a history file both actions are disabled.
#include "ConsoleController.h"
#include "MainWindow.h"
#include "ProfilesDialog.h"
#include "TeamHistoryServer.h"
#include "TestPlanPanel.h"
#include "TestSupport.h"
#include "testplan/TeamTestRuns.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace dcr;
using namespace dcr::test;

namespace {

const WriterIdentity kAlice{QStringLiteral("alice"), QStringLiteral("alice-laptop"), 1111, {}};

// Answers the next modal input dialog with `text` once it shows.
void answerInputDialog(const QString& text) {
    auto* timer = new QTimer(qApp);
    QObject::connect(timer, &QTimer::timeout, [timer, text] {
        if (auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            dialog->setTextValue(text);
            dialog->accept();
        }
    });
    timer->start(20);
}

} // namespace

class TestConsoleTeam : public QObject {
    Q_OBJECT
    TeamHistoryServer m_team;
    QTemporaryDir m_aliceDir;

private slots:
    void initTestCase() {
        const QString started = m_team.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const auto alice = m_team.openAs(m_aliceDir.path(), kAlice);
        TestRunSummary run;
        run.runId = QStringLiteral("a11ce0a1");
        run.profile = QStringLiteral("Bank A");
        run.spec = QStringLiteral("obie-3.3");
        run.started = QDateTime::currentDateTimeUtc();
        run.finished = run.started;
        ScenarioResult r;
        r.scenarioId = QStringLiteral("DCR-002-register");
        r.verdict = Verdict::Passed;
        run.results << r;
        QVERIFY(*shareTestRunWithTeam(*alice, run));
        Profile bank;
        bank.name = QStringLiteral("Bank A");
        bank.registrationUrl = QUrl(QStringLiteral("https://bank.example/register"));
        bank.signingKeyPath = QStringLiteral("/keys/bank-a.pem");
        QVERIFY(alice->saveProfile(bank).ok());
        QVERIFY(alice->publishProfile(bank.name).ok());
    }
    void cleanupTestCase() { m_team.stop(); }

    void teamRunsAndProfilesInTheConsole() {
        QTemporaryDir dir;
        AppPaths paths = AppPaths::under(dir.path());
        paths.historyDb = m_team.url();
        Session session(paths);
        ui::ConsoleController controller(&session);
        controller.start();
        ui::MainWindow window(&controller);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // The Runs list: alice's run, named as hers, from the reader thread.
        auto* panel = window.findChild<ui::TestPlanPanel*>();
        QVERIFY(panel);
        QTRY_VERIFY_WITH_TIMEOUT(panel->pastRuns()->count() == 1, 20000);
        QVERIFY2(
            panel->pastRuns()->itemText(0).contains(QStringLiteral("by alice@alice-laptop (team)")),
            qPrintable(panel->pastRuns()->itemText(0)));

        // The Profiles dialog's team actions.
        Profile mine;
        mine.name = QStringLiteral("Mine");
        mine.registrationUrl = QUrl(QStringLiteral("https://other.example/register"));
        QVERIFY(session.saveProfile(mine).ok());
        ui::ProfilesDialog dialog(&controller, &window);
        dialog.show();
        QVERIFY(dialog.publishAction()->isEnabled());
        QVERIFY(dialog.importAction()->isEnabled());

        answerInputDialog(QStringLiteral("Bank A"));
        dialog.importAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.teamStatus()->text().startsWith(QStringLiteral("Imported")),
                                 20000);
        QVERIFY2(dialog.teamStatus()->text().contains(QStringLiteral("alice@alice-laptop")),
                 qPrintable(dialog.teamStatus()->text()));
        QCOMPARE(session.profile(QStringLiteral("Bank A"))->signingKeyPath,
                 QStringLiteral("/keys/bank-a.pem"));

        // A second import of the same profile asks for another name: the local one is kept.
        answerInputDialog(QStringLiteral("Bank A")); // which profile
        QTimer::singleShot(300, [] { answerInputDialog(QStringLiteral("Bank A copy")); });
        dialog.importAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(session.profile(QStringLiteral("Bank A copy")).has_value(), 20000);

        auto* list = dialog.findChild<QListWidget*>();
        QVERIFY(list);
        list->setCurrentItem(list->findItems(QStringLiteral("Mine"), Qt::MatchExactly).first());
        dialog.publishAction()->trigger();
        QVERIFY2(dialog.teamStatus()->text().startsWith(QStringLiteral("Published \"Mine\"")),
                 qPrintable(dialog.teamStatus()->text()));
        auto published = session.teamProfiles();
        QVERIFY(published.ok());
        QCOMPARE(published->size(), 2);
        QCOMPARE(published->last().name, QStringLiteral("Mine"));
        QCOMPARE(published->last().publisher(), WriterIdentity::current().person());
    }

    // The actions' enabled state follows the history: a file has no team.
    void aHistoryFileDisablesTheTeamActions() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        ui::ConsoleController controller(&session);
        controller.start();
        ui::ProfilesDialog dialog(&controller);
        QVERIFY(!dialog.publishAction()->isEnabled());
        QVERIFY(!dialog.importAction()->isEnabled());
        QVERIFY(dialog.publishAction()->toolTip().contains(QStringLiteral("postgresql://")));
        QVERIFY(!controller.refreshTeamRuns());
    }
};

QTEST_MAIN(TestConsoleTeam)
#include "tst_console_team.moc"
