// #25.4 "Evidence the team shares": test-run summaries and published profiles in a team
// (PostgreSQL) history, with two writer identities on one throwaway PostgreSQL 15 cluster: what
// alice runs and publishes on her machine, bob sees, diffs and imports on his; secrets never
// reach the server's tables.
#include "PostgresCluster.h"
#include "TeamHistoryServer.h"
#include "TestSupport.h"
#include "history/HistoryReader.h"
#include "history/TeamEvidence.h"
#include "session/ProfilePublication.h"
#include "testplan/TeamTestRuns.h"
#include "testplan/TestRunDiff.h"
#include "testplan/TestRunLookup.h"
#include "testplan/TestRunner.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

const WriterIdentity kAlice{QStringLiteral("alice"), QStringLiteral("alice-laptop"), 1111, {}};
const WriterIdentity kBob{QStringLiteral("bob"), QStringLiteral("bobs-desktop"), 2222, {}};

// Kept apart so that a failure cannot print them; any of them in a dump is a leak.
const QByteArray kBodyToken = "tok-7c1e55d0-never-shared";
const QByteArray kClientSecret = "cs-4a9b2e61-never-shared";
const QByteArray kPin = "918273";

// A run as TestRunner leaves it: one scenario answered with a non-JSON body that carries a token
// (a gateway's text/plain error page quoting the request), and the same token in what it got.
TestRunSummary runWithTokenInPlainBody(const QString& runId, Verdict verdict) {
    TestRunSummary s;
    s.runId = runId;
    s.planName = QStringLiteral("built-in");
    s.profile = QStringLiteral("Bank A");
    s.spec = QStringLiteral("obie-3.3");
    s.target = QStringLiteral("https://bank.example/register");
    s.started = QDateTime::currentDateTimeUtc();
    s.finished = s.started.addSecs(2);
    s.who = QStringLiteral("whatever@the-summary-claims");
    ScenarioResult r;
    r.scenarioId = QStringLiteral("DCR-002-register");
    r.title = QStringLiteral("Register");
    r.verdict = verdict;
    r.expected = QStringLiteral("201 registered");
    r.got = QStringLiteral("502 (access_token=") + QString::fromLatin1(kBodyToken) + u')';
    r.httpStatus = 502;
    r.responseContentType = "text/plain";
    r.responseBody = "Bad gateway. Upstream said: access_token=" + kBodyToken +
                     "&token_type=Bearer; retry later\n";
    s.results << r;
    s.planned = 1;
    return s;
}

} // namespace

class TestTeamEvidence : public QObject {
    Q_OBJECT
    PostgresCluster m_pg;
    QString m_url;
    QString m_database;
    int m_n = 0;

    // A session as a colleague's console would open it: its own folder, the team's URL.
    static std::unique_ptr<Session> openAs(const QTemporaryDir& dir, const WriterIdentity& writer,
                                           const QString& url) {
        return TeamHistoryServer::openSession(dir.path(), writer, url);
    }

