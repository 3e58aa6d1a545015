// Test plans: each mutation kind, plan-file errors, expectations, the built-in plan's
// consistency with the seed's Related Errors table, the runner against the embedded sandbox
// (strict: everything passes; lax: every negative fails), and the JUnit and HTML reports.
#include "../support/ScriptedServer.h"
#include "common/Utf8.h"
#include "jose/Jws.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"
#include "sandbox/SandboxServer.h"
#include "session/Session.h"
#include "testplan/ResultDetailsSpool.h"
#include "testplan/TestReport.h"
#include "testplan/TestRunner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace dcr;
using dcr::test::ScriptedServer;

namespace {

// The built-in plan's Open Finance Brasil and CDR scenarios (ids ofb-*, cdr-*): no seed or OBIE
// expectation, so seed and OBIE runs skip them (tst_dcrctl_test_ecosystems runs them).
bool ecosystemOnly(const QString& id) {
    return id.startsWith(QStringLiteral("ofb-")) || id.startsWith(QStringLiteral("cdr-"));
}

int ecosystemOnlyCount() {
    int n = 0;
    for (const auto& scenario : dcr::TestPlan::builtIn().scenarios)
        n += ecosystemOnly(scenario.id);
    return n;
}

ScenarioMutation mutation(const char* json) {
    auto m = ScenarioMutation::fromJson(QJsonDocument::fromJson(QByteArray(json)).object());
    if (!m)
        qFatal("mutation %s: %s", json, qPrintable(m.error().message));
    return *m;
}

struct Junit {
    int suites = 0, testcases = 0, failures = 0, errors = 0, skipped = 0;
    int failuresAttr = -1, testsAttr = -1, skippedAttr = -1;
    bool wellFormed = false;
};

Junit parseJunit(const QByteArray& xml) {
    Junit j;
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QString name = r.name().toString();
        if (name == s("testsuite")) {
            ++j.suites;
            j.testsAttr = r.attributes().value(s("tests")).toInt();
            j.failuresAttr = r.attributes().value(s("failures")).toInt();
            j.skippedAttr = r.attributes().value(s("skipped")).toInt();
        } else if (name == s("testcase")) {
            ++j.testcases;
        } else if (name == s("failure")) {
            ++j.failures;
        } else if (name == s("error")) {
            ++j.errors;
        } else if (name == s("skipped")) {
            ++j.skipped;
        }
    }
    j.wellFormed = !r.hasError();
    return j;
}

} // namespace

