// Real TLS on 127.0.0.1 with ephemeral ports and a PKI generated at test time: the sandbox in
// both modes, every seed error class, TLS failures, and misbehaving servers.
#include "ScriptedServer.h"
#include "TestSupport.h"
#include "jose/CertificateBuilder.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"
#include "sandbox/SandboxServer.h"
#include "transport/JwksCache.h"
#include "transport/RegistrationClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace dcr;
using namespace dcr::test;

namespace {

HttpExchange waitFor(RegistrationClient& client, quint64 id, int timeoutMs = 20000) {
    QSignalSpy spy(&client, &RegistrationClient::finished);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        for (const auto& args : spy)
            if (args.at(0).toULongLong() == id)
                return args.at(1).value<HttpExchange>();
        spy.wait(200);
    }
    HttpExchange none;
    none.failure = Error{ErrorKind::NetworkOther, QStringLiteral("test: no finished signal")};
    return none;
}

QString describe(const HttpExchange& e) {
    return QStringLiteral("status %1 failure %2 body %3")
        .arg(e.status)
        .arg(e.failure ? e.failure->toString() : QStringLiteral("none"))
        .arg(QString::fromUtf8(e.responseBody.left(300)));
}

} // namespace

class TestTransport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;
    std::unique_ptr<SandboxServer> m_seed;
    std::unique_ptr<SandboxServer> m_obie;

    TransportSettings tppTransport() const {
        TransportSettings s;
        s.clientCertificate = m_kit->tppTransportCertificate();
        s.clientKey = m_kit->tppTransportKey();
        s.extraCaCertificates = {m_kit->caCertificate()};
        s.timeoutMs = 15000;
        return s;
    }
    QByteArray signedDemo(const std::function<void(RegistrationRequest&)>& change = {}) const {
        RegistrationRequest r = m_kit->demoRequest(QDateTime::currentDateTimeUtc());
        if (change)
            change(r);
        return *r.sign(m_kit->tppSigningKey(), {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}});
    }
    QUrl seedUrl() const {
        return QUrl(m_seed->baseUrl().toString() + SandboxAspsp::seedRegisterPath());
    }
    QUrl obieUrl() const {
        return QUrl(m_obie->baseUrl().toString() + QStringLiteral("/register"));
    }

    HttpExchange post(const QUrl& url, const QByteArray& body,
                      const QByteArray& contentType = "application/jwt",
                      const TransportSettings* settings = nullptr) {
        RegistrationClient client;
        client.setTransport(settings ? *settings : tppTransport());
        return waitFor(client, client.registerClient(url, body, contentType));
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(m_dir.filePath(QStringLiteral("kit")));
        QVERIFY2(kit.ok(), qPrintable(kit.ok() ? QString() : kit.error().message));
        m_kit = *kit;
        m_seed = std::make_unique<SandboxServer>(*m_kit, SandboxMode::Seed);
        m_obie = std::make_unique<SandboxServer>(*m_kit, SandboxMode::Obie);
        // RFC 7592 style: the transport test drives the lifecycle with the registration token.
        m_obie->aspsp().setLifecycleAuth(SandboxLifecycleAuth::RegistrationAccessToken);
        QVERIFY(m_seed->start(0).ok());
        QVERIFY(m_obie->start(0).ok());
    }

    void seedModeRegisters() {
        const HttpExchange e = post(seedUrl(), signedDemo());
        QVERIFY2(e.completed() && e.status == 200, qPrintable(describe(e)));
        const auto outcome = classifyResponse(e.status, e.responseHeaders, e.responseBody);
        QCOMPARE(outcome.kind, OutcomeKind::Accepted);
        QCOMPARE(outcome.message,
                 QStringLiteral("Request is processed. We will send the response via email."));
        QVERIFY(e.tlsProtocol.startsWith(QStringLiteral("TLSv1.")));
        QVERIFY(!e.peerChain.isEmpty());
        QCOMPARE(e.requestHeaders.first().second, QByteArray("application/jwt"));
    }

    void seedErrorClasses_data() {
        QTest::addColumn<QString>("errorClass");
        QTest::addColumn<int>("status");
        QTest::newRow("RequestFormatInvalid") << "RequestFormatInvalid" << 400;
        QTest::newRow("WrongRequiredFields") << "WrongRequiredFields" << 401;
        QTest::newRow("AccessDenied (SSA)") << "AccessDenied" << 401;
        QTest::newRow("AccessDenied (request signature)") << "AccessDenied" << 401;
        QTest::newRow("NotFound") << "NotFound" << 404;
        QTest::newRow("Invalid") << "Invalid" << 406;
        QTest::newRow("ResourceUnknown") << "ResourceUnknown" << 404;
    }
    void seedErrorClasses() {
        QFETCH(QString, errorClass);
        QFETCH(int, status);
        const QString row = QString::fromLatin1(QTest::currentDataTag());
        HttpExchange e;
        if (row == QStringLiteral("RequestFormatInvalid")) {
            e = post(seedUrl(), signedDemo(), "text/plain");
        } else if (row == QStringLiteral("WrongRequiredFields")) {
            e = post(seedUrl(),
                     signedDemo([](RegistrationRequest& r) { r.remove(QStringLiteral("aud")); }));
        } else if (row == QStringLiteral("AccessDenied (SSA)")) {
            const Key other = *Key::generateRsa(2048);
            const QByteArray forged =
                *JwsSigner::signClaims(m_kit->softwareStatementClaims(
                                           m_kit->softwareId(), QDateTime::currentDateTimeUtc()),
                                       other, {JwsAlgorithm::PS256, m_kit->directoryKid(), {}});
            e = post(seedUrl(), signedDemo([&](RegistrationRequest& r) {
                         r.setString(QStringLiteral("software_statement"),
                                     QString::fromLatin1(forged));
                     }));
        } else if (row == QStringLiteral("AccessDenied (request signature)")) {
            RegistrationRequest r = m_kit->demoRequest(QDateTime::currentDateTimeUtc());
            e = post(seedUrl(), *r.sign(*Key::generateRsa(2048),
                                        {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}}));
        } else if (row == QStringLiteral("NotFound")) {
            const QByteArray foreign = *m_kit->signSoftwareStatement(m_kit->softwareStatementClaims(
                QStringLiteral("UnknownSoftware123"), QDateTime::currentDateTimeUtc()));
            e = post(seedUrl(), signedDemo([&](RegistrationRequest& r) {
                         r.setString(QStringLiteral("software_statement"),
                                     QString::fromLatin1(foreign));
                     }));
        } else if (row == QStringLiteral("Invalid")) {
            e = post(seedUrl(), signedDemo([](RegistrationRequest& r) {
                         r.setStringList(QStringLiteral("redirect_uris"),
                                         {QStringLiteral("https://evil.example.com/cb")});
                     }));
        } else {
            e = post(QUrl(m_seed->baseUrl().toString() + QStringLiteral("/no/such/path")),
                     signedDemo());
        }
        QVERIFY2(e.completed(), qPrintable(describe(e)));
        QCOMPARE(e.status, status);
        const auto outcome = classifyResponse(e.status, e.responseHeaders, e.responseBody);
        QCOMPARE(outcome.kind, OutcomeKind::Error);
        QCOMPARE(outcome.format, BodyFormat::SeedTppMessages);
        QCOMPARE(outcome.errorClass, errorClass);
        QVERIFY(!outcome.likelyFix.isEmpty());
    }

    void obieLifecycle() {
        RegistrationClient client;
        client.setTransport(tppTransport());
        HttpExchange e =
            waitFor(client, client.registerClient(obieUrl(), signedDemo(), "application/jose"));
        QVERIFY2(e.status == 201, qPrintable(describe(e)));
        const auto outcome =
            classifyResponse(e.status, e.responseHeaders, e.responseBody,
                             m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims());
        QCOMPARE(outcome.kind, OutcomeKind::Registered);
        const QString clientId = outcome.clientId();
        const QString token =
            outcome.client.value(QStringLiteral("registration_access_token")).toString();
        QVERIFY(!clientId.isEmpty() && !token.isEmpty());
        // The exchange masks the token unless asked to reveal it.
        QVERIFY(!QJsonDocument(e.toJson()).toJson().contains(token.toUtf8()));
        QVERIFY(QJsonDocument(e.toJson(true)).toJson().contains(token.toUtf8()));

        e = waitFor(client, client.getClient(obieUrl(), clientId, token));
        QCOMPARE(e.status, 200);
        QVERIFY(!QJsonDocument(e.toJson()).toJson().contains(("Bearer " + token).toUtf8()));
        e = waitFor(client, client.updateClient(obieUrl(), clientId, token,
                                                signedDemo([](RegistrationRequest& r) {
                                                    r.setString(QStringLiteral("scope"),
                                                                QStringLiteral("openid accounts"));
                                                })));
        QCOMPARE(e.status, 200);
        QCOMPARE(QJsonDocument::fromJson(e.responseBody)
                     .object()
                     .value(QStringLiteral("scope"))
                     .toString(),
                 QStringLiteral("openid accounts"));
        e = waitFor(client, client.getClient(obieUrl(), clientId, QStringLiteral("wrong-token")));
        QCOMPARE(e.status, 401);
        e = waitFor(client, client.deleteClient(obieUrl(), clientId, token));
        QCOMPARE(e.status, 204);
        e = waitFor(client, client.getClient(obieUrl(), clientId, token));
        QCOMPARE(e.status, 401);
    }

    void obieRfc7591Errors() {
        HttpExchange e = post(obieUrl(), signedDemo([](RegistrationRequest& r) {
                                  r.setStringList(QStringLiteral("redirect_uris"),
                                                  {QStringLiteral("https://evil.example.com/cb")});
                              }));
        QCOMPARE(e.status, 400);
        auto o = classifyResponse(e.status, e.responseHeaders, e.responseBody);
        QCOMPARE(o.format, BodyFormat::Rfc7591Error);
        QCOMPARE(o.errorClass, QStringLiteral("invalid_redirect_uri"));
        e = post(obieUrl(), signedDemo([](RegistrationRequest& r) {
                     r.setString(QStringLiteral("application_type"), QStringLiteral("desktop"));
                 }));
        QCOMPARE(classifyResponse(e.status, e.responseHeaders, e.responseBody).errorClass,
                 QStringLiteral("invalid_client_metadata"));
        const QByteArray foreign = *m_kit->signSoftwareStatement(m_kit->softwareStatementClaims(
            QStringLiteral("Other42"), QDateTime::currentDateTimeUtc()));
        e = post(obieUrl(), signedDemo([&](RegistrationRequest& r) {
                     r.setString(QStringLiteral("software_statement"),
                                 QString::fromLatin1(foreign));
                 }));
        QCOMPARE(classifyResponse(e.status, e.responseHeaders, e.responseBody).errorClass,
                 QStringLiteral("unapproved_software_statement"));
        e = post(obieUrl(), signedDemo([&](RegistrationRequest& r) {
                     r.setString(QStringLiteral("software_statement"), QStringLiteral("not.a.jwt"));
                 }));
        QCOMPARE(classifyResponse(e.status, e.responseHeaders, e.responseBody).errorClass,
                 QStringLiteral("invalid_software_statement"));
    }

    void noClientCertificate() {
        TransportSettings s = tppTransport();
        s.clientCertificate = {};
        s.clientKey = {};
        const HttpExchange e = post(seedUrl(), signedDemo(), "application/jwt", &s);
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkTlsRefused,
                 qPrintable(describe(e)));
        QCOMPARE(e.status, 0);
    }

    void idleConnectionPoolsAreLetGo() {
        // Every test run presents a fresh untrusted identity: the pools of identities no longer
        // in use must not pile up for the life of the console.
        RegistrationClient client;
        for (int i = 0; i < 10; ++i) {
            TransportSettings s = tppTransport();
            const Key key = *Key::generateEcP256();
            s.clientCertificate = *issueCertificate(
                {QStringLiteral("run %1").arg(i), {}, {}, {}, {}, {}, {}, {}, false, false, true},
                key, m_kit->caKey(), m_kit->caCertificate());
            s.clientKey = key;
            client.setTransport(s);
            const HttpExchange e =
                waitFor(client, client.registerClient(seedUrl(), signedDemo(), "application/jwt"));
            QVERIFY2(e.completed(), qPrintable(describe(e)));
            QVERIFY2(client.connectionPools() <= 5,
                     qPrintable(QString::number(client.connectionPools())));
        }
    }

    void eachRequestPresentsItsOwnClientIdentity() {
        // One client, three requests to the same host and port: with the certificate, without
        // it, and with it again. Qt pools connections by host and port only; the request
        // without a certificate must not ride on the first one's authenticated connection
        // (a test plan's no-mTLS scenario would otherwise never reach the server as planned).
        RegistrationClient client;
        client.setTransport(tppTransport());
        const HttpExchange first =
            waitFor(client, client.registerClient(seedUrl(), signedDemo(), "application/jwt"));
        QVERIFY2(first.completed() && first.status == 200, qPrintable(describe(first)));
        TransportSettings none = tppTransport();
        none.clientCertificate = {};
        none.clientKey = {};
        client.setTransport(none);
        const HttpExchange second =
            waitFor(client, client.registerClient(seedUrl(), signedDemo(), "application/jwt"));
        QVERIFY2(second.failure && second.failure->kind == ErrorKind::NetworkTlsRefused,
                 qPrintable(describe(second)));
        client.setTransport(tppTransport());
        const HttpExchange third =
            waitFor(client, client.registerClient(seedUrl(), signedDemo(), "application/jwt"));
        QVERIFY2(third.completed() && third.status == 200, qPrintable(describe(third)));
    }

    void clientCertificateFromAnotherCa() {
        const Key otherCaKey = *Key::generateRsa(2048);
        const Certificate otherCa = *issueCertificate(
            {QStringLiteral("Other CA"), {}, {}, {}, {}, {}, {}, {}, true, false, false},
            otherCaKey, otherCaKey);
        TransportSettings s = tppTransport();
        s.clientCertificate = *issueCertificate(
            {QStringLiteral("intruder"), {}, {}, {}, {}, {}, {}, {}, false, false, true},
            s.clientKey, otherCaKey, otherCa);
        const HttpExchange e = post(seedUrl(), signedDemo(), "application/jwt", &s);
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkTlsRefused,
                 qPrintable(describe(e)));
    }

    void expiredClientCertificate() {
        TransportSettings s = tppTransport();
        CertificateRequest req{QStringLiteral("expired"),
                               {},
                               {},
                               {},
                               {},
                               {},
                               QDateTime::currentDateTimeUtc().addDays(-30),
                               QDateTime::currentDateTimeUtc().addDays(-1),
                               false,
                               false,
                               true};
        s.clientCertificate =
            *issueCertificate(req, s.clientKey, m_kit->caKey(), m_kit->caCertificate());
        const HttpExchange e = post(seedUrl(), signedDemo(), "application/jwt", &s);
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkTlsRefused,
                 qPrintable(describe(e)));
    }

    void untrustedServerCa() {
        TransportSettings s = tppTransport();
        s.extraCaCertificates.clear();
        const HttpExchange e = post(seedUrl(), signedDemo(), "application/jwt", &s);
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkTls, qPrintable(describe(e)));
        QVERIFY2(e.failure->message.contains(QStringLiteral("unknown CA")),
                 qPrintable(e.failure->message));
        // The explicit insecure switch gets through and says so in the exchange.
        s.insecure = true;
        const HttpExchange insecure = post(seedUrl(), signedDemo(), "application/jwt", &s);
        QVERIFY2(insecure.status == 200, qPrintable(describe(insecure)));
        QVERIFY(insecure.insecure);
        QVERIFY(insecure.toJson().value(QStringLiteral("insecure")).toBool());
    }

    void hostnameMismatch() {
        const Key key = *Key::generateRsa(2048);
        const Certificate cert = *issueCertificate({QStringLiteral("other.example"),
                                                    {},
                                                    {},
                                                    {},
                                                    {QStringLiteral("other.example")},
                                                    {},
                                                    {},
                                                    {},
                                                    false,
                                                    true,
                                                    false},
                                                   key, m_kit->caKey(), m_kit->caCertificate());
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(cert.toPem()));
        tls.setPrivateKey(QSslKey(key.privatePkcs8Pem(), QSsl::Rsa));
        ScriptedServer server(ScriptedServer::Behaviour::Ok, &tls);
        const HttpExchange e =
            post(QUrl(QStringLiteral("https://127.0.0.1:%1/register").arg(server.port())), "x");
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkTls, qPrintable(describe(e)));
        QVERIFY2(e.failure->message.contains(QStringLiteral("hostname mismatch")),
                 qPrintable(e.failure->message));
    }

    void serverNeverAnswers() {
        ScriptedServer server(ScriptedServer::Behaviour::NeverAnswer);
        TransportSettings s;
        s.timeoutMs = 700;
        const HttpExchange e =
            post(QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(server.port())), "x",
                 "application/jwt", &s);
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkTimeout,
                 qPrintable(describe(e)));
        QVERIFY(e.elapsedMs >= 600 && e.elapsedMs < 10000);
    }

    void connectionResetMidBody() {
        ScriptedServer server(ScriptedServer::Behaviour::ResetMidBody);
        const HttpExchange e =
            post(QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(server.port())), "x");
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkReset, qPrintable(describe(e)));
    }

    void oversizeBody() {
        ScriptedServer server(ScriptedServer::Behaviour::Oversize);
        TransportSettings s;
        s.maxResponseBytes = 1024 * 1024;
        const HttpExchange e =
            post(QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(server.port())), "x",
                 "application/jwt", &s);
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkOversize,
                 qPrintable(describe(e)));
        QVERIFY(e.truncated);
        QCOMPARE(e.responseBody.size(), 1024 * 1024);
    }

    void gatewayHtml502() {
        ScriptedServer server(ScriptedServer::Behaviour::Html502);
        const HttpExchange e =
            post(QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(server.port())), "x");
        QVERIFY2(e.completed() && e.status == 502, qPrintable(describe(e)));
        const auto o = classifyResponse(e.status, e.responseHeaders, e.responseBody);
        QCOMPARE(o.format, BodyFormat::Html);
        QCOMPARE(o.kind, OutcomeKind::Error);
    }

    void redirectIsReportedNotFollowed() {
        ScriptedServer server(ScriptedServer::Behaviour::Redirect);
        const HttpExchange e =
            post(QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(server.port())), "x");
        QVERIFY2(e.completed() && e.status == 302, qPrintable(describe(e)));
        QCOMPARE(e.url.host(), QStringLiteral("127.0.0.1"));
        const auto o = classifyResponse(e.status, e.responseHeaders, e.responseBody);
        QCOMPARE(o.kind, OutcomeKind::Unexpected);
        QVERIFY(o.explanation.contains(QStringLiteral("https://elsewhere.example/register")));
        QVERIFY(o.explanation.contains(QStringLiteral("not followed")));
        QCOMPARE(server.receivedRequests().size(), 1);
    }

    void connectionRefusedAndBadUrl() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        HttpExchange e = post(QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(port)), "x");
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkConnectionRefused,
                 qPrintable(describe(e)));
        e = post(QUrl(QStringLiteral("ftp://example/register")), "x");
        QVERIFY(e.failure && e.failure->kind == ErrorKind::NetworkOther);
    }

    void cancel() {
        ScriptedServer server(ScriptedServer::Behaviour::NeverAnswer);
        RegistrationClient client;
        const quint64 id = client.registerClient(
            QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(server.port())), "x");
        QTimer::singleShot(100, &client, [&] { client.cancel(id); });
        const HttpExchange e = waitFor(client, id);
        QVERIFY2(e.failure && e.failure->kind == ErrorKind::NetworkCancelled,
                 qPrintable(describe(e)));
    }

    void jwksFetchedOnceThenCached() {
        RegistrationClient client;
        client.setTransport(tppTransport());
        JwksCache cache(&client, 300);
        const QUrl url(m_seed->baseUrl().toString() + QStringLiteral("/jwks/directory.jwks"));
        int answers = 0;
        std::optional<JwkSet> got;
        for (int i = 0; i < 2; ++i) {
            cache.fetch(url, [&](const Result<JwkSet>& r) {
                ++answers;
                QVERIFY(r.ok());
                got = *r;
            });
            QTRY_COMPARE_WITH_TIMEOUT(answers, i + 1, 15000);
        }
        QCOMPARE(cache.fetchCount(), 1);
        QVERIFY(got->select(m_kit->directoryKid()).ok());
        // The SSA verifies with the fetched directory keys.
        auto ssa = Jws::parse(m_kit->softwareStatement());
        QVERIFY(JwsVerifier::verifyWithJwks(*ssa, *got, {JwsAlgorithm::PS256}).ok());
        // A path that is not a JWKS is a clear error, not a crash.
        cache.fetch(QUrl(m_seed->baseUrl().toString() + QStringLiteral("/nope.jwks")),
                    [&](const Result<JwkSet>& r) {
                        ++answers;
                        QVERIFY(!r.ok());
                        QVERIFY(r.error().message.contains(QStringLiteral("HTTP 404")));
                    });
        QTRY_COMPARE_WITH_TIMEOUT(answers, 3, 15000);
    }

    void curlRegistersAgainstSandbox() {
        // curl is the independent client: PEM client certificate and key, the kit's CA.
        const QByteArray jwt = signedDemo();
        writeFile(m_dir.filePath(QStringLiteral("req.jwt")), jwt);
        QProcess curl;
        curl.start(QStringLiteral("curl"),
                   {"-s", "--noproxy", "*", "-w", "\n%{http_code}", "--max-time", "20", "--cacert",
                    m_kit->path(QStringLiteral("ca.pem")), "--cert",
                    m_kit->path(QStringLiteral("tpp-transport.pem")), "--key",
                    m_kit->path(QStringLiteral("tpp-transport-key.pem")), "-H",
                    "Content-Type: application/jwt", "--data-binary",
                    "@" + m_dir.filePath(QStringLiteral("req.jwt")), seedUrl().toString()});
        QTRY_VERIFY_WITH_TIMEOUT(curl.state() == QProcess::NotRunning, 30000);
        const QByteArray out = curl.readAllStandardOutput();
        QVERIFY2(curl.exitCode() == 0, curl.readAllStandardError().constData());
        QVERIFY2(out.endsWith("\n200"), out.constData());
        QVERIFY(out.contains("Request is processed"));
    }
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
