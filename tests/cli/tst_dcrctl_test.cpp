// dcrctl test list / run as processes against dcr-sandbox processes: the built-in plan passes
// against the strict sandbox and fails every negative scenario against --lax; reports, exit
// codes, plan-file errors and history tags.
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace dcr;
using namespace dcr::test;

class TestDcrctlTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_seed, m_lax, m_obie;
    quint16 m_seedPort = 0, m_laxPort = 0, m_obiePort = 0;
    std::optional<SandboxKit> m_kit;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    QString kit(const QString& n) const { return m_kit->path(n); }

    ProcessResult dcrctl(const QStringList& args) {
        return runWithHome(QStringLiteral(DCRCTL_PATH), args, m_dir.path());
    }

    quint16 startSandbox(QProcess& proc, const QString& mode, const QStringList& flags = {}) {
        return startSandboxProcess(proc, QStringLiteral(SANDBOX_PATH), p(QStringLiteral("kit")),
                                   mode, flags);
    }

    QStringList target(quint16 port, const char* path = "/api/open-banking/v3.1/tpp/register") {
        return {"--url",
                QStringLiteral("https://localhost:%1%2").arg(port).arg(QString::fromLatin1(path)),
                "--cert",
                kit("tpp-transport.pem"),
                "--key",
                kit("tpp-transport-key.pem"),
                "--cacert",
                kit("ca.pem"),
                "--signing-key",
                kit("tpp-signing-key.pem"),
                "--claims",
                p("claims.json")};
    }

    // jti-replay (the seed names no jti), the eleven client lifecycle steps (the seed issues
    // no client) and DCR-001 (the runs below give no --discovery URL); besides them, the Open
    // Finance Brasil and CDR scenarios (ids ofb-*, cdr-*; tst_dcrctl_test_ecosystems runs them).
    static constexpr int kSeedOnlySkips = 13;
    int skippedUnderSeed() { return kSeedOnlySkips + ecosystemOnlyCount(); }

    int scenarioCount() {
        auto r = dcrctl({"test", "list", "--json"});
        return static_cast<int>(
            QJsonDocument::fromJson(r.out).object()["scenarios"].toArray().size());
    }
    static bool ecosystemOnly(const QString& id) {
        return id.startsWith(QStringLiteral("ofb-")) || id.startsWith(QStringLiteral("cdr-"));
    }
    int ecosystemOnlyCount() {
        auto r = dcrctl({"test", "list", "--json"});
        int n = 0;
        for (const auto& v : QJsonDocument::fromJson(r.out).object()["scenarios"].toArray())
            n += ecosystemOnly(v.toObject()["id"].toString());
        return n;
    }