class TestTestPlan : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;
    ScenarioMaterial m_material;

    Jws planJws(const QList<ScenarioMutation>& mutations, SubmissionPlan* out = nullptr) {
        auto plan = planScenarioRequest(m_material, mutations);
        if (!plan)
            qFatal("plan: %s", qPrintable(plan.error().message));
        if (out)
            *out = *plan;
        return *Jws::parse(plan->body);
    }
    bool signedByTpp(const Jws& jws) {
        return JwsVerifier::verifyWithKey(
                   jws, m_kit->tppSigningKey(),
                   {JwsAlgorithm::PS256, JwsAlgorithm::RS256, JwsAlgorithm::ES256})
            .ok();
    }

    // Runs a plan through a Session on the embedded sandbox and returns the summary.
    TestRunSummary runOnSandbox(Session& session, const QString& profileName, bool lax,
                                const TestPlan& plan = TestPlan::builtIn(),
                                const std::function<void(RegistrationRequest&)>& editDraft = {}) {
        const Profile profile = *session.profile(profileName);
        const SandboxMode mode = profile.sandboxMode;
        if (!session.startSandbox(mode))
            qFatal("sandbox did not start");
        session.sandbox(mode)->setLax(lax);
        RegistrationRequest draft =
            session.sandboxKit()->demoRequest(QDateTime::currentDateTimeUtc());
        if (editDraft)
            editDraft(draft);
        TestRunner runner(session);
        QSignalSpy finished(&runner, &TestRunner::finished);
        QSignalSpy progress(&runner, &TestRunner::progress);
        auto started = runner.start(plan, profile, draft);
        if (!started)
            qFatal("start: %s", qPrintable(started.error().message));
        if (!finished.wait(120000))
            qFatal("the run did not finish");
        if (progress.size() != plan.scenarios.size())
            qFatal("progress was not reported per scenario");
        return runner.summary();
    }

    // A spool_child (another program's run, in the middle of a long plan) holding a spool in
    // dir; the spool's path in *spool. Null when it did not start or said nothing.
    static std::unique_ptr<QProcess> spoolChild(const QString& dir, QString* spool) {
        auto child = std::make_unique<QProcess>();
        child->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child->start(s(SPOOL_CHILD_PATH), {dir});
        if (!child->waitForStarted(20000))
            return nullptr;
        while (!child->canReadLine())
            if (!child->waitForReadyRead(20000))
                return nullptr;
        *spool = QString::fromLocal8Bit(child->readLine()).trimmed();
        return child;
    }

    // Everything in dir, hidden files and symlinks included, sorted.
    static QStringList folderEntries(const QString& dir) {
        return QDir(dir).entryList(
            QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    }

    // The seed sandbox profile's keys, pointed at a scripted server (the session's sandbox runs
    // only to make the kit's key files).
    static Profile scriptedProfile(Session& session, const ScriptedServer& server,
                                   const QString& name) {
        if (!session.startSandbox(SandboxMode::Seed))
            qFatal("sandbox did not start");
        Profile profile = *session.profile(s(Session::SandboxProfileName));
        profile.name = name;
        profile.embeddedSandbox = false;
        // Plain http to a scripted bank: only an insecure profile may (#21.4).
        profile.insecure = true;
        const QString base = s("http://127.0.0.1:%1").arg(server.port());
        profile.registrationUrl = QUrl(base + s("/register"));
        profile.discoveryUrl = QUrl(base + s("/.well-known/openid-configuration"));
        return profile;
    }

    // Runs a plan against a scripted server through a Session and returns the summary.
    TestRunSummary runScripted(Session& session, const Profile& profile, const TestPlan& plan,
                               int timeoutSeconds = 30) {
        if (auto saved = session.saveProfile(profile); !saved)
            qFatal("saveProfile: %s", qPrintable(saved.error().message));
        TestRunner runner(session);
        QSignalSpy finished(&runner, &TestRunner::finished);
        TestRunOptions options;
        options.timeoutSeconds = timeoutSeconds;
        const Status started = runner.start(
            plan, profile, m_kit->demoRequest(QDateTime::currentDateTimeUtc()), options);
        if (!started)
            qFatal("start: %s", qPrintable(started.error().message));
        if (!finished.wait(120000))
            qFatal("the run did not finish");
        return runner.summary();
    }

    static TestPlan planOf(const QStringList& ids) {
        TestPlan plan;
        plan.name = ids.join(u'+');
        for (const QString& id : ids)
            for (const auto& scenario : TestPlan::builtIn().scenarios)
                if (scenario.id == id)
                    plan.scenarios << scenario;
        if (plan.scenarios.size() != ids.size())
            qFatal("no such scenario in the built-in plan: %s", qPrintable(ids.join(u' ')));
        return plan;
    }

    // The requests a scripted server has received (a connection may carry several).
    static int requestCount(const ScriptedServer& server) {
        int n = 0;
        for (const QByteArray& raw : server.receivedRequests())
            n += static_cast<int>(raw.count(" HTTP/1.1\r\n"));
        return n;
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(m_dir.filePath(s("kit")));
        QVERIFY(kit.ok());
        m_kit = *kit;
        m_material.draft = m_kit->demoRequest(QDateTime::currentDateTimeUtc());
        m_material.signing =
            SigningSetup{m_kit->tppSigningKey(), JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}};
        m_material.target.endpoint = QUrl(s("https://localhost:1/register"));
        m_material.target.aud = m_kit->aud();
        m_material.unknownKey = *Key::generateRsa(2048);
        m_material.now = QDateTime::fromSecsSinceEpoch(1900000000, Qt::UTC);
    }

    // --- each mutation kind

    void noMutationIsTheValidRequestWithFreshTimes() {
        SubmissionPlan plan;
        const Jws jws = planJws({}, &plan);
        QVERIFY(signedByTpp(jws));
        QCOMPARE(jws.claims().value(s("iat")).toInteger(), 1900000000);
        QCOMPARE(jws.claims().value(s("exp")).toInteger(), 1900000300);
        QCOMPARE(plan.contentType, QByteArray("application/jwt"));
        // Every scenario gets its own jti, so only replay_jti replays one.
        QVERIFY(jws.claims().value(s("jti")).toString() !=
                planJws({}).claims().value(s("jti")).toString());
    }

    void setReplaceRemove() {
        QCOMPARE(planJws({mutation(R"({"kind":"set","claim":"iss","value":"foo.is/invalid"})")})
                     .claims()
                     .value(s("iss"))
                     .toString(),
                 s("foo.is/invalid"));
        QCOMPARE(
            planJws({mutation(
                        R"({"kind":"set","claim":"response_types","value":["id_token","token"]})")})
                .claims()
                .value(s("response_types"))
                .toArray(),
            (QJsonArray{s("id_token"), s("token")}));
        QCOMPARE(planJws({mutation(R"({"kind":"set","claim":"new_claim","value":1})")})
                     .claims()
                     .value(s("new_claim"))
                     .toInt(),
                 1);
        QVERIFY(
            !planJws({mutation(R"({"kind":"remove","claim":"iss"})")}).claims().contains(s("iss")));
        QCOMPARE(planJws({mutation(R"({"kind":"replace","claim":"aud","value":"other"})")})
                     .claims()
                     .value(s("aud"))
                     .toString(),
                 s("other"));
        // replace refuses a claim the request does not have (a typo in the plan).
        auto missing = planScenarioRequest(
            m_material, {mutation(R"({"kind":"replace","claim":"no_such","value":1})")});
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(s("no_such")));
    }

    void shiftTime() {
        const QJsonObject c = planJws({mutation(R"({"kind":"time","claim":"exp","seconds":-3600})"),
                                       mutation(R"({"kind":"time","claim":"iat","seconds":60})")})
                                  .claims();
        QCOMPARE(c.value(s("exp")).toInteger(), 1900000000 - 3600);
        QCOMPARE(c.value(s("iat")).toInteger(), 1900000060);
    }

    void signAlgorithm() {
        const Jws jws = planJws({mutation(R"({"kind":"alg","alg":"RS256"})")});
        QCOMPARE(jws.algorithm(), JwsAlgorithm::RS256);
        QVERIFY(signedByTpp(jws));
    }

    void unknownKey() {
        const Jws jws = planJws({mutation(R"({"kind":"unknown_key"})")});
        QVERIFY(!signedByTpp(jws));
        QVERIFY(JwsVerifier::verifyWithKey(jws, m_material.unknownKey, {JwsAlgorithm::PS256}).ok());
        QCOMPARE(jws.header().value(s("kid")).toString(), m_kit->tppSigningKid());
    }

    void tamperSsaSignature() {
        const QString original = m_material.draft.softwareStatement();
        const QString tampered = planJws({mutation(R"({"kind":"tamper_ssa_signature"})")})
                                     .claims()
                                     .value(s("software_statement"))
                                     .toString();
        QCOMPARE(tampered.size(), original.size());
        int differences = 0;
        for (qsizetype i = 0; i < original.size(); ++i)
            differences += original.at(i) != tampered.at(i);
        QCOMPARE(differences, 1);
        // Header and payload unchanged: only the signature check can notice.
        QCOMPARE(tampered.section(u'.', 0, 1), original.section(u'.', 0, 1));
        QVERIFY(JwsVerifier::verifyWithKey(*Jws::parse(original.toLatin1()), m_kit->directoryKey(),
                                           {JwsAlgorithm::PS256})
                    .ok());
        QVERIFY(!JwsVerifier::verifyWithKey(*Jws::parse(tampered.toLatin1()), m_kit->directoryKey(),
                                            {JwsAlgorithm::PS256})
                     .ok());
    }

    void contentTypeAndReplay() {
        SubmissionPlan plan;
        planJws({mutation(R"({"kind":"content_type","content_type":"application/json"})")}, &plan);
        QCOMPARE(plan.contentType, QByteArray("application/json"));
        QVERIFY(plan.headers.contains(
            qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))));
        QVERIFY(replaysJti({mutation(R"({"kind":"replay_jti"})")}));
        QVERIFY(!replaysJti({mutation(R"({"kind":"unknown_key"})")}));
    }

    void clientCertificate() {
        ScenarioMaterial material = m_material;
        material.target.transport.clientCertificate = m_kit->tppTransportCertificate();
        material.target.transport.clientKey = m_kit->tppTransportKey();
        material.target.transport.clientChain = {m_kit->caCertificate()};
        auto untrusted = UntrustedIdentity::make();
        QVERIFY(untrusted.ok());
        material.untrusted = *untrusted;
        // Without a mutation the plan presents the profile's identity.
        auto plain = planScenarioRequest(material, {});
        QVERIFY(plain.ok());
        QCOMPARE(plain->transport.clientCertificate.sha256Fingerprint(),
                 m_kit->tppTransportCertificate().sha256Fingerprint());
        // "none": no certificate, no key, no chain; the signed request itself is unchanged
        // (still signed by the TPP, same claims but the fresh jti).
        auto none = planScenarioRequest(
            material, {mutation(R"({"kind":"client_certificate","certificate":"none"})")});
        QVERIFY(none.ok());
        QVERIFY(!none->transport.hasClientIdentity());
        QVERIFY(none->transport.clientChain.isEmpty());
        QVERIFY(signedByTpp(*Jws::parse(none->body)));
        // "untrusted": a client-auth certificate whose issuer is neither the kit's CA nor
        // anything the ASPSP was told to trust, with its matching key.
        auto bad = planScenarioRequest(
            material, {mutation(R"({"kind":"client_certificate","certificate":"untrusted"})")});
        QVERIFY(bad.ok());
        const Certificate& cert = bad->transport.clientCertificate;
        QVERIFY(bad->transport.hasClientIdentity());
        QVERIFY(cert.matchesPrivateKey(bad->transport.clientKey));
        QVERIFY(cert.extendedKeyUsage().join(u' ').contains(s("Client"), Qt::CaseInsensitive));
        QVERIFY(cert.issuerDn() != m_kit->caCertificate().subjectDn());
        QVERIFY(cert.issuerDn() != cert.subjectDn());
        // Without a made identity the mutation is an error, not a silent send with the real one.
        material.untrusted = {};
        QVERIFY(
            !planScenarioRequest(
                 material, {mutation(R"({"kind":"client_certificate","certificate":"untrusted"})")})
                 .ok());
        QCOMPARE(mutation(R"({"kind":"client_certificate","certificate":"none"})").describe(),
                 s("TLS without a client certificate"));
    }

    void jsonBodyProfile() {
        // RFC 7591 3.1: "the client sends an HTTP POST to the client registration endpoint with
        // a content type of application/json" -- no envelope, nothing signed.
        ScenarioMaterial material = m_material;
        material.signing = {};
        material.target.bodyFormat = RequestBodyFormat::Json;
        material.target.contentType = "application/json";
        auto plain = planScenarioRequest(material, {});
        QVERIFY2(plain.ok(), plain ? "" : qPrintable(plain.error().message));
        QCOMPARE(plain->contentType, QByteArray("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(plain->body).object();
        QVERIFY(!body.isEmpty());
        QVERIFY(body.contains(s("software_statement")));
        for (const char* envelope : {"iss", "aud", "iat", "exp", "jti"})
            QVERIFY2(!body.contains(s(envelope)), envelope);
        // Claim mutations apply to the metadata; signature-only ones are errors, not sends.
        auto removed = planScenarioRequest(
            material, {mutation(R"({"kind":"remove","claim":"redirect_uris"})")});
        QVERIFY(removed.ok());
        QVERIFY(!QJsonDocument::fromJson(removed->body).object().contains(s("redirect_uris")));
        auto alg = planScenarioRequest(material, {mutation(R"({"kind":"alg","alg":"RS256"})")});
        QVERIFY(!alg.ok());
        QVERIFY2(alg.error().message.contains(s("JSON body")), qPrintable(alg.error().message));
    }

    void refusedExpectation() {
        // The OIDF Brazil DCR plan (bad-mtls, no-mtls): "the server must reject the registration
        // attempt, either by refusing the TLS negotiation or returning a valid error response."
        const auto refused = *ScenarioExpectation::fromJson(QJsonValue(s("refused")));
        const auto rejected = *ScenarioExpectation::fromJson(QJsonValue(s("rejected")));
        QCOMPARE(refused.describe(), s("refused (TLS refusal or any 4xx)"));
        QCOMPARE(refused.toJson().value(s("result")).toString(), s("refused"));
        const Error tlsRefused{ErrorKind::NetworkTlsRefused, s("alert certificate required")};
        QVERIFY(!refused.mismatch(tlsRefused));
        QVERIFY(rejected.mismatch(tlsRefused)); // "rejected" wants an answer
        // Failures that say nothing about the ASPSP's check never count as its refusal: our own
        // rejection of the server's certificate, a refused connection, a timeout.
        for (ErrorKind kind :
             {ErrorKind::NetworkTls, ErrorKind::NetworkConnectionRefused, ErrorKind::NetworkTimeout,
              ErrorKind::NetworkReset, ErrorKind::NetworkCancelled})
            QVERIFY(refused.mismatch(Error{kind, s("x")}));
        // An answer is judged as for "rejected": a 4xx meets it, a 2xx does not.
        RegistrationOutcome o;
        o.kind = OutcomeKind::Error;
        o.httpStatus = 401;
        QVERIFY(!refused.mismatch(o));
        o.kind = OutcomeKind::Accepted;
        o.httpStatus = 201;
        QVERIFY(refused.mismatch(o));
    }

    void mutationJsonRoundTrip() {
        for (const char* json :
             {R"({"kind":"set","claim":"a","value":[1,"x"]})", R"({"kind":"remove","claim":"a"})",
              R"({"kind":"time","claim":"iat","seconds":-5})", R"({"kind":"alg","alg":"ES256"})",
              R"({"kind":"content_type","content_type":"text/plain"})",
              R"({"kind":"replay_jti"})"}) {
            const ScenarioMutation m = mutation(json);
            QCOMPARE(QJsonDocument(m.toJson()).toJson(QJsonDocument::Compact),
                     QJsonDocument::fromJson(QByteArray(json)).toJson(QJsonDocument::Compact));
        }
    }

    // --- plan files

    void planFileErrors_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("{") << s("the plan is not JSON");
        QTest::newRow("no scenarios") << QByteArray(R"({"name":"x"})") << s("scenarios:");
        QTest::newRow("empty") << QByteArray(R"({"scenarios":[]})") << s("no scenarios");
        QTest::newRow("no id") << QByteArray(R"({"scenarios":[{"expect":{"any":"rejected"}}]})")
                               << s("scenario #1: id:");
        QTest::newRow("mutation claim")
            << QByteArray(R"({"scenarios":[{"id":"ok","expect":{"any":"rejected"}},
                 {"id":"bad","mutations":[{"kind":"remove"}],"expect":{"any":"rejected"}}]})")
            << s("scenario #2 (bad): mutations[0].claim:");
        QTest::newRow("mutation kind")
            << QByteArray(
                   R"({"scenarios":[{"id":"k","mutations":[{"kind":"explode"}],"expect":{"any":"rejected"}}]})")
            << s("scenario #1 (k): mutations[0].kind: \"explode\" is not one of");
        QTest::newRow("time claim")
            << QByteArray(
                   R"({"scenarios":[{"id":"t","mutations":[{"kind":"time","claim":"nbf","seconds":1}],"expect":{"any":"rejected"}}]})")
            << s("scenario #1 (t): mutations[0].claim: must be iat or exp");
        QTest::newRow("alg")
            << QByteArray(
                   R"({"scenarios":[{"id":"a","mutations":[{"kind":"alg","alg":"HS256"}],"expect":{"any":"rejected"}}]})")
            << s("scenario #1 (a): mutations[0].alg:");
        QTest::newRow("no expect")
            << QByteArray(R"({"scenarios":[{"id":"e"}]})") << s("scenario #1 (e): expect:");
        QTest::newRow("status")
            << QByteArray(
                   R"({"scenarios":[{"id":"s","expect":{"seed":{"result":"rejected","status":200}}}]})")
            << s("scenario #1 (s): expect.seed.status: 200 is not a 4xx status");
        QTest::newRow("result")
            << QByteArray(R"({"scenarios":[{"id":"r","expect":{"obie":{"result":"maybe"}}}]})")
            << s("scenario #1 (r): expect.obie.result:");
        QTest::newRow("spec") << QByteArray(
                                     R"({"scenarios":[{"id":"p","expect":{"fapi":"rejected"}}]})")
                              << s("scenario #1 (p): expect.fapi: unknown spec");
        QTest::newRow("class on accepted")
            << QByteArray(
                   R"({"scenarios":[{"id":"c","expect":{"seed":{"result":"accepted","class":"Invalid"}}}]})")
            << s("scenario #1 (c): expect.seed.class:");
        QTest::newRow("unknown field")
            << QByteArray(R"({"scenarios":[{"id":"u","expect":{"any":"rejected"},"mutation":[]}]})")
            << s("scenario #1 (u): mutation: unknown field");
        QTest::newRow("step name")
            << QByteArray(
                   R"({"scenarios":[{"id":"x","step":"erase","expect":{"obie":"rejected"}}]})")
            << s("scenario #1 (x): step: unknown step \"erase\" (expected one of discovery, "
                 "register, read");
        QTest::newRow("step not a string")
            << QByteArray(R"({"scenarios":[{"id":"x","step":3,"expect":{"obie":"rejected"}}]})")
            << s("scenario #1 (x): step: unknown step \"3\"");
        QTest::newRow("step with mutations")
            << QByteArray(
                   R"({"scenarios":[{"id":"m","step":"read","mutations":[{"kind":"remove","claim":"iss"}],"expect":{"obie":"accepted"}}]})")
            << s("scenario #1 (m): step: a lifecycle step takes only client_certificate mutations");
        QTest::newRow("discovery with mutations")
            << QByteArray(
                   R"({"scenarios":[{"id":"d","step":"discovery","mutations":[{"kind":"client_certificate","certificate":"none"}],"expect":{"any":"accepted"}}]})")
            << s("scenario #1 (d): step: the discovery step takes no mutations");
        QTest::newRow("client certificate")
            << QByteArray(
                   R"({"scenarios":[{"id":"c","mutations":[{"kind":"client_certificate","certificate":"expired"}],"expect":{"any":"refused"}}]})")
            << s("scenario #1 (c): mutations[0].certificate: must be \"none\" (no client "
                 "certificate) or \"untrusted\"");
        QTest::newRow("refused spelled wrong")
            << QByteArray(R"({"scenarios":[{"id":"r","expect":{"any":"refuse"}}]})")
            << s("scenario #1 (r): expect.any.result: must be \"accepted\", \"rejected\" or "
                 "\"refused\"");
        QTest::newRow("duplicate id")
            << QByteArray(
                   R"({"scenarios":[{"id":"d","expect":{"any":"rejected"}},{"id":"d","expect":{"any":"rejected"}}]})")
            << s("scenario #2 (d): id:");
    }

    void planFileErrors() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto plan = TestPlan::fromJson(json);
        QVERIFY(!plan.ok());
        QVERIFY2(plan.error().message.contains(message), qPrintable(plan.error().message));
    }

    void planFileLoads() {
        const QString path = m_dir.filePath(s("plan.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(TestPlan::builtIn().toJson()).toJson());
        f.close();
        auto plan = TestPlan::load(path);
        QVERIFY2(plan.ok(), plan ? "" : qPrintable(plan.error().message));
        QCOMPARE(plan->toJson(), TestPlan::builtIn().toJson());
        auto missing = TestPlan::load(m_dir.filePath(s("nope.json")));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(s("nope.json")));
    }

    // --- expectations

    void expectations() {
        RegistrationOutcome o;
        o.kind = OutcomeKind::Error;
        o.httpStatus = 401;
        o.errorClass = s("WrongRequiredFields");
        const auto e = [](const char* json) {
            return *ScenarioExpectation::fromJson(
                QJsonDocument::fromJson(QByteArray(json)).object());
        };
        QVERIFY(
            !e(R"({"result":"rejected","status":401,"class":"WrongRequiredFields"})").mismatch(o));
        QVERIFY(!e(R"({"result":"rejected"})").mismatch(o));
        QVERIFY(e(R"({"result":"rejected","status":406})").mismatch(o));
        QVERIFY(e(R"({"result":"rejected","class":"AccessDenied"})").mismatch(o));
        QVERIFY(e(R"({"result":"accepted"})").mismatch(o));
        o.kind = OutcomeKind::Accepted;
        o.httpStatus = 200;
        o.errorClass.clear();
        QVERIFY(!e(R"({"result":"accepted","status":200})").mismatch(o));
        QVERIFY(e(R"({"result":"accepted","status":201})").mismatch(o));
        QVERIFY(e(R"({"result":"rejected"})").mismatch(o));
        o.kind = OutcomeKind::Unexpected;
        o.httpStatus = 500;
        QVERIFY(e(R"({"result":"rejected"})").mismatch(o)); // a 500 is no refusal
    }

    // --- the built-in plan

    void builtInPlanIsConsistentWithTheSeed() {
        const TestPlan& plan = TestPlan::builtIn();
        QVERIFY(plan.scenarios.size() >= 15);
        int positives = 0;
        for (const auto& scenario : plan.scenarios) {
            QVERIFY2(!scenario.source.isEmpty() && !scenario.quote.isEmpty(),
                     qPrintable(scenario.id));
            positives +=
                scenario.isPositive() && scenario.mutations.isEmpty() && scenario.step.isEmpty();
            // Every seed class is a row of the seed's Related Errors table with its status.
            const auto seed = scenario.expectationFor(s("seed"));
            // (A TLS refusal is outside the table: the seed says nothing of TLS.)
            if (seed && !seed->accepted && !seed->tlsRefusalCounts) {
                const ErrorClassInfo* info = findSeedErrorClass(seed->errorClass);
                QVERIFY2(info, qPrintable(scenario.id));
                QCOMPARE(seed->httpStatus, info->httpStatus);
                QVERIFY2(scenario.quote.contains(seed->errorClass), qPrintable(scenario.id));
            }
            // Open Finance Brasil's classes are the DCR/DCM swagger's error enum; the CDR's are
            // the cds_dcr RegistrationError enum.
            const auto ofb = scenario.expectationFor(s("ofb"));
            if (ofb && !ofb->errorClass.isEmpty())
                QVERIFY2(
                    (QStringList{s("invalid_redirect_uri"), s("invalid_client_metadata"),
                                 s("invalid_software_statement"),
                                 s("unapproved_software_statement"), s("invalid_webhook_uris")})
                        .contains(ofb->errorClass),
                    qPrintable(scenario.id));
            const auto cdr = scenario.expectationFor(s("cdr"));
            if (cdr && !cdr->errorClass.isEmpty())
                QVERIFY2((QStringList{s("invalid_redirect_uri"), s("invalid_client_metadata"),
                                      s("invalid_software_statement"),
                                      s("unapproved_software_statement")})
                             .contains(cdr->errorClass),
                         qPrintable(scenario.id));
            // OBIE classes are RFC 7591 section 3.2.2 codes, always with 400.
            const auto obie = scenario.expectationFor(s("obie-3.3"));
            if (obie && !obie->accepted && !obie->errorClass.isEmpty()) {
                QVERIFY((QStringList{s("invalid_redirect_uri"), s("invalid_client_metadata"),
                                     s("invalid_software_statement"),
                                     s("unapproved_software_statement")})
                            .contains(obie->errorClass));
                QCOMPARE(obie->httpStatus, 400);
            }
        }
        // DCR-002-register (seed, OBIE) and ofb-register (Open Finance Brasil; the CDR's one
        // registration is the lifecycle's register step, as a second would be a duplicate).
        QCOMPARE(positives, 2);
        // The seed's required claims each have a "missing" scenario (preflight's required-claim).
        for (const char* claim : {"iss", "iat", "exp", "aud", "grant_types", "redirect_uris"})
            QVERIFY(std::any_of(plan.scenarios.begin(), plan.scenarios.end(), [&](const auto& t) {
                return t.id == s("seed-missing-") + QString::fromLatin1(claim);
            }));
    }

    void readmeListsEveryBuiltInScenario() {
        // The user guide's built-in scenario table (docs/user-guide.md) is the user's view of the
        // plan: one row per scenario, in plan order, and no row for a scenario the plan does not
        // have.
        QFile file(QStringLiteral(DCR_TEST_DATA_DIR) + s("/../../docs/user-guide.md"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString readme = QString::fromUtf8(file.readAll());
        const qsizetype table =
            readme.indexOf(s("| Scenario | Mutation | seed | obie-3.x | ofb | cdr | Source |"));
        QVERIFY(table > 0);
        QStringList rows;
        for (const QString& line : readme.mid(table).split(u'\n').mid(2)) {
            if (!line.startsWith(s("| `")))
                break;
            rows << line.section(u'`', 1, 1);
        }
        QStringList ids;
        for (const auto& scenario : TestPlan::builtIn().scenarios)
            ids << scenario.id;
        QCOMPARE(rows, ids);
    }

    // --- the runner through the Session, on the embedded sandbox

    void runnerPassesAgainstTheSeedSandboxAndRecordsEverything() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const TestRunSummary summary = runOnSandbox(session, s(Session::SandboxProfileName), false);
        QStringList report;
        for (const auto& r : summary.results)
            if (r.verdict != Verdict::Passed && r.verdict != Verdict::Skipped)
                report << r.scenarioId + s(": ") + r.got + s(" / ") + r.reason;
        QVERIFY2(report.isEmpty(), qPrintable(report.join(u'\n')));
        QVERIFY(summary.allMet());
        QCOMPARE(summary.spec, s("seed"));
        // The seed names no jti and issues no client: the replay case and the eleven client
        // lifecycle steps are skipped, all others pass (discovery too: the sandbox serves it).
        const auto isClientStep = [](const ScenarioResult& r) {
            return r.mutations.startsWith(s("lifecycle")) && r.scenarioId != s("DCR-001-discovery");
        };
        // The Open Finance Brasil and CDR scenarios (ofb-*, cdr-*) name no seed expectation.
        for (const auto& r : summary.results)
            QCOMPARE(r.verdict == Verdict::Skipped, r.scenarioId == s("jti-replay") ||
                                                        isClientStep(r) ||
                                                        ecosystemOnly(r.scenarioId));
        QCOMPARE(summary.count(Verdict::Skipped), 12 + ecosystemOnlyCount());
        QCOMPARE(summary.count(Verdict::Passed),
                 static_cast<int>(TestPlan::builtIn().scenarios.size()) - 12 -
                     ecosystemOnlyCount());
        // The transport negatives were refused with an answer: the sandbox asks every TLS client
        // for a certificate but lets the handshake through (discovery is public, issue #24.3)
        // and answers the registration 401 AccessDenied without a verified one.
        for (const auto& r : summary.results)
            if (r.scenarioId.startsWith(s("brazil-")) && r.verdict == Verdict::Passed) {
                QCOMPARE(r.httpStatus, 401);
                QVERIFY2(r.got.contains(s("AccessDenied")), qPrintable(r.got));
            }
        // Every attempt is in the history, tagged with the run and the scenario (issue #14:
        // "records every attempt in the history, tagged with the run id and scenario") — the
        // discovery GET too, with the configuration as it came over the wire.
        int rows = 0;
        for (const auto& r : summary.results) {
            if (r.verdict == Verdict::Skipped) {
                QVERIFY(r.historyIds.isEmpty());
                continue;
            }
            if (r.scenarioId == s("DCR-001-discovery")) {
                QCOMPARE(r.httpStatus, 200);
                QCOMPARE(r.historyIds.size(), 1);
                auto record = session.historyRecord(r.historyIds.first());
                QVERIFY(record.ok());
                QCOMPARE(record->method, QByteArray("GET"));
                QVERIFY2(record->url.endsWith(s("/.well-known/openid-configuration")),
                         qPrintable(record->url));
                QCOMPARE(record->responseBody, r.responseBody);
                QVERIFY(record->responseBody.contains("registration_endpoint"));
                QCOMPARE(record->outcome, s("retrieved"));
                QVERIFY(record->tags.contains(s("scenario:DCR-001-discovery")));
            }
            QCOMPARE(r.historyIds.size(), 1);
            auto record = session.historyRecord(r.historyIds.first());
            QVERIFY(record.ok());
            QVERIFY(record->tags.contains(s("run:") + summary.runId));
            QVERIFY(record->tags.contains(s("scenario:") + r.scenarioId));
            QVERIFY(record->note.contains(r.scenarioId));
            QCOMPARE(record->responseStatus, r.httpStatus);
            ++rows;
        }
        QCOMPARE(*session.historyCount(), static_cast<qint64>(rows));

        const Junit j = parseJunit(testRunJunitXml(summary));
        QVERIFY(j.wellFormed);
        QCOMPARE(j.suites, 1);
        QCOMPARE(j.testcases, static_cast<int>(summary.results.size()));
        QCOMPARE(j.testsAttr, j.testcases);
        QCOMPARE(j.failures, 0);
        QCOMPARE(j.failuresAttr, 0);
        QCOMPARE(j.skipped, 12 + ecosystemOnlyCount());
        QCOMPARE(j.skippedAttr, 12 + ecosystemOnlyCount());
        QCOMPARE(j.errors, 0);
    }

    void runnerFailsEveryNegativeAgainstTheLaxSandbox() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const TestRunSummary summary = runOnSandbox(session, s(Session::SandboxProfileName), true);
        QVERIFY(!summary.allMet());
        const TestPlan& plan = TestPlan::builtIn();
        int negatives = 0;
        for (qsizetype i = 0; i < plan.scenarios.size(); ++i) {
            const auto expectation = plan.scenarios.at(i).expectationFor(s("seed"));
            const ScenarioResult& r = summary.results.at(i);
            QCOMPARE(r.scenarioId, plan.scenarios.at(i).id);
            if (!expectation) {
                QCOMPARE(r.verdict, Verdict::Skipped);
            } else if (expectation->accepted) {
                QCOMPARE(r.verdict, Verdict::Passed);
            } else {
                ++negatives;
                QVERIFY2(r.verdict == Verdict::Failed,
                         qPrintable(r.scenarioId + s(": ") + r.got + s(" / ") + r.reason));
                QCOMPARE(r.httpStatus, 200);
                QVERIFY(!r.reason.isEmpty());
            }
        }
        QCOMPARE(summary.count(Verdict::Failed), negatives);
        QVERIFY(negatives >= 14);
        const Junit j = parseJunit(testRunJunitXml(summary));
        QVERIFY(j.wellFormed);
        QCOMPARE(j.failures, negatives);
        QCOMPARE(j.failuresAttr, negatives);
        QCOMPARE(j.testcases, static_cast<int>(plan.scenarios.size()));
    }

    void runnerPassesAgainstTheObieSandbox() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const TestRunSummary summary =
            runOnSandbox(session, s(Session::ObieSandboxProfileName), false);
        QStringList report;
        for (const auto& r : summary.results)
            if (r.verdict != Verdict::Passed &&
                !(r.verdict == Verdict::Skipped && ecosystemOnly(r.scenarioId)))
                report << r.scenarioId + s(": ") + r.got + s(" / ") + r.reason;
        QVERIFY2(report.isEmpty(), qPrintable(report.join(u'\n')));
        QCOMPARE(summary.count(Verdict::Failed) + summary.count(Verdict::Error), 0);
        QCOMPARE(summary.count(Verdict::Passed),
                 static_cast<int>(TestPlan::builtIn().scenarios.size()) - ecosystemOnlyCount());
        // The replay case sends twice; the second answer is the one judged.
        for (const auto& r : summary.results)
            QCOMPARE(r.historyIds.size(), r.verdict == Verdict::Skipped     ? 0
                                          : r.scenarioId == s("jti-replay") ? 2
                                                                            : 1);

        // The run was saved next to the history and loads back with the same counts, masked.
        const QList<TestRunSummary> saved = loadTestRuns(session.paths().testRunsDir);
        QCOMPARE(saved.size(), 1);
        const TestRunSummary& back = saved.first();
        QCOMPARE(back.runId, summary.runId);
        QCOMPARE(back.profile, summary.profile);
        QCOMPARE(back.spec, summary.spec);
        QCOMPARE(back.started, summary.started);
        QVERIFY(back.who.contains(u'@'));
        QCOMPARE(back.results.size(), summary.results.size());
        for (Verdict v : {Verdict::Passed, Verdict::Failed, Verdict::Skipped, Verdict::Error})
            QCOMPARE(back.count(v), summary.count(v));
        for (qsizetype i = 0; i < back.results.size(); ++i) {
            QCOMPARE(back.results.at(i).scenarioId, summary.results.at(i).scenarioId);
            QCOMPARE(back.results.at(i).historyIds, summary.results.at(i).historyIds);
            QCOMPARE(back.results.at(i).httpStatus, summary.results.at(i).httpStatus);
        }
        QCOMPARE(QJsonDocument(back.toJson()).toJson(), QJsonDocument(summary.toJson()).toJson());
        // A file that is no run is skipped, not fatal.
        QFile junk(QDir(session.paths().testRunsDir).filePath(s("junk.json")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{\"not\": \"a run\"}");
        junk.close();
        QCOMPARE(loadTestRuns(session.paths().testRunsDir).size(), 1);
        QVERIFY(!TestRunSummary::fromJson(
                     QJsonObject{{s("run_id"), s("x")},
                                 {s("results"), QJsonArray{QJsonObject{{s("id"), s("a")},
                                                                       {s("verdict"), s("won")}}}}})
                     .ok());
    }

    // The lifecycle steps alone, so each mode's answers can be checked one by one.
    static TestPlan lifecyclePlan() {
        TestPlan plan;
        plan.name = s("lifecycle");
        for (const auto& scenario : TestPlan::builtIn().scenarios)
            if (!scenario.step.isEmpty() && scenario.step != s("discovery") &&
                !ecosystemOnly(scenario.id)) // the OBIE lifecycle, as these tests run it
                plan.scenarios << scenario;
        return plan;
    }

    void lifecycleStepsPassWithTheRegistrationAccessToken() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        Profile profile = *session.profile(s(Session::ObieSandboxProfileName));
        profile.lifecycleAuth = LifecycleAuth::Rfc7592;
        QVERIFY(session.saveProfile(profile).ok());
        QVERIFY(session.startSandbox(SandboxMode::Obie).ok());
        session.sandbox(SandboxMode::Obie)
            ->aspsp()
            .setLifecycleAuth(SandboxLifecycleAuth::RegistrationAccessToken);
        const TestPlan plan = lifecyclePlan();
        QCOMPARE(plan.scenarios.size(), 11);
        const TestRunSummary summary =
            runOnSandbox(session, s(Session::ObieSandboxProfileName), false, plan);
        QStringList report;
        for (const auto& r : summary.results)
            if (r.verdict != Verdict::Passed)
                report << r.scenarioId + s(": ") + r.got + s(" / ") + r.reason;
        QVERIFY2(report.isEmpty(), qPrintable(report.join(u'\n')));
        // register, read, update, four refused for want of a verified client certificate (401,
        // the handshake is let through since discovery is public) around the invalid token,
        // delete, and read and update after it.
        const QList<int> statuses{201, 200, 200, 401, 401, 401, 401, 401, 204, 401, 401};
        QCOMPARE(summary.results.size(), statuses.size());
        for (qsizetype i = 0; i < statuses.size(); ++i) {
            QCOMPARE(summary.results.at(i).httpStatus, statuses.at(i));
            // Every step is one tagged history row.
            QCOMPARE(summary.results.at(i).historyIds.size(), 1);
            auto record = session.historyRecord(summary.results.at(i).historyIds.first());
            QVERIFY(record.ok());
            QVERIFY(record->tags.contains(s("scenario:") + summary.results.at(i).scenarioId));
        }
    }

    // #21.18: the run registers its client itself, so its lifecycle steps authenticate at the
    // token endpoint with the client_secret the bank issued in that run (RFC 6749 2.3.1:
    // client_secret_basic in the Authorization header; the sandbox takes only the method the
    // client registered). Before: every step that needs a token ended in error with
    // "client_secret_basic needs the client secret". The secret is kept in memory only: no
    // report or saved run holds it.
    void lifecycleStepsAuthenticateWithTheIssuedClientSecret() {
        const QString method = s("client_secret_basic");
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        Profile profile = *session.profile(s(Session::ObieSandboxProfileName));
        profile.tokenAuthMethod = ClientAuthMethod::ClientSecretBasic;
        QVERIFY(session.saveProfile(profile).ok());
        const TestRunSummary summary =
            runOnSandbox(session, s(Session::ObieSandboxProfileName), false, lifecyclePlan(),
                         [&method](RegistrationRequest& draft) {
                             draft.setString(s("token_endpoint_auth_method"), method);
                         });
        QStringList report;
        for (const auto& r : summary.results) {
            QVERIFY2(!r.reason.contains(s("needs the client secret")), qPrintable(r.reason));
            if (r.verdict != Verdict::Passed)
                report << r.scenarioId + s(": ") + verdictName(r.verdict) + s(" ") + r.got +
                              s(" / ") + r.reason;
        }
        QVERIFY2(report.isEmpty(), qPrintable(report.join(u'\n')));
        QCOMPARE(summary.count(Verdict::Passed), 11);
        // The bank did issue a secret to the run's client, and no view of the run shows it.
        const QString secret = QJsonDocument::fromJson(summary.results.first().responseBody)
                                   .object()
                                   .value(s("client_secret"))
                                   .toString();
        QVERIFY(secret.size() > 16);
        QVERIFY(!QJsonDocument(summary.toJson()).toJson().contains(secret.toUtf8()));
        QVERIFY(!testRunHtml(summary).contains(secret.toUtf8()));
        QVERIFY(!testRunJunitXml(summary).contains(secret.toUtf8()));
        const QDir runs(session.paths().testRunsDir);
        const QStringList files = runs.entryList({s("*.json")}, QDir::Files);
        QCOMPARE(files.size(), 1);
        QFile saved(runs.filePath(files.first()));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY(!saved.readAll().contains(secret.toUtf8()));
    }

    // #21.18, client_secret_post (which the sandbox's contract does not register): a scripted
    // bank issues a secret at registration and gives a token only to a form body carrying it
    // (RFC 6749 2.3.1: "client_secret REQUIRED. The client secret."). Before: the read step
    // ended in error with "client_secret_post needs the client secret" and nothing reached the
    // token endpoint.
    void lifecycleStepsAuthenticateWithTheIssuedClientSecretPost() {
        const QByteArray secret = "issued-in-this-run-0123456789abcdef";
        ScriptedServer server(ScriptedServer::Behaviour::Custom);
        int tokensGiven = 0;
        server.setResponder([&](QTcpSocket* socket, const QByteArray& request) {
            const QByteArray line = request.left(request.indexOf("\r\n"));
            const QByteArray body = request.mid(request.indexOf("\r\n\r\n") + 4);
            const QByteArray base = "http://127.0.0.1:" + QByteArray::number(server.port());
            auto answer = [socket](int status, const QByteArray& json) {
                socket->write("HTTP/1.1 " + QByteArray::number(status) +
                              " X\r\nContent-Type: application/json\r\nContent-Length: " +
                              QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" +
                              json);
                socket->disconnectFromHost();
            };
            if (line.startsWith("POST /register ")) {
                answer(201, R"({"client_id":"c-1","client_secret":")" + secret +
                                R"(","client_secret_expires_at":0,"token_endpoint_auth_method":)"
                                R"("client_secret_post","registration_client_uri":")" +
                                base + R"(/register/c-1"})");
            } else if (line.startsWith("POST /token ")) {
                const bool good = body.split('&').contains("client_id=c-1") &&
                                  body.split('&').contains("client_secret=" + secret);
                tokensGiven += good;
                answer(good ? 200 : 401,
                       good ? R"({"access_token":"at-1","token_type":"Bearer","expires_in":60})"
                            : R"({"error":"invalid_client"})");
            } else if (line.startsWith("GET /register/c-1 ") &&
                       request.contains("\r\nAuthorization: Bearer at-1\r\n")) {
                answer(200,
                       R"({"client_id":"c-1","token_endpoint_auth_method":"client_secret_post"})");
            } else {
                answer(401, R"({"error":"invalid_token"})");
            }
        });
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        Profile profile = scriptedProfile(session, server, s("secret post bank"));
        profile.discoveryUrl.clear();
        profile.specVersion = SpecVersion::Obie33;
        profile.lifecycleAuth = LifecycleAuth::Obie;
        profile.tokenEndpoint = QUrl(s("http://127.0.0.1:%1/token").arg(server.port()));
        profile.tokenAuthMethod = ClientAuthMethod::ClientSecretPost;
        const TestRunSummary summary =
            runScripted(session, profile, planOf({s("lifecycle-register"), s("DCR-005-read")}));
        QCOMPARE(summary.results.size(), 2);
        for (const auto& r : summary.results)
            QVERIFY2(r.verdict == Verdict::Passed,
                     qPrintable(r.scenarioId + s(": ") + r.got + s(" / ") + r.reason));
        QCOMPARE(summary.results.at(1).httpStatus, 200);
        QCOMPARE(tokensGiven, 1);
        QVERIFY(!QJsonDocument(summary.toJson()).toJson().contains(secret));
        QVERIFY(!testRunHtml(summary).contains(secret));
    }

    void lifecycleStepsFailWhenTheBankWantsTheOtherToken() {
        // The profile says OBIE (a client_credentials token) but the bank wants the registration
        // access token: read, update and delete are refused, so the run must fail.
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        QVERIFY(session.startSandbox(SandboxMode::Obie).ok());
        session.sandbox(SandboxMode::Obie)
            ->aspsp()
            .setLifecycleAuth(SandboxLifecycleAuth::RegistrationAccessToken);
        const TestRunSummary summary =
            runOnSandbox(session, s(Session::ObieSandboxProfileName), false, lifecyclePlan());
        QVERIFY(!summary.allMet());
        for (const auto& r : summary.results)
            if (r.scenarioId == s("DCR-005-read") || r.scenarioId == s("DCR-008-update") ||
                r.scenarioId == s("DCR-003-delete"))
                QVERIFY2(r.verdict == Verdict::Failed && r.httpStatus == 401,
                         qPrintable(r.scenarioId));
    }

    void lifecycleStepsWithoutAClientAreErrors() {
        // No register step: the others have no client to act on and are not sent.
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        TestPlan plan = lifecyclePlan();
        plan.scenarios.removeFirst();
        const TestRunSummary summary =
            runOnSandbox(session, s(Session::ObieSandboxProfileName), false, plan);
        QCOMPARE(summary.count(Verdict::Error), 10);
        for (const auto& r : summary.results)
            QVERIFY(r.historyIds.isEmpty() && r.reason.contains(s("no registered client")));
    }

    void discoveryStepFailsWithoutARegistrationEndpoint() {
        // conformance-dcr DCR-001 'Validate OIDC Config Registration URL': "registration
        // endpoint is missing" fails the scenario. A server whose configuration is JSON without
        // a registration_endpoint, and one that answers 502 HTML, must both fail it; the sandbox
        // (runnerPassesAgainst...) passes it.
        TestPlan plan;
        plan.name = s("discovery");
        for (const auto& scenario : TestPlan::builtIn().scenarios)
            if (scenario.step == s("discovery"))
                plan.scenarios << scenario;
        QCOMPARE(plan.scenarios.size(), 1);
        for (auto behaviour : {ScriptedServer::Behaviour::Ok, ScriptedServer::Behaviour::Html502}) {
            QTemporaryDir dir;
            Session session(AppPaths::under(dir.path()));
            session.open();
            ScriptedServer server(behaviour);
            const Profile profile = scriptedProfile(session, server, s("no registration endpoint"));
            QVERIFY(session.saveProfile(profile).ok());
            TestRunner runner(session);
            QSignalSpy finished(&runner, &TestRunner::finished);
            const Status started =
                runner.start(plan, profile, m_kit->demoRequest(QDateTime::currentDateTimeUtc()));
            QVERIFY2(started.ok(), started ? "" : qPrintable(started.error().message));
            QVERIFY(finished.wait(20000));
            const ScenarioResult& r = runner.summary().results.first();
            QVERIFY2(r.verdict == Verdict::Failed, qPrintable(r.got + s(" / ") + r.reason));
            QVERIFY2(r.reason.contains(s("no valid registration_endpoint")), qPrintable(r.reason));
            QCOMPARE(r.httpStatus, behaviour == ScriptedServer::Behaviour::Ok ? 200 : 502);
            QVERIFY(!server.receivedRequests().isEmpty());
            QVERIFY(server.receivedRequests().first().startsWith(
                "GET /.well-known/openid-configuration "));
            // The failing answer is kept in the history as it came, classified as discovery.
            QCOMPARE(r.historyIds.size(), 1);
            auto record = session.historyRecord(r.historyIds.first());
            QVERIFY(record.ok());
            QCOMPARE(record->responseStatus, r.httpStatus);
            QCOMPARE(record->responseBody, r.responseBody);
            QCOMPARE(record->outcome,
                     behaviour == ScriptedServer::Behaviour::Ok ? s("retrieved") : s("error"));
        }
    }

    // A profile whose transport certificate cannot be loaded must not have its discovery GET
    // sent without a client identity instead: the lookup and a test run say why; nothing leaves.
    void discoveryIsNeverSentWithoutTheProfilesIdentity() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        ScriptedServer server(ScriptedServer::Behaviour::Ok);
        const Profile good = scriptedProfile(session, server, s("good"));
        Profile profile = good;
        profile.name = s("missing certificate");
        profile.transportCertPath = dir.filePath(s("gone.pem"));
        QVERIFY(session.saveProfile(profile).ok());
        std::optional<DiscoveryOutcome> looked;
        session.fetchDiscovery(profile, [&looked](const DiscoveryOutcome& o) { looked = o; });
        QTRY_VERIFY(looked.has_value());
        QVERIFY(looked->error.has_value());
        QVERIFY2(looked->error->message.contains(s("gone.pem")),
                 qPrintable(looked->error->message));
        // A test run on that profile refuses to start, naming the file: nothing is sent.
        TestPlan plan;
        for (const auto& scenario : TestPlan::builtIn().scenarios)
            if (scenario.step == s("discovery"))
                plan.scenarios << scenario;
        TestRunner runner(session);
        const Status started =
            runner.start(plan, profile, m_kit->demoRequest(QDateTime::currentDateTimeUtc()));
        QVERIFY(!started.ok());
        QVERIFY2(started.error().message.contains(s("gone.pem")),
                 qPrintable(started.error().message));
        QCOMPARE(*session.historyCount(), 0);
        // The same lookup with the profile's certificate in place: the server handles requests
        // in order, so once this answer is in, any request sent before it would be too.
        looked.reset();
        session.fetchDiscovery(good, [&looked](const DiscoveryOutcome& o) { looked = o; });
        QTRY_VERIFY_WITH_TIMEOUT(looked.has_value(), 20000);
        QCOMPARE(looked->httpStatus, 200); // answered (this server's configuration is unusable)
        QCOMPARE(server.receivedRequests().size(), 1);
    }

    // #21 (weakly guarded promise): a scenario that got no answer because of the network is an
    // error, never a pass -- neither for an "accepted" expectation nor for a "refused" one (a
    // reset connection is not the ASPSP refusing our TLS client identity). docs/user-guide.md:
    // "**error** (no answer: transport failure, timeout, cancel)".
    void transportFailureIsAnErrorVerdictNotAPass() {
        for (const char* id : {"DCR-002-register", "brazil-no-mtls"}) {
            QTemporaryDir dir;
            Session session(AppPaths::under(dir.path()));
            session.open();
            ScriptedServer server(ScriptedServer::Behaviour::ResetMidBody);
            Profile profile = scriptedProfile(session, server, s("resets"));
            profile.discoveryUrl.clear();
            const TestRunSummary summary = runScripted(session, profile, planOf({s(id)}));
            QCOMPARE(summary.results.size(), 1);
            const ScenarioResult& r = summary.results.first();
            QVERIFY2(r.verdict == Verdict::Error,
                     qPrintable(verdictName(r.verdict) + s(": ") + r.got + s(" / ") + r.reason));
            QVERIFY(r.transportFailure);
            QVERIFY(!r.answered());
            QCOMPARE(r.httpStatus, 0);
            QVERIFY(!r.reason.isEmpty());
            QCOMPARE(summary.count(Verdict::Passed), 0);
            QVERIFY(!summary.allMet());
            QCOMPARE(QJsonDocument(summary.toJson())
                         .object()
                         .value(s("results"))
                         .toArray()
                         .first()
                         .toObject()
                         .value(s("verdict"))
                         .toString(),
                     s("error"));
            QCOMPARE(parseJunit(testRunJunitXml(summary)).errors, 1);
        }
    }

    // #21.5: DCR-001 demands an absolute https registration_endpoint with a host. OpenID Connect
    // Discovery 1.0 section 3: "registration_endpoint RECOMMENDED. URL of the OP's Dynamic Client
    // Registration Endpoint [OpenID.Registration]." RFC 7591 section 3: "The client registration
    // endpoint MUST be protected by a transport-layer security mechanism, as described in
    // Section 5." A gopher:// or http:// endpoint (or one without a host) fails the scenario with
    // the reason; an https one passes it.
    void discoveryDemandsAnHttpsRegistrationEndpoint_data() {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<bool>("passes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("gopher") << s("gopher://bank.example/register") << false
                                << s("is not an https URL (scheme \"gopher\")");
        QTest::newRow("http") << s("http://bank.example/register") << false
                              << s("is not an https URL (scheme \"http\")");
        QTest::newRow("relative") << s("/register") << false << s("is not an absolute URL");
        QTest::newRow("no host") << s("https:///register") << false << s("has no host");
        QTest::newRow("https") << s("https://bank.example:8443/register") << true << QString();
    }

    void discoveryDemandsAnHttpsRegistrationEndpoint() {
        QFETCH(QString, endpoint);
        QFETCH(bool, passes);
        QFETCH(QString, reason);
        const QByteArray body = QJsonDocument(QJsonObject{{s("issuer"), s("https://bank.example")},
                                                          {s("registration_endpoint"), endpoint}})
                                    .toJson(QJsonDocument::Compact);
        auto server = ScriptedServer::answering(ScriptedServer::jsonResponse("200 OK", body));
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const Profile profile = scriptedProfile(session, *server, s("odd discovery"));
        const TestRunSummary summary =
            runScripted(session, profile, planOf({s("DCR-001-discovery")}));
        const ScenarioResult& r = summary.results.first();
        QCOMPARE(r.httpStatus, 200);
        QVERIFY2((r.verdict == Verdict::Passed) == passes, qPrintable(r.got + s(" / ") + r.reason));
        if (passes) {
            QVERIFY(r.reason.isEmpty());
            QVERIFY(summary.allMet());
        } else {
            QCOMPARE(r.verdict, Verdict::Failed);
            QVERIFY2(r.reason.contains(s("no valid registration_endpoint")) &&
                         r.reason.contains(reason),
                     qPrintable(r.reason));
        }
        QCOMPARE(requestCount(*server), 1);
    }

    // #21.7: a bank that accepts the connection and never answers. docs/user-guide.md "Test plans":
    // "the run stops at the first transport failure when nothing has answered yet" -- a timeout is
    // one. Before: every scenario waited for its own timeout (110 s for 34 scenarios at 5 s), exit
    // 1, no stop reason. Now the run stops after the first scenario, and the server proves that
    // nothing else was sent.
    void aBankThatNeverAnswersStopsTheRunAtTheFirstTimeout() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        ScriptedServer server(ScriptedServer::Behaviour::NeverAnswer);
        const Profile profile = scriptedProfile(session, server, s("silent bank"));
        const TestRunSummary summary = runScripted(session, profile, TestPlan::builtIn(), 1);
        QCOMPARE(summary.results.size(), 1); // DCR-001's GET, then nothing
        const ScenarioResult& r = summary.results.first();
        QCOMPARE(r.verdict, Verdict::Error);
        QVERIFY(r.transportFailure);
        QCOMPARE(r.got, s("no answer within 1 s"));
        QVERIFY2(summary.stopReason.contains(s("the ASPSP could not be reached")),
                 qPrintable(summary.stopReason));
        QVERIFY(summary.unreachable()); // dcrctl: exit 3
        QVERIFY(!summary.allMet());
        // One attempt was written to the history (each is, before it leaves) and one arrived.
        QCOMPARE(*session.historyCount(), 1);
        QTRY_COMPARE(requestCount(server), 1);
        // The stop reason is in every report.
        const QJsonObject json = summary.toJson();
        QCOMPARE(json.value(s("stop_reason")).toString(), summary.stopReason);
        QVERIFY(json.value(s("results"))
                    .toArray()
                    .first()
                    .toObject()
                    .value(s("transport_failure"))
                    .toBool());
        auto back = TestRunSummary::fromJson(json);
        QVERIFY(back.ok());
        QVERIFY(back->unreachable());
        QVERIFY(testRunJunitXml(summary).contains(summary.stopReason.toHtmlEscaped().toUtf8()));
        QVERIFY(testRunHtml(summary).contains(summary.stopReason.toHtmlEscaped().toUtf8()));
        // #22.11: the reason is bare and "stopped: " is said once, wherever it is shown.
        QCOMPARE(summary.stopReason, s("the ASPSP could not be reached (no answer within 1 s)"));
        QCOMPARE(summary.endNote(), s("stopped: ") + summary.stopReason);
        QCOMPARE(testRunHtml(summary).count("stopped: "), 1);
        QCOMPARE(back->endNote(), summary.endNote());
        // A run saved with the prefix in its reason (before) reads back without a second one.
        QJsonObject saved = json;
        saved.insert(s("stop_reason"), s("stopped: ") + summary.stopReason);
        QCOMPARE(TestRunSummary::fromJson(saved)->endNote(), summary.endNote());
    }

    // #21.7: a bank that answers the first request and then goes silent: after 3 transport
    // failures in a row (timeouts) the run stops with a stop reason instead of waiting out every
    // remaining scenario.
    void aBankThatGoesSilentStopsAfterThreeFailuresInARow() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        ScriptedServer server(ScriptedServer::Behaviour::Custom);
        int answered = 0;
        server.setResponder([&answered](QTcpSocket* socket, const QByteArray&) {
            if (answered++ > 0)
                return; // silent from the second request on
            const QByteArray body = R"({"registration_endpoint":"https://bank.example/register"})";
            socket->write(ScriptedServer::jsonResponse("200 OK", body));
            socket->disconnectFromHost();
        });
        const Profile profile = scriptedProfile(session, server, s("bank going silent"));
        // 3 s: the first answer must come in time on a loaded machine; the rest never come.
        const TestRunSummary summary = runScripted(session, profile, TestPlan::builtIn(), 3);
        QCOMPARE(summary.results.size(), 4);
        QCOMPARE(summary.results.at(0).verdict, Verdict::Passed); // DCR-001, answered
        for (int i = 1; i < 4; ++i) {
            QCOMPARE(summary.results.at(i).verdict, Verdict::Error);
            QVERIFY(summary.results.at(i).transportFailure);
        }
        QVERIFY2(summary.stopReason.contains(s("the ASPSP stopped answering (3 transport "
                                               "failures in a row")),
                 qPrintable(summary.stopReason));
        QVERIFY(summary.unreachable());
        QVERIFY(summary.results.size() < TestPlan::builtIn().scenarios.size());
        QCOMPARE(*session.historyCount(), 4);
        QTRY_COMPARE(requestCount(server), 4);
        const Junit j = parseJunit(testRunJunitXml(summary));
        QCOMPARE(j.testcases, 4);
        QCOMPARE(j.errors, 3);
        QVERIFY(testRunJunitXml(summary).contains("name=\"stop_reason\""));
        QCOMPARE(summary.toJson().value(s("stop_reason")).toString(), summary.stopReason);
    }

    void laxObieRunFailsAndItsHtmlHidesTheIssuedSecrets() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const TestRunSummary summary =
            runOnSandbox(session, s(Session::ObieSandboxProfileName), true);
        // Discovery, the valid request, and of the lifecycle: register, read, update, delete.
        // The careless bank takes any bearer (invalid-token fails) and any TLS client, and its
        // DELETE deletes nothing: the certificate-less DELETEs "succeed" (and fail their
        // scenarios), the real one passes, and the read and update after it are served (fail).
        // Every other scenario the OBIE family names fails; the ofb-/cdr- ones are skipped.
        const QStringList passes{s("DCR-001-discovery"),  s("DCR-002-register"),
                                 s("lifecycle-register"), s("DCR-005-read"),
                                 s("DCR-008-update"),     s("DCR-003-delete")};
        for (const auto& r : summary.results)
            if (ecosystemOnly(r.scenarioId))
                QCOMPARE(r.verdict, Verdict::Skipped);
            else
                QVERIFY2((r.verdict == Verdict::Passed) == passes.contains(r.scenarioId) &&
                             r.verdict != Verdict::Error,
                         qPrintable(r.scenarioId + s(": ") + r.got + s(" / ") + r.reason));
        QCOMPARE(summary.count(Verdict::Failed),
                 static_cast<int>(TestPlan::builtIn().scenarios.size()) - passes.size() -
                     ecosystemOnlyCount());
        const auto invalidToken =
            std::find_if(summary.results.begin(), summary.results.end(),
                         [](const auto& r) { return r.scenarioId == s("DCR-007-invalid-token"); });
        QVERIFY(invalidToken != summary.results.end());
        QCOMPARE(invalidToken->httpStatus, 200);
        // Every lax registration answer is a 201 carrying a registration_access_token: none may
        // show.
        const QByteArray html = testRunHtml(summary);
        // Rendered once, not once per result: 70 renderings took 100 s under ASan.
        const QByteArray json = QJsonDocument(summary.toJson()).toJson();
        int tokens = 0;
        for (const auto& r : summary.results) {
            if (r.verdict == Verdict::Skipped || // the ofb-/cdr- scenarios
                (r.mutations.startsWith(s("lifecycle")) && r.scenarioId != s("lifecycle-register")))
                continue;
            const QString token = QJsonDocument::fromJson(r.responseBody)
                                      .object()
                                      .value(s("registration_access_token"))
                                      .toString();
            QVERIFY(token.size() > 20);
            QVERIFY2(!html.contains(token.toLatin1()), qPrintable(r.scenarioId));
            QVERIFY(!json.contains(token.toLatin1()));
            ++tokens;
        }
        // Every registration request got one: all but the steps other than register.
        const auto steps = std::count_if(
            summary.results.begin(), summary.results.end(), [](const ScenarioResult& r) {
                return r.verdict != Verdict::Skipped && r.mutations.startsWith(s("lifecycle")) &&
                       r.scenarioId != s("lifecycle-register");
            });
        QCOMPARE(tokens, static_cast<int>(summary.results.size() - steps) -
                             summary.count(Verdict::Skipped));
    }

    void cancelStopsTheRun() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const Profile profile = *session.profile(s(Session::SandboxProfileName));
        QVERIFY(session.startSandbox(SandboxMode::Seed).ok());
        TestRunner runner(session);
        QSignalSpy finished(&runner, &TestRunner::finished);
        connect(&runner, &TestRunner::progress, &runner, [&](int done, int, const ScenarioResult&) {
            if (done == 2)
                runner.cancel();
        });
        QVERIFY(runner
                    .start(TestPlan::builtIn(), profile,
                           session.sandboxKit()->demoRequest(QDateTime::currentDateTimeUtc()))
                    .ok());
        QVERIFY(finished.wait(60000));
        QVERIFY(runner.summary().cancelled);
        QCOMPARE(runner.summary().results.size(), 2);
        QVERIFY(!runner.summary().allMet());
    }

    // --- the HTML report masks secrets

    void htmlReportHasNoSecret() {
        TestRunSummary summary;
        summary.runId = s("abc12345");
        summary.planName = s("built-in");
        summary.started = summary.finished = QDateTime::currentDateTimeUtc();
        ScenarioResult json;
        json.scenarioId = s("json-body");
        json.verdict = Verdict::Failed;
        json.httpStatus = 201;
        json.responseContentType = "application/json";
        json.responseBody =
            R"({"client_id":"c1","client_secret":"S3CRET-json-1","registration_access_token":"S3CRET-rat-2"})";
        json.requestClaims =
            QJsonObject{{s("iss"), s("x")}, {s("client_secret"), s("S3CRET-claim-3")}};
        ScenarioResult jwt = json;
        jwt.scenarioId = s("jwt-body");
        jwt.responseContentType = "application/jwt";
        const QByteArray payload =
            QJsonDocument(
                QJsonObject{{s("client_id"), s("c2")}, {s("client_secret"), s("S3CRET-jwt-4")}})
                .toJson(QJsonDocument::Compact);
        jwt.responseBody =
            *JwsSigner::sign(payload, m_kit->tppSigningKey(), {JwsAlgorithm::PS256, {}, {}});
        summary.results = {json, jwt};
        const QByteArray html = testRunHtml(summary);
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
        QVERIFY(html.contains("json-body") && html.contains("jwt-body") && html.contains("c2"));
        QVERIFY(!html.contains("S3CRET"));
        QVERIFY(!html.contains(jwt.responseBody.left(40))); // no base64url that would reveal it
        QVERIFY(!QJsonDocument(summary.toJson()).toJson().contains("S3CRET"));
        QVERIFY(!testRunJunitXml(summary).contains("S3CRET"));
        // HTML-escaped: a hostile body cannot inject markup.
        summary.results.first().responseBody = "<script>alert(1)</script>";
        summary.results.first().responseContentType = "text/html";
        QVERIFY(!testRunHtml(summary).contains("<script>"));
    }

    // #26: a summary whose later results keep their details in a spool gives the same bytes in
    // every report as the same summary held whole in memory, streamed or not; secrets stay
    // masked on disk. Before #26 there was no spool: every result held its claims and answer.
    void spooledDetailsGiveTheSameReports() {
        TestRunSummary whole;
        whole.runId = s("abc12345");
        whole.planName = s("long plan");
        whole.planned = 40;
        whole.started = QDateTime::currentDateTimeUtc();
        whole.finished = whole.started.addSecs(3);
        const int n = 40;
        for (int i = 0; i < n; ++i) {
            ScenarioResult r;
            r.scenarioId = s("S-%1").arg(i);
            r.title = s("scenario %1 \"quoted\" <b>").arg(i);
            r.verdict = i % 4 == 0   ? Verdict::Failed
                        : i % 7 == 0 ? Verdict::Skipped
                                     : Verdict::Passed;
            r.expected = s("201");
            r.got = s("201 client_secret=S3CRET-got-%1").arg(i);
            r.reason = i % 4 == 0 ? s("it differs\nover two lines") : QString();
            r.historyIds = {2 * i + 1, 2 * i + 2};
            r.elapsedMs = 10 + i;
            if (r.verdict != Verdict::Skipped) {
                r.requestClaims = QJsonObject{{s("iss"), s("tpp")},
                                              {s("client_secret"), s("S3CRET-claim-%1").arg(i)},
                                              {s("n"), i}};
                r.requestContentType = "application/jwt";
                r.httpStatus = i % 3 == 0 ? 400 : 201;
                r.responseContentType = i % 5 == 0 ? "text/plain" : "application/json";
                r.responseBody =
                    i % 5 == 0 ? QByteArray("plain text answer ") + QByteArray::number(i)
                               : QJsonDocument(
                                     QJsonObject{{s("client_id"), s("c%1").arg(i)},
                                                 {s("client_secret"), s("S3CRET-body-%1").arg(i)},
                                                 {s("note"), s("ünïcode ✓ %1").arg(i)}})
                                     .toJson(QJsonDocument::Compact);
            }
            whole.results << r;
        }
        QTemporaryDir dir;
        auto spool = ResultDetailsSpool::create(dir.filePath(s("runs")));
        QVERIFY(spool.ok());
        TestRunSummary spooled = whole;
        spooled.spool = *spool;
        const int inMemory = 7;
        for (int i = inMemory; i < n; ++i) {
            auto index = spooled.spool->append(whole.results.at(i));
            QVERIFY(index.ok());
            QCOMPARE(*index, i - inMemory);
            ScenarioResult& r = spooled.results[i];
            r.requestClaims = {};
            r.requestContentType.clear();
            r.responseContentType.clear();
            r.responseBody.clear();
            r.spooled = *index;
        }
        QCOMPARE(spooled.spool->size(), n - inMemory);
        QFile file(spooled.spool->fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                        QFileDevice::WriteGroup | QFileDevice::WriteOther)));
        QVERIFY(!file.readAll().contains("S3CRET")); // masked on disk too

        auto streamed = [](const TestRunSummary& summary, auto writer) {
            QByteArray out;
            const Status ok = writer(summary, [&out](const QByteArray& bytes) -> Status {
                out += bytes;
                return {};
            });
            if (!ok)
                qFatal("writer: %s", qPrintable(ok.error().message));
            return out;
        };
        auto json = [](const TestRunSummary& summary, const ByteSink& put) {
            return summary.writeJson(put);
        };
        const QByteArray reference = QJsonDocument(whole.toJson()).toJson();
        QCOMPARE(streamed(whole, json), reference);
        QCOMPARE(streamed(spooled, json), reference);
        QCOMPARE(QJsonDocument(spooled.toJson()).toJson(), reference);
        QCOMPARE(QJsonDocument::fromJson(reference).object()[s("results")].toArray().size(), n);
        const QByteArray html = testRunHtml(whole);
        QCOMPARE(testRunHtml(spooled), html);
        QCOMPARE(streamed(spooled, &writeTestRunHtml), html);
        const auto answered = std::count_if(whole.results.begin(), whole.results.end(),
                                            [](const ScenarioResult& r) { return r.httpStatus; });
        QVERIFY(answered > 20);
        QCOMPARE(html.count("<h4>Response "), answered);
        QCOMPARE(testRunJunitXml(spooled), testRunJunitXml(whole));
        QCOMPARE(QByteArray(testRunJunitXml(whole)).count("<testcase "), n);
        QVERIFY(!reference.contains("S3CRET") && !html.contains("S3CRET"));

        // The saved run, streamed into its file, reads back whole.
        QVERIFY(saveTestRun(dir.filePath(s("runs")), spooled).ok());
        const QList<TestRunSummary> saved = loadTestRuns(dir.filePath(s("runs")));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().results.size(), n);
        QCOMPARE(QJsonDocument(saved.first().toJson()).toJson(), reference);

        // Never silently short: a spool that is gone is an error for the streamed reports, and
        // named in the in-memory copy.
        TestRunSummary lost = spooled;
        lost.spool.reset();
        const Status failed = lost.writeJson([](const QByteArray&) -> Status { return {}; });
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().message.contains(s("S-7")), qPrintable(failed.error().message));
        QVERIFY(lost.toJson()[s("results")].toArray().at(inMemory).toObject().contains(
            s("details_unavailable")));
        QVERIFY(testRunHtml(lost).endsWith(failed.error().message.toUtf8() + "\n"));
    }

    // #26: a run past TestRunner's in-memory window keeps every later result's details in its
    // spool, and its saved run and reports still hold all N scenarios with their answers.
    void aLongRunKeepsEveryResultInItsReports() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const Profile profile = *session.profile(s(Session::ObieSandboxProfileName));
        QVERIFY(session.startSandbox(profile.sandboxMode).ok());
        const TestPlan plan = TestPlan::builtIn();
        TestRunner runner(session);
        runner.setDetailedResultsInMemory(5);
        QSignalSpy finished(&runner, &TestRunner::finished);
        QVERIFY(runner
                    .start(plan, profile,
                           session.sandboxKit()->demoRequest(QDateTime::currentDateTimeUtc()))
                    .ok());
        QVERIFY(finished.wait(120000));
        QVERIFY2(runner.spoolProblem().isEmpty(), qPrintable(runner.spoolProblem()));
        const TestRunSummary& summary = runner.summary();
        const int n = static_cast<int>(plan.scenarios.size());
        QCOMPARE(summary.results.size(), n);
        QVERIFY(summary.spool);
        QCOMPARE(summary.spool->size(), n - 5);
        int answered = 0;
        for (int i = 0; i < n; ++i) {
            const ScenarioResult& r = summary.results.at(i);
            QCOMPARE(r.spooled, i < 5 ? -1 : i - 5);
            if (i >= 5)
                QVERIFY(r.responseBody.isEmpty() && r.requestClaims.isEmpty());
            if (r.httpStatus)
                ++answered;
        }
        QVERIFY(answered > 20);
        // Every answer is in the saved run, as the history recorded it (masked).
        const QList<TestRunSummary> saved = loadTestRuns(session.paths().testRunsDir);
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().results.size(), n);
        int withBody = 0;
        for (int i = 0; i < n; ++i) {
            const ScenarioResult& r = saved.first().results.at(i);
            QCOMPARE(r.scenarioId, plan.scenarios.at(i).id);
            if (r.httpStatus) {
                auto record = session.historyRecord(r.historyIds.last());
                QVERIFY(record.ok());
                QCOMPARE(r.httpStatus, record->responseStatus);
                // An answer with a body (a 204 has none) is in the saved run.
                QVERIFY2(r.responseBody.isEmpty() == record->responseBody.isEmpty(),
                         qPrintable(r.scenarioId));
                ++withBody;
            }
        }
        QCOMPARE(withBody, answered);
        const QByteArray html = testRunHtml(summary);
        QCOMPARE(html.count("<h4>Response "), answered);
        for (const TestScenario& scenario : plan.scenarios)
            QVERIFY(html.contains("<h3 id=\"" + scenario.id.toUtf8() + "\">"));
        QCOMPARE(testRunJunitXml(summary).count("<testcase "), n);
    }

    // A run that was killed (SIGKILL: no destructor, no cleanup) leaves its spool and the spool's
    // lock behind; the next run, whichever program starts it (TestRunner::start, which the
    // console and dcrctl both call), removes both and nothing else.
    void aKilledRunsSpoolIsRemovedByTheNextRun() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        const QString runs = session.paths().testRunsDir;
        QString spool;
        auto child = spoolChild(runs, &spool);
        QVERIFY(child);
        QVERIFY2(QFileInfo(spool).isFile() && QFileInfo(spool + s(".lock")).isFile(),
                 qPrintable(spool));
        QCOMPARE(QFileInfo(spool).path(), QFileInfo(runs).absoluteFilePath());
        child->kill(); // SIGKILL
        QVERIFY(child->waitForFinished(20000));
        QCOMPARE(child->exitStatus(), QProcess::CrashExit);
        QVERIFY(QFileInfo(spool).isFile()); // what the kill left: nobody removed it
        QVERIFY(QFileInfo(spool + s(".lock")).isFile());

        TestPlan one = TestPlan::builtIn();
        one.scenarios = one.scenarios.mid(0, 1);
        one.name = s("one scenario");
        const TestRunSummary summary =
            runOnSandbox(session, s(Session::SandboxProfileName), false, one);
        QCOMPARE(summary.results.size(), 1);
        QVERIFY(!QFileInfo::exists(spool) && !QFileInfo(spool).isSymLink());
        QVERIFY(!QFileInfo::exists(spool + s(".lock")));
        // The folder holds the new run's saved summary and nothing else.
        const QStringList left = folderEntries(runs);
        QCOMPARE(left.size(), 1);
        QVERIFY2(left.first().endsWith(summary.runId + s(".json")), qPrintable(left.first()));
    }

    // The console and dcrctl share the test-runs folder and may run plans at the same time: a
    // spool whose run is still going in another process (or in this one) is never swept, even
    // when its lock is an hour old, as a long run's is. Once that process is gone, the same
    // sweep removes it.
    void aLiveRunsSpoolIsNotSwept() {
        QTemporaryDir dir;
        const QString runs = dir.filePath(s("test-runs"));
        QString theirs;
        auto child = spoolChild(runs, &theirs);
        QVERIFY(child);
        QVERIFY(QFileInfo(theirs).isFile());
        {
            // An hour old, as a long run's lock would be.
            QFile lock(theirs + s(".lock"));
            QVERIFY(lock.open(QIODevice::ReadWrite));
            QVERIFY(lock.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-3600),
                                     QFileDevice::FileModificationTime));
        }
        auto ours = ResultDetailsSpool::create(runs);
        QVERIFY(ours.ok());
        const QStringList before = folderEntries(runs);
        QCOMPARE(before.size(), 4); // two spools, two locks

        QVERIFY(ResultDetailsSpool::sweepStale(runs).isEmpty());
        QCOMPARE(folderEntries(runs), before);
        QVERIFY(QFileInfo(theirs).size() > 0); // its record, untouched
        const auto othersMay = QFileDevice::ReadGroup | QFileDevice::ReadOther |
                               QFileDevice::WriteGroup | QFileDevice::WriteOther;
        QVERIFY(!(QFileInfo((*ours)->fileName()).permissions() & othersMay));
        QVERIFY(!(QFileInfo((*ours)->fileName() + s(".lock")).permissions() & othersMay));
        QVERIFY((*ours)->append(ScenarioResult{}).ok());
        QVERIFY((*ours)->read(0).ok());

        // The other run ends as a run ends: it removes its own spool and lock.
        child->write("end\n");
        QVERIFY(child->waitForFinished(20000));
        QCOMPARE(child->exitStatus(), QProcess::NormalExit);
        QCOMPARE(child->exitCode(), 0);
        QVERIFY(!QFileInfo::exists(theirs) && !QFileInfo::exists(theirs + s(".lock")));

        // A second one, killed: now its owner is gone, and the sweep takes it; ours stays.
        QString killed;
        child = spoolChild(runs, &killed);
        QVERIFY(child);
        QVERIFY(ResultDetailsSpool::sweepStale(runs).isEmpty());
        QVERIFY(QFileInfo(killed).isFile()); // still live
        child->kill();
        QVERIFY(child->waitForFinished(20000));
        QVERIFY(ResultDetailsSpool::sweepStale(runs).isEmpty());
        QVERIFY(!QFileInfo::exists(killed) && !QFileInfo::exists(killed + s(".lock")));
        QCOMPARE(folderEntries(runs),
                 (QStringList{QFileInfo((*ours)->fileName()).fileName(),
                              QFileInfo((*ours)->fileName()).fileName() + s(".lock")}));
        const QString mine = (*ours)->fileName();
        ours->reset(); // the run is closed: its spool and lock go
        QVERIFY(!QFileInfo::exists(mine) && !QFileInfo::exists(mine + s(".lock")));
        QVERIFY(folderEntries(runs).isEmpty());
    }

    // The sweep removes only what the spool's exact name pattern names and we made: a plain
    // file of ours. Names that merely resemble it, symlinks (to files outside the folder, or
    // dangling), a folder under the name and the saved runs stay, and so do the files the
    // symlinks point to. A spool of an older version (no lock) is swept: the sweep did run.
    void onlyOurSpoolsAreSwept() {
        QTemporaryDir dir;
        const QString runs = dir.filePath(s("test-runs"));
        const QString outside = dir.filePath(s("outside"));
        QVERIFY(QDir().mkpath(runs) && QDir().mkpath(outside));
        const auto write = [](const QString& path, const QByteArray& bytes) {
            QFile file(path);
            return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
        };
        const QStringList lookalikes = {
            s(".run-details-abcde.jsonl"),           s(".run-details-abcdefg.jsonl"),
            s(".run-details-abc-de.jsonl"),          s(".run-details-abcdef.json"),
            s(".run-details-abcdef.jsonl.bak"),      s(".run-details-abcdef.lock"),
            s("run-details-abcdef.jsonl"),           s("x.run-details-abcdef.jsonl"),
            s(".run-details-abcdef.jsonl~"),         s(".run-details-ab\u00e9def.jsonl"),
            s("2026-12-03T10-00-00Z-abc12345.json"),
        };
        for (const QString& name : lookalikes)
            QVERIFY2(write(QDir(runs).filePath(name), "keep " + name.toUtf8()), qPrintable(name));
        // Symlinks under the exact names, to files outside the folder.
        QVERIFY(write(QDir(outside).filePath(s("victim.jsonl")), "victim"));
        QVERIFY(write(QDir(outside).filePath(s("victim.lock")), "victim lock"));
        QVERIFY(QFile::link(QDir(outside).filePath(s("victim.jsonl")),
                            QDir(runs).filePath(s(".run-details-Linked.jsonl"))));
        QVERIFY(QFile::link(QDir(outside).filePath(s("nothing.jsonl")),
                            QDir(runs).filePath(s(".run-details-Dangle.jsonl"))));
        // A spool of ours whose lock is a symlink: not a lock we can trust; left alone.
        QVERIFY(write(QDir(runs).filePath(s(".run-details-LnkLck.jsonl")), "spool"));
        QVERIFY(QFile::link(QDir(outside).filePath(s("victim.lock")),
                            QDir(runs).filePath(s(".run-details-LnkLck.jsonl.lock"))));
        // A folder under the exact name.
        QVERIFY(QDir().mkpath(QDir(runs).filePath(s(".run-details-Folder.jsonl"))));
        QVERIFY(write(QDir(runs).filePath(s(".run-details-Folder.jsonl/inner")), "inner"));
        // An older version's spool (no lock): ended, ours, exactly named.
        QVERIFY(write(QDir(runs).filePath(s(".run-details-Stale1.jsonl")), "stale"));
        const QStringList before = folderEntries(runs);

        QVERIFY(ResultDetailsSpool::sweepStale(runs).isEmpty());
        QStringList expected = before;
        expected.removeOne(s(".run-details-Stale1.jsonl"));
        QCOMPARE(folderEntries(runs), expected);
        for (const QString& name : lookalikes) {
            QFile file(QDir(runs).filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), "keep " + name.toUtf8());
        }
        QVERIFY(QFileInfo(QDir(runs).filePath(s(".run-details-Linked.jsonl"))).isSymLink());
        QVERIFY(QFileInfo(QDir(runs).filePath(s(".run-details-Dangle.jsonl"))).isSymLink());
        QVERIFY(QFileInfo(QDir(runs).filePath(s(".run-details-LnkLck.jsonl.lock"))).isSymLink());
        QVERIFY(QFileInfo(QDir(runs).filePath(s(".run-details-LnkLck.jsonl"))).isFile());
        QVERIFY(QFileInfo(QDir(runs).filePath(s(".run-details-Folder.jsonl/inner"))).isFile());
        QCOMPARE(folderEntries(outside), (QStringList{s("victim.jsonl"), s("victim.lock")}));
        for (const auto& [name, bytes] : {std::pair{s("victim.jsonl"), QByteArray("victim")},
                                          std::pair{s("victim.lock"), QByteArray("victim lock")}}) {
            QFile file(QDir(outside).filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), bytes);
        }
    }
};

QTEST_GUILESS_MAIN(TestTestPlan)
#include "tst_test_plan.moc"