    QByteArray dump() const { return m_pg.dump(m_database); }

private slots:
    void initTestCase() {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dcr-no-bus");
        const QString error = m_pg.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void init() {
        m_database = QStringLiteral("team%1").arg(++m_n);
        QString error;
        m_url = m_pg.createDatabase(m_database, &error);
        QVERIFY2(!m_url.isEmpty(), qPrintable(error));
    }
    void cleanupTestCase() { m_pg.stop(); }

    // "test-run summaries are shared like history rows ... `dcrctl test runs` and the Runs list
    // show the team's runs with who ran them, and `test diff` compares runs from two machines."
    void runByAliceIsSeenAndDiffedByBob() {
        QTemporaryDir aliceDir, bobDir;
        auto alice = openAs(aliceDir, kAlice, m_url);
        QVERIFY(alice->hasTeamHistory());

        // A real run on alice's machine (the embedded sandbox): TestRunner shares it itself.
        QVERIFY(alice->startSandbox(SandboxMode::Seed).ok());
        TestPlan plan = TestPlan::builtIn();
        plan.scenarios.erase(std::remove_if(plan.scenarios.begin(), plan.scenarios.end(),
                                            [](const TestScenario& s) {
                                                return s.id != QStringLiteral("DCR-002-register");
                                            }),
                             plan.scenarios.end());
        QCOMPARE(plan.scenarios.size(), 1);
        TestRunner runner(*alice);
        QSignalSpy finished(&runner, &TestRunner::finished);
        const Profile profile = *alice->profile(QString::fromLatin1(Session::SandboxProfileName));
        QVERIFY(runner
                    .start(plan, profile,
                           alice->sandboxKit()->demoRequest(QDateTime::currentDateTimeUtc()))
                    .ok());
        QVERIFY(finished.wait(60000));
        QVERIFY2(runner.shareProblem().isEmpty(), qPrintable(runner.shareProblem()));
        const TestRunSummary first = runner.summary();
        QCOMPARE(first.count(Verdict::Passed), 1);
        QVERIFY2(first.target.endsWith(QStringLiteral("/tpp/register")), qPrintable(first.target));

        // A second run of alice's, failing with a token in a plain-text answer.
        const TestRunSummary second =
            runWithTokenInPlainBody(QStringLiteral("a1b2c3d4"), Verdict::Failed);
        QVERIFY(saveTestRun(alice->paths().testRunsDir, second).ok());
        auto shared = shareTestRunWithTeam(*alice, second);
        QVERIFY2(shared.ok(), shared ? "" : qPrintable(shared.error().message));
        QVERIFY(*shared);
        // Sharing again is harmless: the team keeps one copy.
        QCOMPARE(*shareTestRunWithTeam(*alice, second), false);

        // Bob's machine: nothing in his folder, both runs in the team's, named as alice's.
        auto bob = openAs(bobDir, kBob, m_url);
        QVERIFY(loadTestRuns(bob->paths().testRunsDir).isEmpty());
        auto rows = bob->teamRuns();
        QVERIFY2(rows.ok(), rows ? "" : qPrintable(rows.error().message));
        const QList<TestRunSummary> team = summariesOfTeamRuns(*rows);
        QCOMPARE(team.size(), 2);
        for (const TestRunSummary& run : team) {
            QCOMPARE(run.who, QStringLiteral("alice@alice-laptop")); // not what the JSON claimed
            QCOMPARE(run.origin, TestRunSummary::Origin::Team);
        }
        QCOMPARE(team.first().runId, first.runId); // oldest first
        QCOMPARE(rows->last().target, first.target);
        QCOMPARE(rows->last().passed, 1);
        QCOMPARE(rows->first().failed, 1);

        // Bob diffs alice's two runs by id: his folder does not have them, the team does.
        QVERIFY(!findTestRun(bob->paths().testRunsDir, first.runId).ok());
        auto diff = TestRunDiff::compareFound(
            [&](const QString& id) { return findLocalOrTeamRun(*bob, id); }, first.runId,
            second.runId);
        QVERIFY2(diff.ok(), diff ? "" : qPrintable(diff.error().message));
        QCOMPARE(diff->count(ChangeKind::NewlyFailing), 1);
        QVERIFY(diff->hasNewFailures());
        // A run nobody has: the error says where it was looked for.
        auto missing = findLocalOrTeamRun(*bob, QStringLiteral("ffffffff"));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QStringLiteral("nor among the team's runs")),
                 qPrintable(missing.error().message));

        // Bob's own run shows as his on alice's machine; alice's runs appear once, merged.
        QVERIFY(*shareTestRunWithTeam(
            *bob, runWithTokenInPlainBody(QStringLiteral("b0b0b0b0"), Verdict::Passed)));
        const QList<TestRunSummary> merged = mergeTestRuns(loadTestRuns(alice->paths().testRunsDir),
                                                           summariesOfTeamRuns(*alice->teamRuns()));
        QCOMPARE(merged.size(), 3);
        QCOMPARE(merged.last().runId, QStringLiteral("b0b0b0b0"));
        QCOMPARE(merged.last().who, QStringLiteral("bob@bobs-desktop"));

