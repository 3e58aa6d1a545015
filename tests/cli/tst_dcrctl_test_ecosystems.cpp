// dcrctl test run for Open Finance Brasil and the CDR as processes (issue #24 "For each of the
// two"): the built-in plan passes every ofb / cdr scenario against the embedded sandbox profiles
// "Local sandbox (Open Finance Brasil)" and "Local sandbox (CDR)" (exit 0), and against
// dcr-sandbox serve --mode ofb|cdr --lax every negative scenario fails, one by one.
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestDcrctlTestEcosystems : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_ofbLax, m_cdrLax;
    quint16 m_ofbLaxPort = 0, m_cdrLaxPort = 0;
    std::optional<SandboxKit> m_kit;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    QString kit(const char* n) const { return m_kit->path(QString::fromLatin1(n)); }

    ProcessResult dcrctl(const QStringList& args) {
        return runWithHome(QStringLiteral(DCRCTL_PATH), args, m_dir.path());
    }

    // The built-in plan's expectation for each scenario under a spec family ("ofb", "cdr"), or
    // its "any" one: scenario id -> accepted? Scenarios without one are absent.
    QMap<QString, bool> expectations(const QString& family) {
        auto r = dcrctl({"test", "list", "--json"});
        QMap<QString, bool> out;
        for (const auto& v : QJsonDocument::fromJson(r.out).object()["scenarios"].toArray()) {
            const QJsonObject expect = v.toObject()["expect"].toObject();
            const QJsonValue e = expect.contains(family) ? expect[family] : expect["any"];
            if (e.isUndefined())
                continue;
            const QString result = e.isString() ? e.toString() : e.toObject()["result"].toString();
            out.insert(v.toObject()["id"].toString(), result == QStringLiteral("accepted"));
        }
        return out;
    }

    QJsonObject run(const QStringList& args, int expectedExit) {
        auto r = dcrctl(QStringList{"test", "run", "--json"} + args);
        if (r.exitCode != expectedExit)
            qWarning("exit %d: %s %s", r.exitCode, r.out.right(3000).constData(),
                     r.err.constData());
        return r.exitCode == expectedExit ? QJsonDocument::fromJson(r.out).object() : QJsonObject();
    }

    // Every scenario the family names passed; every other one was skipped.
    void checkAllPassed(const QJsonObject& summary, const QString& family) {
        QVERIFY(!summary.isEmpty());
        const auto expected = expectations(family);
        QVERIFY(expected.size() > 25);
        QCOMPARE(summary["failed"].toInt(), 0);
        QCOMPARE(summary["errors"].toInt(), 0);
        QCOMPARE(summary["passed"].toInt(), expected.size());
        for (const auto& v : summary["results"].toArray()) {
            const QJsonObject o = v.toObject();
            const QString id = o["id"].toString();
            QVERIFY2(o["verdict"].toString() == (expected.contains(id) ? QStringLiteral("passed")
                                                                       : QStringLiteral("skipped")),
                     qPrintable(id + u' ' + o["verdict"].toString() + u' ' + o["got"].toString()));
        }
    }

    // Against the careless sandbox each negative scenario fails and each positive one passes;
    // the discovery check is skipped (these runs give no discovery URL).
    void checkNegativesFail(const QJsonObject& summary, const QString& family) {
        QVERIFY(!summary.isEmpty());
        const auto expected = expectations(family);
        int negatives = 0;
        for (const auto& v : summary["results"].toArray()) {
            const QJsonObject o = v.toObject();
            const QString id = o["id"].toString();
            const QString verdict = o["verdict"].toString();
            if (!expected.contains(id) || id == QStringLiteral("DCR-001-discovery")) {
                QCOMPARE(verdict, QStringLiteral("skipped"));
                continue;
            }
            const bool positive = expected.value(id);
            negatives += !positive;
            QVERIFY2(verdict == (positive ? QStringLiteral("passed") : QStringLiteral("failed")),
                     qPrintable(id + u' ' + verdict + u' ' + o["got"].toString()));
        }
        QVERIFY(negatives > 15);
        QCOMPARE(summary["failed"].toInt(), negatives);
        QCOMPARE(summary["errors"].toInt(), 0);
    }

    QStringList transport() const {
        return {"--cert",   kit("tpp-transport.pem"),
                "--key",    kit("tpp-transport-key.pem"),
                "--cacert", kit("ca.pem")};
    }

