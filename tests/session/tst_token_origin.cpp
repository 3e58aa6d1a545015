// #21.4 and #21.10 at the core: where a bearer token may go (TokenOrigin.h), the one check of
// target URLs (EndpointUrl.h), and the session call the console, dcrctl client and a test run's
// lifecycle steps all plan client operations with (Session::planClientOperation): a refused
// destination is recorded in the history and nothing is sent.
//
// RFC 6750 §5.3: "Clients MUST always use TLS (https) or equivalent transport security when
// making requests with bearer tokens." RFC 7592 §3: the client "MUST use its registration access
// token in all calls to the client configuration endpoint as an OAuth 2.0 Bearer Token", at the
// registration_client_uri the server returned: a URL the bank's answer chooses.
#include "../support/ScriptedServer.h"
#include "ScriptedBankKit.h"
#include "common/Utf8.h"
#include "sandbox/SandboxKit.h"
#include "session/Session.h"
#include "testplan/TestRunner.h"
#include "transport/EndpointUrl.h"
#include "transport/TokenOrigin.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using dcr::test::ScriptedBankKit;
using dcr::test::ScriptedServer;

namespace {

TokenOrigins bankOrigins() {
    TokenOrigins o;
    o.registrationEndpoint = QUrl(s("https://bank.example/register"));
    return o;
}

} // namespace