        // The console reads them on the history reader thread, not its own.
        HistoryReader* reader = bob->historyReader();
        QVERIFY(reader);
        QSignalSpy answered(reader, &HistoryReader::answered);
        const quint64 ticket = reader->requestTeamRuns(HistoryLane::TeamRuns, 10);
        QVERIFY(answered.wait(20000));
        const auto answer = answered.first().first().value<HistoryAnswer>();
        QCOMPARE(answer.ticket, ticket);
        QVERIFY(answer.teamRuns());
        QCOMPARE(answer.teamRuns()->size(), 3);
    }

    // "A run summary can contain answer text: mask secrets ... before it leaves the machine,
    // exactly as shared history rows are masked; test it with a non-JSON body containing a token."
    void secretsOfARunNeverReachTheServer() {
        QTemporaryDir dir;
        auto alice = openAs(dir, kAlice, m_url);
        QVERIFY(*shareTestRunWithTeam(
            *alice, runWithTokenInPlainBody(QStringLiteral("5ec2e7a1"), Verdict::Failed)));
        // A summary handed to the history unmasked (a future caller's mistake) is masked there.
        TeamRun raw;
        raw.runId = QStringLiteral("0a0a0a0a");
        raw.target = QStringLiteral("https://bank.example/register?access_token=") +
                     QString::fromLatin1(kBodyToken);
        raw.summary =
            QJsonObject{{QStringLiteral("run_id"), raw.runId},
                        {QStringLiteral("results"),
                         QJsonArray{QJsonObject{
                             {QStringLiteral("client_secret"), QString::fromLatin1(kClientSecret)},
                             {QStringLiteral("got"), QStringLiteral("refresh_token=") +
                                                         QString::fromLatin1(kBodyToken)}}}}};
        // The guard is a check: it changes an unmasked summary (and leaves a clean one alone).
        QVERIFY(TeamEvidence::sharedSummary(raw.summary) != raw.summary);
        const QJsonObject clean{{QStringLiteral("run_id"), QStringLiteral("x")}};
        QCOMPARE(TeamEvidence::sharedSummary(clean), clean);
        QVERIFY(alice->shareTestRun(raw).ok());

        const QByteArray dumped = dump();
        QVERIFY2(dumped.contains("5ec2e7a1") && dumped.contains("0a0a0a0a"),
                 "the dump holds the shared runs");
        QVERIFY2(dumped.contains("Upstream said"), "the plain-text body is kept, masked");
        for (const QByteArray& secret : {kBodyToken, kClientSecret})
            QVERIFY2(!dumped.contains(secret), "a secret reached the team's tables in clear");
        QByteArray selected;
        QVERIFY(m_pg.psql(QStringLiteral("SELECT summary, target FROM test_runs"), m_database,
                          &selected)
                    .isEmpty());
        QVERIFY(selected.contains("\"client_secret\":\"") && !selected.contains(kClientSecret));
        QVERIFY(!selected.contains(kBodyToken));

        // The dump check itself: a token written straight into the table is found by it.
        QVERIFY(m_pg.psql(QStringLiteral("INSERT INTO test_runs (run_id, writer_user, writer_host, "
                                         "summary) VALUES ('planted', 'x', 'y', '%1')")
                              .arg(QString::fromLatin1(kBodyToken)),
                          m_database)
                    .isEmpty());
        QVERIFY(dump().contains(kBodyToken));
    }

    // "Profiles can be shared through the team history without any secret (keys stay as paths or
    // pkcs11: URIs, never contents; passphrases never)" and "Import: never overwrite a local
    // profile silently".
    void profilePublishedByAliceIsImportedByBob() {
        QTemporaryDir aliceDir, bobDir;
        auto alice = openAs(aliceDir, kAlice, m_url);
        Profile p;
        p.name = QStringLiteral("Bank A");
        p.registrationUrl = QUrl(QStringLiteral("https://bank.example/register"));
        p.transportCertPath = QStringLiteral("/etc/dcr/transport.pem");
        p.transportKeyPath = QStringLiteral("pkcs11:token=hsm;object=transport;type=private"
                                            "?pin-value=") +
                             QString::fromLatin1(kPin);
        p.signingKeyPath = QStringLiteral("/etc/dcr/signing.key");
        p.timeoutSeconds = 45;
        p.specVersion = SpecVersion::Obie33;
        QVERIFY(alice->saveProfile(p).ok());
        auto removed = alice->publishProfile(p.name);
        QVERIFY2(removed.ok(), removed ? "" : qPrintable(removed.error().message));
        QVERIFY(!dump().contains("pin-value=" + kPin));

        auto bob = openAs(bobDir, kBob, m_url);
        auto listed = bob->teamProfiles();
        QVERIFY(listed.ok());
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->first().publisher(), QStringLiteral("alice@alice-laptop"));
        auto imported = bob->importTeamProfile(p.name);
        QVERIFY2(imported.ok(), imported ? "" : qPrintable(imported.error().message));
        const Profile got = *bob->profile(p.name);
        QCOMPARE(got.registrationUrl, p.registrationUrl);
        QCOMPARE(got.transportCertPath, p.transportCertPath);
        QCOMPARE(got.transportKeyPath,
                 QStringLiteral("pkcs11:token=hsm;object=transport;type=private"));
        QCOMPARE(got.signingKeyPath, p.signingKeyPath);
        QCOMPARE(got.timeoutSeconds, 45);
        QCOMPARE(got.specVersion, SpecVersion::Obie33);

        // Never over a local profile: refused with what to do, then under another name.
        auto again = bob->importTeamProfile(p.name);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().message.contains(QStringLiteral("exists already")) &&
                     again.error().message.contains(QStringLiteral("--as")),
                 qPrintable(again.error().message));
        QVERIFY(bob->importTeamProfile(p.name, QStringLiteral("Bank A (alice)")).ok());
        QVERIFY(bob->profile(QStringLiteral("Bank A (alice)")));

        // Publishing a name the team has: refused naming its publisher, unless replaced.
        auto clash = bob->publishProfile(p.name);
        QVERIFY(!clash.ok());
        QVERIFY2(clash.error().message.contains(QStringLiteral("alice@alice-laptop")),
                 qPrintable(clash.error().message));
        QVERIFY(bob->publishProfile(p.name, true).ok());
        QCOMPARE(bob->teamProfiles()->first().publisher(), QStringLiteral("bob@bobs-desktop"));
    }

    // "Publishing a profile: refuse/strip anything secret (passphrases, PINs, inline key
    // material, client secrets, tokens); keys only as file paths or pkcs11: URIs."
    void publishingRefusesSecrets() {
        QTemporaryDir dir;
        auto alice = openAs(dir, kAlice, m_url);
        Profile base;
        base.name = QStringLiteral("Clean");
        base.registrationUrl = QUrl(QStringLiteral("https://bank.example/register"));
        base.signingKeyPath = QStringLiteral("/keys/signing.pem");
        QVERIFY(ProfilePublication::publishable(base).ok()); // the check passes a clean one

        struct Case {
            const char* field;
            std::function<void(Profile&)> edit;
        };
        const QList<Case> cases{
            {"signing_key",
             [](Profile& p) {
                 p.signingKeyPath =
                     QStringLiteral("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END "
                                    "PRIVATE KEY-----");
             }},
            {"transport_key",
             [](Profile& p) { p.transportKeyPath = QString(88, u'A') + QStringLiteral("=="); }},
            {"registration_url",
             [](Profile& p) {
                 p.registrationUrl = QUrl(QStringLiteral("https://qa:hunter2@bank.example/r"));
             }},
            {"token_endpoint",
             [](Profile& p) {
                 p.tokenEndpoint =
                     QUrl(QStringLiteral("https://bank.example/token?client_secret=") +
                          QString::fromLatin1(kClientSecret));
             }},
        };
        for (const Case& c : cases) {
            Profile p = base;
            c.edit(p);
            auto refused = ProfilePublication::publishable(p);
            QVERIFY2(!refused.ok(), c.field);
            QVERIFY2(refused.error().message.contains(QLatin1String(c.field)),
                     qPrintable(refused.error().message));
            // Through the session, nothing reaches the server.
            p.name = QStringLiteral("Refused %1").arg(QLatin1String(c.field));
            QVERIFY(alice->saveProfile(p).ok());
            QVERIFY(!alice->publishProfile(p.name).ok());
        }
        QVERIFY(!dump().contains(kClientSecret));
        QVERIFY(!dump().contains("hunter2"));
        QVERIFY(alice->teamProfiles()->isEmpty());
        auto sandbox = alice->publishProfile(QString::fromLatin1(Session::SandboxProfileName));
        QVERIFY(!sandbox.ok());
        QVERIFY(sandbox.error().message.contains(QStringLiteral("embedded sandbox")));
    }

    // "Validate imported JSON (range checks, clear errors)": rows written by hand on the server.
    void importValidatesThePublishedJson() {
        QTemporaryDir dir;
        auto bob = openAs(dir, kBob, m_url);
        const QList<std::pair<QString, QString>> rows{
            {QStringLiteral("{\"name\":\"t\",\"timeout_seconds\":1e300}"),
             QStringLiteral("timeout_seconds")},
            {QStringLiteral("{\"name\":\"t\",\"spec_version\":\"obie-9\"}"),
             QStringLiteral("spec_version")},
            {QStringLiteral("{\"name\":\"t\",\"passphrase\":\"x\"}"), QStringLiteral("passphrase")},
            {QStringLiteral("{\"name\":\"t\",\"client_secret\":\"x\"}"),
             QStringLiteral("client_secret")},
            {QStringLiteral("{\"name\":\"t\",\"insecure\":\"yes\"}"), QStringLiteral("insecure")},
            {QStringLiteral("{\"name\":\"t\",\"signing_key\":\"-----BEGIN EC PRIVATE KEY-----\"}"),
             QStringLiteral("signing_key")},
            {QStringLiteral("[1,2]"), QStringLiteral("empty or not a JSON object")},
        };
        int i = 0;
        for (const auto& [json, field] : rows) {
            const QString name = QStringLiteral("crafted%1").arg(++i);
            QVERIFY(m_pg.psql(QStringLiteral("INSERT INTO team_profiles (name, publisher_user, "
                                             "publisher_host, profile) VALUES ('%1', 'm', 'h', "
                                             "'%2')")
                                  .arg(name, json),
                              m_database)
                        .isEmpty());
            auto imported = bob->importTeamProfile(name);
            QVERIFY2(!imported.ok(), qPrintable(json));
            QVERIFY2(imported.error().message.contains(field),
                     qPrintable(json + u' ' + imported.error().message));
            QVERIFY(!bob->profile(name));
        }
        auto none = bob->importTeamProfile(QStringLiteral("nobody published this"));
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, ErrorKind::StorageNotFound);
    }

    // On a history file there is no team: every call says so, and nothing is shared.
    void aHistoryFileHasNoTeam() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        QVERIFY(!session.hasTeamHistory());
        auto refused = session.shareTestRun(
            teamRunOf(runWithTokenInPlainBody(QStringLiteral("11111111"), Verdict::Passed)));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("shared (PostgreSQL) history")),
                 qPrintable(refused.error().message));
        QVERIFY(!session.teamProfiles().ok());
    }
};

QTEST_GUILESS_MAIN(TestTeamEvidence)
#include "tst_team_evidence.moc"