private slots:
    void initTestCase() {
        auto created = SandboxKit::create(p("kit"));
        QVERIFY(created.ok());
        m_kit = *created;
        m_seedPort = startSandbox(m_seed, QStringLiteral("seed"));
        m_laxPort = startSandbox(m_lax, QStringLiteral("seed"), {"--lax"});
        m_obiePort = startSandbox(m_obie, QStringLiteral("obie"));
        QVERIFY(m_seedPort && m_laxPort && m_obiePort);
        QJsonObject claims = m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims();
        for (const char* generated : {"iat", "exp", "jti"})
            claims.remove(QString::fromLatin1(generated));
        writeFile(p("claims.json"), QJsonDocument(claims).toJson());
    }

    void cleanupTestCase() {
        for (QProcess* proc : {&m_seed, &m_lax, &m_obie}) {
            proc->terminate();
            if (!proc->waitForFinished(3000))
                proc->kill();
        }
    }

    void listShowsScenariosWithSources() {
        auto r = dcrctl({"test", "list", "--spec", "seed"});
        QCOMPARE(r.exitCode, 0);
        for (const char* expected :
             {"DCR-002-register", "DCR-004-expired", "DCR-011-response-types", "seed-missing-iss",
              "ssa-invalid-signature", "redirect-not-in-ssa", "401 WrongRequiredFields",
              "conformance-dcr DCR-004", "(skipped under seed)"})
            QVERIFY2(r.out.contains(expected), expected);
        QVERIFY(scenarioCount() >= 15);
        QCOMPARE(dcrctl({"test", "list", "--spec", "fapi"}).exitCode, 2);
        QCOMPARE(dcrctl({"test", "frobnicate"}).exitCode, 2);
    }

    void builtInPlanPassesAgainstTheSeedSandbox() {
        auto r = dcrctl(QStringList{"test", "run", "--spec", "seed", "--junit", p("seed.xml"),
                                    "--html", p("seed.html"), "--json"} +
                        target(m_seedPort));
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(summary["failed"].toInt(), 0);
        QCOMPARE(summary["errors"].toInt(), 0);
        QCOMPARE(summary["skipped"].toInt(), skippedUnderSeed());
        QCOMPARE(summary["passed"].toInt(), scenarioCount() - skippedUnderSeed());
        QCOMPARE(summary["spec"].toString(), QStringLiteral("seed"));

        // Well-formed JUnit with the right counts.
        QXmlStreamReader xml(readFile(p("seed.xml")));
        int testcases = 0, failures = 0, skipped = 0;
        QString tests;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QStringLiteral("testsuite"))
                tests = xml.attributes().value(QStringLiteral("tests")).toString();
            testcases += xml.name() == QStringLiteral("testcase");
            failures += xml.name() == QStringLiteral("failure");
            skipped += xml.name() == QStringLiteral("skipped");
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(testcases, scenarioCount());
        QCOMPARE(tests, QString::number(scenarioCount()));
        QCOMPARE(failures, 0);
        QCOMPARE(skipped, skippedUnderSeed());
        const QByteArray html = readFile(p("seed.html"));
        QVERIFY(html.contains("DCR-004-issuer-empty") && html.contains("WrongRequiredFields"));

        // Every attempt is in the history, findable by the run id.
        const QString runId = summary["run_id"].toString();
        auto history = dcrctl({"history", "list", "--filter", runId, "--json", "--limit", "100"});
        QCOMPARE(history.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(history.out).array().size(),
                 scenarioCount() - skippedUnderSeed());

        // The finished run is kept in the data folder and listed by 'test runs'.
        auto runs = dcrctl({"test", "runs", "--json"});
        QCOMPARE(runs.exitCode, 0);
        bool listed = false;
        for (const auto& v : QJsonDocument::fromJson(runs.out).array()) {
            const QJsonObject o = v.toObject();
            if (o["run_id"].toString() != runId)
                continue;
            listed = true;
            QCOMPARE(o["passed"].toInt(), summary["passed"].toInt());
            QCOMPARE(o["skipped"].toInt(), skippedUnderSeed());
            QVERIFY(o["who"].toString().contains(u'@'));
        }
        QVERIFY2(listed, runs.out.constData());
        auto text = dcrctl({"test", "runs"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(runId.toLatin1()));
    }

    void everyNegativeScenarioFailsAgainstTheLaxSandbox() {
        auto r =
            dcrctl(QStringList{"test", "run", "--spec", "seed", "--junit", p("lax.xml"), "--json"} +
                   target(m_laxPort));
        QCOMPARE(r.exitCode, 1);
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        for (const auto& v : summary["results"].toArray()) {
            const QJsonObject o = v.toObject();
            const QString id = o["id"].toString();
            const QString verdict = o["verdict"].toString();
            if (id == QStringLiteral("jti-replay") || ecosystemOnly(id) ||
                o["mutations"].toString().startsWith(QStringLiteral("lifecycle step")))
                QCOMPARE(verdict, QStringLiteral("skipped"));
            else if (id == QStringLiteral("DCR-002-register") ||
                     id == QStringLiteral("DCR-004-token-auth-RS256")) // seed allows RS256
                QCOMPARE(verdict, QStringLiteral("passed"));
            else
                QVERIFY2(verdict == QStringLiteral("failed"), qPrintable(id));
        }
        const int failed = scenarioCount() - skippedUnderSeed() - 2;
        QCOMPARE(summary["failed"].toInt(), failed);
        QVERIFY(readFile(p("lax.xml")).contains("failures=\"" + QByteArray::number(failed) + '"'));
    }

    void builtInPlanPassesAgainstTheObieSandbox() {
        // The lifecycle steps get their client_credentials token from the sandbox's /token, with
        // the method the demo request registers (tls_client_auth).
        auto r = dcrctl(QStringList{"test", "run", "--spec", "obie-3.3", "--token-url",
                                    QStringLiteral("https://localhost:%1/token").arg(m_obiePort),
                                    "--token-auth", "tls_client_auth", "--discovery",
                                    QStringLiteral("https://localhost:%1/.well-known/"
                                                   "openid-configuration")
                                        .arg(m_obiePort)} +
                        target(m_obiePort, "/register"));
        QVERIFY2(r.exitCode == 0, (r.out.right(1500) + r.err).constData());
        const int obie = scenarioCount() - ecosystemOnlyCount();
        QVERIFY2(r.out.contains(QByteArray::number(obie) + " passed, 0 failed, 0 errors, " +
                                QByteArray::number(ecosystemOnlyCount()) + " skipped"),
                 r.out.right(300).constData());
    }

    void planFileErrorsExitTwoNamingTheScenario() {
        writeFile(p("bad-plan.json"),
                  R"({"scenarios":[{"id":"ok","expect":{"any":"rejected"}},
                      {"id":"broken","mutations":[{"kind":"time","claim":"iat"}],"expect":{"any":"rejected"}}]})");
        auto r =
            dcrctl(QStringList{"test", "run", "--plan", p("bad-plan.json")} + target(m_seedPort));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("scenario #2 (broken): mutations[0].seconds"), r.err.constData());
        QCOMPARE(dcrctl({"test", "list", "--plan", p("bad-plan.json")}).exitCode, 2);
        QCOMPARE(dcrctl({"test", "list", "--plan", p("no-such-plan.json")}).exitCode, 2);
        // A run needs the valid request to mutate.
        QStringList noClaims = target(m_seedPort).mid(0, 10);
        QCOMPARE(dcrctl(QStringList{"test", "run"} + noClaims).exitCode, 2);
        QCOMPARE(dcrctl(QStringList{"test", "run", "--alg", "HS256"} + target(m_seedPort)).exitCode,
                 2);
    }

    void ownPlanAndUnreachableAspsp() {
        writeFile(p("own-plan.json"),
                  R"({"name":"own","scenarios":[{"id":"drop-aud","source":"mine","quote":"-",
                      "mutations":[{"kind":"remove","claim":"aud"}],
                      "expect":{"seed":{"result":"rejected","status":406,"class":"Invalid"}}}]})");
        // The sandbox answers 401 WrongRequiredFields, so this (wrong) expectation fails: exit 1.
        auto r = dcrctl(QStringList{"test", "run", "--spec", "seed", "--plan", p("own-plan.json")} +
                        target(m_seedPort));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("expected 406 Invalid, got 401 WrongRequiredFields"),
                 r.out.constData());
        // Nobody listens on a port we just closed: exit 3, after the first scenario (the rest
        // would fail the same way).
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 closed = probe.serverPort();
        probe.close();
        auto down =
            dcrctl(QStringList{"test", "run", "--spec", "seed", "--plan", p("own-plan.json")} +
                   target(closed));
        QVERIFY2(down.exitCode == 3, (down.out + down.err).constData());
        auto builtIn =
            dcrctl(QStringList{"test", "run", "--spec", "seed", "--json"} + target(closed));
        QCOMPARE(builtIn.exitCode, 3);
        const QJsonObject stopped = QJsonDocument::fromJson(builtIn.out).object();
        // DCR-001 is skipped (no --discovery), DCR-002 finds nobody, and the run stops there.
        QCOMPARE(stopped["results"].toArray().size(), 2);
        QCOMPARE(stopped["results"].toArray().first().toObject()["verdict"].toString(),
                 QStringLiteral("skipped"));
        QVERIFY(stopped["stop_reason"].toString().contains(QStringLiteral("could not be reached")));
    }

    void scenarioTimeout() {
        // A server that accepts the connection and never says a word: the scenario's own
        // timeout (1 s, well before the transport's 30 s) cancels it and records an error.
        // #21.7: a timeout is a transport failure, so with nothing answered yet the run stops
        // there (docs/user-guide.md "Test plans") with exit 3 and a stop_reason, instead of waiting
        // out every scenario of the plan (110 s for 34 at 5 s, exit 1, no stop_reason, before).
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        auto r = dcrctl(QStringList{"test", "run", "--spec", "seed", "--plan", p("own-plan.json"),
                                    "--scenario-timeout", "1"} +
                        target(silent.serverPort()));
        QVERIFY2(r.exitCode == 3, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("ERROR") && r.out.contains("no answer within 1 s"),
                 r.out.constData());
        QVERIFY2(r.out.contains("stopped: the ASPSP could not be reached (no answer within 1 s)"),
                 r.out.constData());
        // The built-in plan: DCR-001 is skipped (no --discovery), DCR-002 times out, and the
        // other scenarios are not sent: the run's history holds that one attempt only.
        auto all = dcrctl(
            QStringList{"test", "run", "--spec", "seed", "--json", "--scenario-timeout", "1"} +
            target(silent.serverPort()));
        QVERIFY2(all.exitCode == 3, (all.out + all.err).constData());
        const QJsonObject run = QJsonDocument::fromJson(all.out).object();
        const QJsonArray results = run["results"].toArray();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results.at(1).toObject()["verdict"].toString(), QStringLiteral("error"));
        QVERIFY(results.at(1).toObject()["transport_failure"].toBool());
        QVERIFY(run["stop_reason"].toString().contains(QStringLiteral("could not be reached")));
        auto rows = dcrctl({"history", "list", "--json", "--filter",
                            QStringLiteral("run:") + run["run_id"].toString()});
        QCOMPARE(rows.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(rows.out).array().size(), 1);
        QCOMPARE(dcrctl(QStringList{"test", "run", "--scenario-timeout", "0"} + target(m_seedPort))
                     .exitCode,
                 2);
    }
};

QTEST_GUILESS_MAIN(TestDcrctlTest)
#include "tst_dcrctl_test.moc"