class TestTokenOrigin : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;
    QSslConfiguration m_tls;

    Profile bankProfile(quint16 port) const {
        Profile p;
        p.name = s("bank");
        p.registrationUrl = QUrl(s("https://localhost:%1/register").arg(port));
        p.caBundlePath = m_kit->path(s("ca.pem"));
        p.lifecycleAuth = LifecycleAuth::Rfc7592;
        return p;
    }
    static SubmissionResult submitAndWait(Session& session, const SubmissionPlan& plan) {
        QSignalSpy finished(&session, &Session::submissionFinished);
        auto id = session.submit(plan);
        if (!id)
            qFatal("submit: %s", qPrintable(id.error().message));
        if (!finished.wait(30000))
            qFatal("no answer");
        return finished.first().at(1).value<SubmissionResult>();
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(m_dir.filePath(s("kit")));
        QVERIFY(kit.ok());
        m_kit = *kit;
        m_tls = ScriptedBankKit::serverTls(*m_kit);
    }

    // --- the rule itself

    void originsAreSchemeHostAndPort() {
        QCOMPARE(originOf(QUrl(s("https://Bank.Example/register"))), s("https://bank.example"));
        QCOMPARE(originOf(QUrl(s("https://bank.example:443/x"))), s("https://bank.example"));
        QCOMPARE(originOf(QUrl(s("https://bank.example:8443/x"))), s("https://bank.example:8443"));
        QCOMPARE(originOf(QUrl(s("http://127.0.0.1:80/x"))), s("http://127.0.0.1"));
        QCOMPARE(originOf(QUrl(s("https://[::1]:8443/x"))), s("https://[::1]:8443"));
        QCOMPARE(*parseOrigin(s("https://mtls.bank.example:443/")), s("https://mtls.bank.example"));
        QVERIFY(!parseOrigin(s("https://mtls.bank.example/path")));
        QVERIFY(!parseOrigin(s("https://mtls.bank.example?x=1")));
        QVERIFY(!parseOrigin(s("mtls.bank.example")));
        QCOMPARE(
            *parseOriginList(s(" https://a.example, https://b.example:8443\nhttps://a.example")),
            (QStringList{s("https://a.example"), s("https://b.example:8443")}));
    }

    void tokenGoesOnlyToTheEndpointsOriginOverTls_data() {
        QTest::addColumn<QString>("destination");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("same origin") << "https://bank.example/register/c1" << true;
        QTest::newRow("same origin, explicit port") << "https://bank.example:443/r/c1" << true;
        QTest::newRow("same origin, other case") << "https://BANK.example/r/c1" << true;
        QTest::newRow("other port") << "https://bank.example:8443/register/c1" << false;
        QTest::newRow("other host") << "https://evil.example/register/c1" << false;
        QTest::newRow("sub-domain") << "https://x.bank.example/register/c1" << false;
        QTest::newRow("plain http, same host") << "http://bank.example/register/c1" << false;
        QTest::newRow("other scheme") << "ftp://bank.example/register/c1" << false;
    }
    void tokenGoesOnlyToTheEndpointsOriginOverTls() {
        QFETCH(QString, destination);
        QFETCH(bool, allowed);
        const Status checked = checkTokenDestination(QUrl(destination), bankOrigins());
        QCOMPARE(checked.ok(), allowed);
        if (!allowed) {
            QCOMPARE(checked.error().kind, ErrorKind::NetworkOriginRefused);
            QVERIFY2(checked.error().message.contains(s("https://bank.example")),
                     qPrintable(checked.error().message));
            QVERIFY2(checked.error().message.contains(s("Nothing was sent")),
                     qPrintable(checked.error().message));
        }
    }

    void allowedAndDiscoveredOriginsAndInsecureProfiles() {
        const QUrl mtls(s("https://mtls.bank.example/register/c1"));
        TokenOrigins o = bankOrigins();
        const Status refused = checkTokenDestination(mtls, o);
        QVERIFY(!refused);
        // Both origins and the way out are named.
        QVERIFY(refused.error().message.contains(s("https://mtls.bank.example")));
        QVERIFY(refused.error().message.contains(s("registration endpoint's origin "
                                                   "https://bank.example")));
        QVERIFY(refused.error().message.contains(s("--allow-origin https://mtls.bank.example")));
        o.allowed = {s("https://mtls.bank.example")};
        QVERIFY(checkTokenDestination(mtls, o));
        o.allowed.clear();
        o.discovered = {QUrl(s("https://mtls.bank.example/register"))};
        QVERIFY(checkTokenDestination(mtls, o));
        // Allowing an http origin does not make plain HTTP acceptable for a verifying profile...
        o.allowed = {s("http://bank.example")};
        const Status http = checkTokenDestination(QUrl(s("http://bank.example/r/c1")), o);
        QVERIFY(!http);
        QVERIFY2(http.error().message.contains(s("RFC 6750 §5.3")),
                 qPrintable(http.error().message));
        // ...an insecure profile (a test bank) may use http at its own origin, still no other.
        TokenOrigins test;
        test.registrationEndpoint = QUrl(s("http://127.0.0.1:8080/register"));
        test.insecure = true;
        QVERIFY(checkTokenDestination(QUrl(s("http://127.0.0.1:8080/register/c1")), test));
        QVERIFY(!checkTokenDestination(QUrl(s("http://127.0.0.1:8081/register/c1")), test));
    }

    // #21.10: each bad URL says what is wrong with it.
    void endpointUrlsAreCheckedOnce_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("says");
        QTest::newRow("file") << "file:///etc/passwd"
                              << "has the scheme \"file:\", not https";
        QTest::newRow("ftp") << "ftp://bank.example/x"
                             << "has the scheme \"ftp:\", not https";
        QTest::newRow("javascript") << "javascript:alert(1)"
                                    << "has the scheme \"javascript:\"";
        QTest::newRow("no host") << "https://"
                                 << "has no host";
        QTest::newRow("no host, path") << "https:///register"
                                       << "has no host";
        QTest::newRow("no slashes") << "https:bank.example"
                                    << "has no host";
        QTest::newRow("port 99999") << "https://host:99999/x"
                                    << "has the port 99999, outside";
        QTest::newRow("port 65536") << "https://host:65536/x"
                                    << "has the port 65536, outside";
        QTest::newRow("port 0") << "https://host:0/x"
                                << "has the port 0, outside";
        QTest::newRow("port letters") << "https://host:abc/x"
                                      << "\"abc\", which is not a number";
        QTest::newRow("words") << "not a url"
                               << "is not a URL: it has no scheme";
        QTest::newRow("space in path") << "https://host/a b"
                                       << "cannot be parsed as a URL";
        QTest::newRow("empty") << "  "
                               << "--url is empty";
    }
    void endpointUrlsAreCheckedOnce() {
        QFETCH(QString, url);
        QFETCH(QString, says);
        const auto parsed = parseEndpointUrl(url, s("--url"));
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message.contains(says), qPrintable(parsed.error().message));
    }
    void goodEndpointUrlsPass() {
        for (const char* good : {"https://bank.example/register", "http://127.0.0.1:8080/r",
                                 "HTTPS://Bank.example", "https://[::1]:8443/register",
                                 "https://host:65535/x", "https://host:1/x", "https://host:/x"}) {
            const auto parsed = parseEndpointUrl(s(good), s("--url"));
            QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
            QVERIFY(checkEndpointUrl(*parsed, s("--url")));
        }
        // A saved profile's URL, already parsed, gets the same words.
        QVERIFY(checkEndpointUrl(QUrl(s("gopher://bank.example/r")), s("the registration URL"))
                    .error()
                    .message.contains(s("has the scheme \"gopher:\"")));
    }

    // --- the session call every front end plans client operations with

    // A destination the bank's answer chose at another origin, over plain HTTP: the plan is
    // refused, submitting it writes a history row with the refusal as its failure, and the other
    // server receives nothing.
    void sessionRecordsTheRefusalAndSendsNothing() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        ScriptedServer bank(ScriptedServer::Behaviour::Ok, &m_tls);
        ScriptedServer elsewhere(ScriptedServer::Behaviour::Ok);
        const Profile profile = bankProfile(bank.port());
        const QUrl other(s("http://127.0.0.1:%1/register/c1").arg(elsewhere.port()));
        for (RegistrationOperation op :
             {RegistrationOperation::Read, RegistrationOperation::Delete}) {
            auto plan = session.planClientOperation(profile, op, s("c1"), "rat-secret", {}, other);
            QVERIFY(plan);
            QVERIFY(plan->refusal);
            QCOMPARE(plan->refusal->kind, ErrorKind::NetworkOriginRefused);
            QVERIFY(
                plan->refusal->message.contains(s("http://127.0.0.1:%1").arg(elsewhere.port())));
            QVERIFY(plan->refusal->message.contains(s("https://localhost:%1").arg(bank.port())));
            const SubmissionResult result = submitAndWait(session, *plan);
            QVERIFY(!result.exchange.completed());
            QCOMPARE(result.exchange.failure->kind, ErrorKind::NetworkOriginRefused);
            QVERIFY(result.historyId != 0);
            auto row = session.historyRecord(result.historyId);
            QVERIFY(row);
            QCOMPARE(row->outcome, s("transport"));
            QCOMPARE(row->failureClass, s("origin-refused"));
            QCOMPARE(row->failureMessage, plan->refusal->message);
        }
        QVERIFY(elsewhere.receivedRequests().isEmpty());
        QVERIFY(bank.receivedRequests().isEmpty());
        // The registration endpoint's own origin is planned as before and reached.
        auto own = session.planClientOperation(profile, RegistrationOperation::Read, s("c1"),
                                               "rat-secret", {});
        QVERIFY(own);
        QVERIFY(!own->refusal);
        QVERIFY(submitAndWait(session, *own).exchange.completed());
        QCOMPARE(bank.receivedRequests().size(), 1);
        QVERIFY(bank.receivedRequests().first().contains("Authorization: Bearer rat-secret"));
    }

    // An origin the discovery document names (mtls_endpoint_aliases, RFC 8705 §5) is one the
    // bank vouched for: once the document was fetched in this session, the token may go there.
    // The profile's own list allows another one.
    void discoveredAndProfileOriginsAreAllowed() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        ScriptedServer bank(ScriptedServer::Behaviour::Ok, &m_tls);
        ScriptedServer alias(ScriptedServer::Behaviour::Ok, &m_tls);
        ScriptedServer listed(ScriptedServer::Behaviour::Ok, &m_tls);
        const QString aliasBase = s("https://127.0.0.1:%1").arg(alias.port());
        const QByteArray document =
            QJsonDocument(
                QJsonObject{
                    {"issuer", s("https://localhost:%1").arg(bank.port())},
                    {"registration_endpoint", s("https://localhost:%1/register").arg(bank.port())},
                    {"mtls_endpoint_aliases",
                     QJsonObject{{"registration_endpoint", aliasBase + s("/register")}}}})
                .toJson(QJsonDocument::Compact);
        auto discovery = ScriptedServer::answering(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            "Content-Length: " +
                QByteArray::number(document.size()) + "\r\n\r\n" + document,
            &m_tls);
        Profile profile = bankProfile(bank.port());
        profile.discoveryUrl =
            QUrl(s("https://localhost:%1/.well-known/openid-configuration").arg(discovery->port()));
        const QUrl atAlias(aliasBase + s("/register/c1"));
        auto before = session.planClientOperation(profile, RegistrationOperation::Read, s("c1"),
                                                  "tok", {}, atAlias);
        QVERIFY(before && before->refusal); // not fetched yet: unknown
        bool fetched = false;
        session.fetchDiscovery(profile, [&](const DiscoveryOutcome& o) { fetched = o.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(fetched, 30000);
        auto after = session.planClientOperation(profile, RegistrationOperation::Read, s("c1"),
                                                 "tok", {}, atAlias);
        QVERIFY(after);
        QVERIFY2(!after->refusal, qPrintable(after->refusal ? after->refusal->message : QString()));
        QVERIFY(submitAndWait(session, *after).exchange.completed());
        QCOMPARE(alias.receivedRequests().size(), 1);
        // Another https origin: refused until the profile lists it.
        const QUrl atListed(s("https://127.0.0.1:%1/register/c1").arg(listed.port()));
        auto unlisted = session.planClientOperation(profile, RegistrationOperation::Read, s("c1"),
                                                    "tok", {}, atListed);
        QVERIFY(unlisted && unlisted->refusal);
        QVERIFY(unlisted->refusal->message.contains(
            s("nor one the discovery document names (https://localhost:%1, %2)")
                .arg(bank.port())
                .arg(aliasBase)));
        profile.tokenOrigins = {s("https://127.0.0.1:%1").arg(listed.port())};
        auto allowed = session.planClientOperation(profile, RegistrationOperation::Read, s("c1"),
                                                   "tok", {}, atListed);
        QVERIFY(allowed && !allowed->refusal);
        QVERIFY(submitAndWait(session, *allowed).exchange.completed());
        QCOMPARE(listed.receivedRequests().size(), 1);
        // The setting survives the profile store.
        QCOMPARE(Profile::fromJson(profile.toJson()).tokenOrigins, profile.tokenOrigins);
    }

    // An http registration endpoint: its bearer-token calls are refused unless the profile is
    // marked insecure (a test bank), and then only at its own origin.
    void plainHttpNeedsAnInsecureProfile() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        ScriptedServer bank(ScriptedServer::Behaviour::Ok);
        Profile profile;
        profile.name = s("test bank");
        profile.registrationUrl = QUrl(s("http://127.0.0.1:%1/register").arg(bank.port()));
        auto verifying =
            session.planClientOperation(profile, RegistrationOperation::Read, s("c1"), "tok");
        // An http registration URL on a profile not marked insecure is refused when the target
        // is planned, before any token is looked at: nothing to send, nothing sent.
        QVERIFY(!verifying);
        QVERIFY2(verifying.error().message.contains(s("is plain http")),
                 qPrintable(verifying.error().message));
        QVERIFY(bank.receivedRequests().isEmpty());
        profile.insecure = true;
        auto insecure =
            session.planClientOperation(profile, RegistrationOperation::Read, s("c1"), "tok");
        QVERIFY(insecure && !insecure->refusal);
        QVERIFY(submitAndWait(session, *insecure).exchange.completed());
        QCOMPARE(bank.receivedRequests().size(), 1);
    }

    // A test run's lifecycle steps plan through the same call: the read after a registration
    // whose 201 names another origin is an error that says why, recorded, and nothing is sent.
    void testRunLifecycleStepIsRefused() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        ScriptedServer elsewhere(ScriptedServer::Behaviour::Ok);
        const QString other = s("http://127.0.0.1:%1").arg(elsewhere.port());
        ScriptedServer bank(ScriptedServer::Behaviour::Custom, &m_tls);
        bank.setResponder([other](QTcpSocket* socket, const QByteArray&) {
            const QByteArray body =
                QJsonDocument(QJsonObject{{"client_id", "c1"},
                                          {"registration_access_token", "rat-secret"},
                                          {"registration_client_uri", other + s("/register/c1")}})
                    .toJson(QJsonDocument::Compact);
            socket->write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                          "Connection: close\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
        Profile profile = bankProfile(bank.port());
        profile.signingKeyPath = m_kit->path(s("tpp-signing-key.pem"));
        profile.aud = m_kit->aud();
        profile.specVersion = SpecVersion::Obie33;
        QVERIFY(session.saveProfile(profile).ok());
        TestPlan plan;
        plan.name = s("lifecycle");
        for (const auto& scenario : TestPlan::builtIn().scenarios)
            if (scenario.step == s("register") || scenario.id == s("DCR-005-read"))
                plan.scenarios << scenario;
        QCOMPARE(plan.scenarios.size(), 2);
        TestRunner runner(session);
        QSignalSpy finished(&runner, &TestRunner::finished);
        const Status started =
            runner.start(plan, profile, m_kit->demoRequest(QDateTime::currentDateTimeUtc()));
        QVERIFY2(started.ok(), started ? "" : qPrintable(started.error().message));
        QVERIFY(finished.wait(60000));
        const auto& results = runner.summary().results;
        QCOMPARE(results.size(), 2);
        QVERIFY2(results.at(0).verdict == Verdict::Passed, qPrintable(results.at(0).reason));
        const ScenarioResult& read = results.at(1);
        QCOMPARE(read.verdict, Verdict::Error);
        QVERIFY2(read.reason.contains(s("refused before sending")) && read.reason.contains(other) &&
                     read.reason.contains(s("https://localhost:%1").arg(bank.port())),
                 qPrintable(read.reason));
        QCOMPARE(read.historyIds.size(), 1);
        QCOMPARE(session.historyRecord(read.historyIds.first())->failureClass, s("origin-refused"));
        QVERIFY(elsewhere.receivedRequests().isEmpty());
        QCOMPARE(bank.receivedRequests().size(), 1); // the registration only
    }

    // #21.10 in the session: a saved profile's unusable URL is refused when planned, in words.
    void sessionTargetChecksTheUrl() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        Profile profile;
        profile.name = s("odd");
        profile.registrationUrl = QUrl(s("ftp://bank.example/register"));
        auto target = session.target(profile);
        QVERIFY(!target);
        QVERIFY2(target.error().message.contains(s("profile \"odd\": the registration URL")) &&
                     target.error().message.contains(s("has the scheme \"ftp:\"")),
                 qPrintable(target.error().message));
    }
};

QTEST_MAIN(TestTokenOrigin)
#include "tst_token_origin.moc"