private slots:
    void initTestCase() {
        auto created = SandboxKit::create(p("kit"));
        QVERIFY(created.ok());
        m_kit = *created;
        m_ofbLaxPort = startSandboxProcess(m_ofbLax, QStringLiteral(SANDBOX_PATH), p("kit"),
                                           QStringLiteral("ofb"), {"--lax"});
        m_cdrLaxPort = startSandboxProcess(m_cdrLax, QStringLiteral(SANDBOX_PATH), p("kit"),
                                           QStringLiteral("cdr"), {"--lax"});
        QVERIFY(m_ofbLaxPort && m_cdrLaxPort);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        writeFile(p("ofb.json"),
                  QJsonDocument(m_kit->draftRequest(SandboxMode::Ofb, now).claims()).toJson());
        QJsonObject cdr = m_kit->draftRequest(SandboxMode::Cdr, now).claims();
        cdr.remove(QStringLiteral("jti"));
        writeFile(p("cdr.json"), QJsonDocument(cdr).toJson());
    }

    void cleanupTestCase() {
        for (QProcess* proc : {&m_ofbLax, &m_cdrLax}) {
            proc->terminate();
            if (!proc->waitForFinished(3000))
                proc->kill();
        }
    }

    // --mode names the four; --rfc7592 is OBIE's switch (ofb always uses the RAT, cdr never).
    void sandboxModeOptionsAreChecked() {
        const QString sandbox = QStringLiteral(SANDBOX_PATH);
        auto unknown =
            runWithHome(sandbox, {"serve", "--dir", p("kit"), "--mode", "uk"}, m_dir.path());
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("--mode must be seed, obie, ofb or cdr, not 'uk'"),
                 unknown.err.constData());
        auto rfc7592 = runWithHome(
            sandbox, {"serve", "--dir", p("kit"), "--mode", "cdr", "--rfc7592"}, m_dir.path());
        QCOMPARE(rfc7592.exitCode, 2);
        QVERIFY2(rfc7592.err.contains("--rfc7592 is for --mode obie"), rfc7592.err.constData());
    }

    // The embedded profiles exist with their ecosystem's settings.
    void embeddedProfilesAreMade() {
        auto r = dcrctl({"profile", "list", "--json"});
        QCOMPARE(r.exitCode, 0);
        QMap<QString, QJsonObject> byName;
        for (const auto& v : QJsonDocument::fromJson(r.out).array())
            byName.insert(v.toObject()["name"].toString(), v.toObject());
        const QJsonObject ofb = byName.value(QStringLiteral("Local sandbox (Open Finance Brasil)"));
        const QJsonObject cdr = byName.value(QStringLiteral("Local sandbox (CDR)"));
        QVERIFY2(!ofb.isEmpty() && !cdr.isEmpty(), r.out.constData());
        QCOMPARE(ofb["spec_version"].toString(), QStringLiteral("ofb"));
        QCOMPARE(ofb["body_format"].toString(), QStringLiteral("json"));
        QCOMPARE(ofb["lifecycle_auth"].toString(), QStringLiteral("rfc7592"));
        QCOMPARE(ofb["sandbox_mode"].toString(), QStringLiteral("ofb"));
        QCOMPARE(cdr["spec_version"].toString(), QStringLiteral("cdr"));
        QCOMPARE(cdr["lifecycle_auth"].toString(), QStringLiteral("cdr"));
        QCOMPARE(cdr["sandbox_mode"].toString(), QStringLiteral("cdr"));
        QCOMPARE(cdr["token_auth_method"].toString(), QStringLiteral("private_key_jwt"));
    }

    // dcrctl submit on an embedded profile without --claims sends the kit's demo request for the
    // mode, with a freshly minted SSA: 201 with a client (a JSON body for ofb, a JWT for cdr).
    void submitWithoutClaimsRegistersOnTheEmbeddedSandboxes() {
        for (const char* name : {"Local sandbox (Open Finance Brasil)", "Local sandbox (CDR)"}) {
            auto r = dcrctl({"submit", "--profile", QString::fromLatin1(name), "--json"});
            QVERIFY2(r.exitCode == 0, (r.out.right(1500) + r.err).constData());
            const QJsonObject o = QJsonDocument::fromJson(r.out).object();
            QCOMPARE(o["outcome"].toObject()["http_status"].toInt(), 201);
            QVERIFY(!o["outcome"]["client"]["client_id"].toString().isEmpty());
        }
        // Any other profile still needs the request.
        auto none = dcrctl({"submit", "--url", "https://localhost:1/register", "--cert",
                            kit("tpp-transport.pem"), "--key", kit("tpp-transport-key.pem")});
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains("give --token FILE or --claims FILE"), none.err.constData());
    }

    void builtInPlanPassesAgainstTheEmbeddedOfbSandbox() {
        checkAllPassed(run({"--profile", "Local sandbox (Open Finance Brasil)"}, 0),
                       QStringLiteral("ofb"));
    }

    void builtInPlanPassesAgainstTheEmbeddedCdrSandbox() {
        checkAllPassed(run({"--profile", "Local sandbox (CDR)"}, 0), QStringLiteral("cdr"));
    }

    void everyOfbNegativeFailsAgainstTheLaxSandbox() {
        const QString url = QStringLiteral("https://localhost:%1/register").arg(m_ofbLaxPort);
        checkNegativesFail(run(QStringList{"--spec", "ofb", "--url", url, "--body", "json",
                                           "--lifecycle", "rfc7592", "--claims", p("ofb.json")} +
                                   transport(),
                               1),
                           QStringLiteral("ofb"));
    }

    void everyCdrNegativeFailsAgainstTheLaxSandbox() {
        const QString base = QStringLiteral("https://localhost:%1").arg(m_cdrLaxPort);
        checkNegativesFail(run(QStringList{"--spec", "cdr", "--url", base + "/register",
                                           "--lifecycle", "cdr", "--token-url", base + "/token",
                                           "--token-auth", "private_key_jwt", "--signing-key",
                                           kit("tpp-signing-key.pem"), "--claims", p("cdr.json")} +
                                   transport(),
                               1),
                           QStringLiteral("cdr"));
    }
};

QTEST_GUILESS_MAIN(TestDcrctlTestEcosystems)
#include "tst_dcrctl_test_ecosystems.moc"
