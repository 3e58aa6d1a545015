// #25.4: dcrctl on a team (PostgreSQL) history: `test run` shares the run, `test runs` lists this
// machine's and the team's runs with who ran each, `test diff` compares a colleague's run with
// ours, and `profile publish / list --team / import` share profiles. The colleague (alice) is an
// in-process session with a writer identity of her own; dcrctl runs as this process's user.
#include "TeamHistoryServer.h"
#include "TestSupport.h"
#include "testplan/TeamTestRuns.h"
#include "testplan/TestPlan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

const WriterIdentity kAlice{QStringLiteral("alice"), QStringLiteral("alice-laptop"), 1111, {}};
const QByteArray kToken = "tok-31d0aa7e-never-shared";

} // namespace

class TestDcrctlTeam : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;      // dcrctl's home
    QTemporaryDir m_aliceDir; // alice's machine
    TeamHistoryServer m_team;
    QString m_aliceRun;
    QString m_ownRun;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    ProcessResult dcrctl(QStringList args, const QString& history = {}) {
        return m_team.run(QStringLiteral(DCRCTL_PATH), args, m_dir.path(), history);
    }

private slots:
    void initTestCase() {
        const QString started = m_team.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));

        // Alice shares a run in which the register scenario failed with a token in a plain-text
        // answer, and publishes a profile.
        const auto alice = m_team.openAs(m_aliceDir.path(), kAlice);
        TestRunSummary run;
        run.runId = QStringLiteral("a11ce001");
        run.planName = QStringLiteral("one");
        run.profile = QString::fromLatin1(Session::SandboxProfileName);
        run.spec = QStringLiteral("seed");
        run.started = QDateTime::currentDateTimeUtc().addSecs(-60);
        run.finished = run.started.addSecs(1);
        ScenarioResult r;
        r.scenarioId = QStringLiteral("DCR-002-register");
        r.verdict = Verdict::Failed;
        r.httpStatus = 502;
        r.got = QStringLiteral("502");
        r.responseContentType = "text/plain";
        r.responseBody = "gateway: access_token=" + kToken + " expired\n";
        run.results << r;
        run.planned = 1;
        QVERIFY(*shareTestRunWithTeam(*alice, run));
        m_aliceRun = run.runId;
        Profile bank;
        bank.name = QStringLiteral("Bank A");
        bank.registrationUrl = QUrl(QStringLiteral("https://bank.example/register"));
        bank.signingKeyPath = QStringLiteral("pkcs11:token=hsm;object=signing?pin-value=4321");
        QVERIFY(alice->saveProfile(bank).ok());
        QVERIFY(alice->publishProfile(bank.name).ok());

        // A one-scenario plan for dcrctl's own run.
        QJsonObject builtIn = TestPlan::builtIn().toJson();
        QJsonArray one;
        for (const auto& s : builtIn.value(QStringLiteral("scenarios")).toArray())
            if (s.toObject().value(QStringLiteral("id")).toString() ==
                QStringLiteral("DCR-002-register"))
                one.append(s);
        QCOMPARE(one.size(), 1);
        builtIn.insert(QStringLiteral("name"), QStringLiteral("one"));
        builtIn.insert(QStringLiteral("scenarios"), one);
        writeFile(p(QStringLiteral("one.json")), QJsonDocument(builtIn).toJson());
    }
    void cleanupTestCase() { m_team.stop(); }

    void testRunIsSharedAndListedWithWhoRanIt() {
        auto ran = dcrctl({"test", "run", "--profile", Session::SandboxProfileName, "--plan",
                           p(QStringLiteral("one.json")), "--json"});
        QVERIFY2(ran.exitCode == 0, (ran.out + ran.err).constData());
        QVERIFY2(!ran.err.contains("not shared"), ran.err.constData());
        m_ownRun =
            QJsonDocument::fromJson(ran.out).object().value(QStringLiteral("run_id")).toString();
        QVERIFY(!m_ownRun.isEmpty());

        const QByteArray me = WriterIdentity::current().person().toUtf8();
        auto listed = dcrctl({"test", "runs"});
        QVERIFY2(listed.exitCode == 0, listed.err.constData());
        QVERIFY2(listed.out.contains(m_aliceRun.toUtf8() + "  ") &&
                     listed.out.contains("by alice@alice-laptop  [team]"),
                 listed.out.constData());
        QVERIFY2(listed.out.contains("by " + me + "  [team]"), listed.out.constData());
        QVERIFY2(listed.out.contains("2 run(s) in "), listed.out.constData()); // ours once

        auto json = dcrctl({"test", "runs", "--json"});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray runs = QJsonDocument::fromJson(json.out).array();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(0)["who"].toString(), QStringLiteral("alice@alice-laptop"));
        QCOMPARE(runs.at(0)["shared"].toBool(), true);
        QCOMPARE(runs.at(1)["run_id"].toString(), m_ownRun);
        QVERIFY(!json.out.contains(kToken));
    }

    void testDiffComparesAColleaguesRunWithOurs() {
        QVERIFY(!m_ownRun.isEmpty());
        auto diff = dcrctl({"test", "diff", m_aliceRun, m_ownRun});
        QVERIFY2(diff.exitCode == 0, (diff.out + diff.err).constData()); // nothing newly fails
        QVERIFY2(diff.out.contains("before: " + m_aliceRun.toUtf8()), diff.out.constData());
        QVERIFY2(diff.out.contains("NEWLY PASSING (1)"), diff.out.constData());
        QVERIFY(!diff.out.contains(kToken));
        // The other way round something newly fails: exit 1.
        QCOMPARE(dcrctl({"test", "diff", m_ownRun, m_aliceRun}).exitCode, 1);
        // Without the team history alice's run is nowhere: exit 2, saying where it looked.
        auto alone = dcrctl({"test", "diff", m_aliceRun, m_ownRun}, p(QStringLiteral("h.sqlite")));
        QCOMPARE(alone.exitCode, 2);
        QVERIFY2(alone.err.contains("no test run \"" + m_aliceRun.toUtf8() + "\""),
                 alone.err.constData());
    }

    void profilesArePublishedListedAndImported() {
        auto listed = dcrctl({"profile", "list", "--team"});
        QVERIFY2(listed.exitCode == 0, listed.err.constData());
        QVERIFY2(listed.out.contains("Bank A  https://bank.example/register  published by "
                                     "alice@alice-laptop"),
                 listed.out.constData());
        QVERIFY(!listed.out.contains("4321"));

        auto imported = dcrctl({"profile", "import", "Bank A"});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        auto shown = dcrctl({"profile", "show", "Bank A"});
        QVERIFY(shown.out.contains("pkcs11:token=hsm;object=signing"));
        QVERIFY(!shown.out.contains("pin-value"));
        // Never over a local profile.
        auto again = dcrctl({"profile", "import", "Bank A"});
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("exists already") && again.err.contains("--as NEW"),
                 again.err.constData());
        QCOMPARE(dcrctl({"profile", "import", "Bank A", "--as", "Bank A (team)"}).exitCode, 0);
        QCOMPARE(dcrctl({"profile", "import", "Nobody's"}).exitCode, 1);

        // Publishing: a name the team has needs --replace; the embedded sandbox is refused.
        auto clash = dcrctl({"profile", "publish", "Bank A"});
        QCOMPARE(clash.exitCode, 2);
        QVERIFY2(clash.err.contains("published by alice@alice-laptop"), clash.err.constData());
        QCOMPARE(dcrctl({"profile", "publish", "Bank A", "--replace"}).exitCode, 0);
        auto sandbox = dcrctl({"profile", "publish", Session::SandboxProfileName});
        QCOMPARE(sandbox.exitCode, 2);
        QVERIFY(sandbox.err.contains("embedded sandbox"));
        // A history file has no team.
        auto file = dcrctl({"profile", "publish", "Bank A"}, p(QStringLiteral("h.sqlite")));
        QCOMPARE(file.exitCode, 2);
        QVERIFY2(file.err.contains("team (PostgreSQL) history"), file.err.constData());
    }

    void anUnreachableTeamIsSaid() {
        auto listed =
            dcrctl({"test", "runs"}, PostgresCluster::unreachableUrl(QStringLiteral("team")));
        QCOMPARE(listed.exitCode, 3);
        QVERIFY2(listed.err.contains("the team's runs could not be read"), listed.err.constData());
        // This machine's own run is still listed.
        QVERIFY2(listed.out.contains(m_ownRun.toUtf8()), listed.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestDcrctlTeam)
#include "tst_dcrctl_team.moc"
