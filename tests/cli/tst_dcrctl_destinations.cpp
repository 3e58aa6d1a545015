// Where dcrctl may send things (issue #21): a bearer token only to the registration endpoint's
// origin over TLS (#21.4), and a target URL that is not an http(s) URL with a host and a valid
// port is a usage error before anything is sent or recorded (#21.10). dcrctl runs as a process
// against scripted banks on 127.0.0.1 (this test's event loop turns while it runs, so they answer).
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestDcrctlDestinations : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;
    QSslConfiguration m_tls;
    std::unique_ptr<ScriptedServer> m_bank;
    // What the bank's 201 names as registration_client_uri (set before each registration).
    QByteArray m_clientUri;
    QList<QByteArray> m_bankRequests;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    QString kit(const QString& n) const { return m_kit->path(n); }
    QString bankUrl() const { return QStringLiteral("https://localhost:%1").arg(m_bank->port()); }

    // Runs dcrctl with its own folders and keeps this event loop turning meanwhile.
    ProcessResult dcrctl(const QStringList& args) {
        return runWhileServing(QStringLiteral(DCRCTL_PATH), args, m_dir.path());
    }
    static QJsonObject json(const ProcessResult& r) {
        return QJsonDocument::fromJson(r.out).object();
    }
    qsizetype historyRows() {
        const auto r = dcrctl({"history", "list", "--json", "--limit", "1000"});
        if (r.exitCode != 0)
            qFatal("history list: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).array().size();
    }
    QJsonObject historyRecord(qint64 id) {
        return json(dcrctl({"history", "show", QString::number(id), "--json"}));
    }
    // Registers a client with the bank, whose 201 names `clientUri`; returns its client_id.
    QString registerClient(const QString& profile, const QByteArray& clientUri) {
        m_clientUri = clientUri;
        const auto r =
            dcrctl({"submit", "--profile", profile, "--claims", p("claims.json"), "--json"});
        if (r.exitCode != 0)
            qFatal("register: %s %s", r.out.constData(), r.err.constData());
        return json(r)
            .value("outcome")
            .toObject()
            .value("client")
            .toObject()
            .value("client_id")
            .toString();
    }
    void addProfile(const QString& name, const QStringList& extra) {
        const auto r =
            dcrctl(QStringList{"profile", "add", name, "--url",
                               bankUrl() + QStringLiteral("/register"), "--cacert", kit("ca.pem"),
                               "--signing-key", kit("tpp-signing-key.pem"), "--aud", m_kit->aud()} +
                   extra);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    static bool carriesBearer(const QList<QByteArray>& requests) {
        for (const QByteArray& raw : requests)
            if (raw.toLower().contains("authorization: bearer"))
                return true;
        return false;
    }

private slots:
    void initTestCase() {
        auto created = SandboxKit::create(p(QStringLiteral("kit")));
        QVERIFY(created.ok());
        m_kit = *created;
        m_tls = ScriptedBankKit::serverTls(*m_kit);
        // The bank: a registration is answered 201 with a fresh client whose
        // registration_client_uri is whatever the test set; a token request with a token; any
        // other request (a client read or delete at its own origin) 200.
        m_bank = std::make_unique<ScriptedServer>(ScriptedServer::Behaviour::Custom, &m_tls);
        m_bank->setResponder([this](QTcpSocket* socket, const QByteArray& request) {
            m_bankRequests << request;
            QByteArray status = "200 OK", body;
            if (request.startsWith("POST /register")) {
                const QString id = QStringLiteral("client-%1").arg(m_bankRequests.size());
                status = "201 Created";
                body = QJsonDocument(QJsonObject{{"client_id", id},
                                                 {"registration_access_token", "rat-secret-4242"},
                                                 {"registration_client_uri",
                                                  QString::fromUtf8(m_clientUri).arg(id)}})
                           .toJson(QJsonDocument::Compact);
            } else if (request.startsWith("POST /token")) {
                body = R"({"access_token":"at-secret-4242","token_type":"Bearer",)"
                       R"("expires_in":300})";
            } else {
                body = R"({"client_id":"client-1"})";
            }
            socket->write("HTTP/1.1 " + status +
                          "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                          "Content-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
        QJsonObject claims = m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims();
        for (const char* generated : {"iat", "exp", "jti", "aud"})
            claims.remove(QString::fromLatin1(generated));
        writeFile(p(QStringLiteral("claims.json")), QJsonDocument(claims).toJson());
        addProfile(QStringLiteral("rfc7592"), {"--lifecycle", "rfc7592"});
        addProfile(QStringLiteral("obie"),
                   {"--lifecycle", "obie", "--token-url", bankUrl() + QStringLiteral("/token")});
    }

    // #21.4: a 201 naming registration_client_uri at another origin, over plain HTTP, does not
    // get the registration access token. RFC 6750 §5.3: "Clients MUST always use TLS (https) or
    // equivalent transport security when making requests with bearer tokens." RFC 7592 §3: the
    // registration access token is sent to the client configuration endpoint as a bearer token,
    // so the endpoint named by the bank's answer is exactly where it would leak.
    void registrationTokenIsNotSentToAnotherOriginOverHttp() {
        ScriptedServer elsewhere(ScriptedServer::Behaviour::Ok); // plain HTTP, another port
        const QString otherOrigin = QStringLiteral("http://127.0.0.1:%1").arg(elsewhere.port());
        const QString clientId =
            registerClient(QStringLiteral("rfc7592"), otherOrigin.toUtf8() + "/register/%1");
        const qsizetype before = historyRows();
        const auto get =
            dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId, "--json"});
        QVERIFY2(get.exitCode != 0, get.out.constData());
        QCOMPARE(get.exitCode, 3); // not delivered
        const QJsonObject failure =
            json(get).value("exchange").toObject().value("failure").toObject();
        QCOMPARE(failure.value("class").toString(), QStringLiteral("origin-refused"));
        const QString message = failure.value("message").toString();
        QVERIFY2(message.contains(otherOrigin), qPrintable(message));      // where it would go
        QVERIFY2(message.contains(bankUrl()), qPrintable(message));        // where it may go
        QVERIFY2(message.contains("--allow-origin"), qPrintable(message)); // how to allow it
        QVERIFY2(message.contains("plain HTTP"), qPrintable(message));
        QVERIFY(!get.out.contains("rat-secret-4242"));
        // Nothing reached the other server (checked after dcrctl exited), and the attempt is a
        // history row with the refusal as its failure.
        QVERIFY(elsewhere.receivedRequests().isEmpty());
        QCOMPARE(historyRows(), before + 1);
        const QJsonObject row = historyRecord(json(get).value("history_id").toInteger());
        QCOMPARE(row.value("outcome").toString(), QStringLiteral("transport"));
        QVERIFY2(QJsonDocument(row).toJson().contains("origin-refused"),
                 QJsonDocument(row).toJson().constData());
        // The text output says it too.
        const auto text =
            dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId});
        QCOMPARE(text.exitCode, 3);
        QVERIFY2(text.out.contains("refused before sending") &&
                     text.out.contains(otherOrigin.toUtf8()),
                 text.out.constData());
        QVERIFY(elsewhere.receivedRequests().isEmpty());
        // Allowing an http origin is not enough: a bearer token never goes over plain HTTP on a
        // profile that verifies TLS.
        const auto allowedHttp = dcrctl({"client", "get", "--profile", "rfc7592", "--client-id",
                                         clientId, "--allow-origin", otherOrigin});
        QCOMPARE(allowedHttp.exitCode, 3);
        QVERIFY2(allowedHttp.out.contains("plain HTTP"), allowedHttp.out.constData());
        QVERIFY(elsewhere.receivedRequests().isEmpty());
    }

    // #21.4, OBIE lifecycle: the client_credentials access token fetched from the bank's token
    // endpoint is not sent to the other origin either (DELETE, the issue's example).
    void accessTokenIsNotSentToAnotherOriginOnDelete() {
        ScriptedServer elsewhere(ScriptedServer::Behaviour::Ok);
        const QString otherOrigin = QStringLiteral("http://127.0.0.1:%1").arg(elsewhere.port());
        const QString clientId =
            registerClient(QStringLiteral("obie"), otherOrigin.toUtf8() + "/register/%1");
        const qsizetype before = historyRows();
        const auto del =
            dcrctl({"client", "delete", "--profile", "obie", "--client-id", clientId, "--json"});
        QCOMPARE(del.exitCode, 3);
        QVERIFY2(del.err.contains("token:"), del.err.constData()); // the token was fetched
        const QString message = json(del)
                                    .value("exchange")
                                    .toObject()
                                    .value("failure")
                                    .toObject()
                                    .value("message")
                                    .toString();
        QVERIFY2(message.contains(otherOrigin) && message.contains(bankUrl()), qPrintable(message));
        QVERIFY(elsewhere.receivedRequests().isEmpty());
        // Two rows (#22.6): the token request that went to the bank, and the refused delete.
        QCOMPARE(historyRows(), before + 2);
    }

    // #21.4: another https origin is refused by default and reached with --allow-origin (the
    // check also lets through what it should).
    void allowOriginLetsAKnownHttpsOriginThrough() {
        ScriptedServer other(ScriptedServer::Behaviour::Ok, &m_tls);
        const QString otherOrigin = QStringLiteral("https://localhost:%1").arg(other.port());
        const QString clientId =
            registerClient(QStringLiteral("rfc7592"), otherOrigin.toUtf8() + "/register/%1");
        const auto refused =
            dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.out.contains(otherOrigin.toUtf8()) &&
                     refused.out.contains(bankUrl().toUtf8()),
                 refused.out.constData());
        QVERIFY(!refused.out.contains("plain HTTP"));
        QVERIFY(other.receivedRequests().isEmpty());
        const auto allowed = dcrctl({"client", "get", "--profile", "rfc7592", "--client-id",
                                     clientId, "--allow-origin", otherOrigin});
        // Sent (not refused, exit 3): the scripted {"message":"ok"} is no client configuration,
        // an unexpected answer to a read, which is exit 1 (#21.13).
        QVERIFY2(allowed.exitCode == 1, (allowed.out + allowed.err).constData());
        QCOMPARE(other.receivedRequests().size(), 1);
        QVERIFY(other.receivedRequests().first().contains("Authorization: Bearer rat-secret-4242"));
        // The profile's own list does the same, saved once.
        const auto saved = dcrctl({"profile", "add", "rfc7592", "--allow-origin", otherOrigin});
        QVERIFY2(saved.exitCode == 0, saved.err.constData());
        QVERIFY(json(dcrctl({"profile", "show", "rfc7592"}))
                    .value("token_origins")
                    .toArray()
                    .contains(otherOrigin));
        const auto byProfile =
            dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId});
        QVERIFY2(byProfile.exitCode == 1, (byProfile.out + byProfile.err).constData()); // as above
        QCOMPARE(other.receivedRequests().size(), 2);
        QVERIFY(carriesBearer(other.receivedRequests()));
        // A malformed origin is a usage error, nothing sent.
        const auto bad = dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId,
                                 "--allow-origin", "https://localhost:1/some/path"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("more than scheme, host and port"), bad.err.constData());
        QCOMPARE(other.receivedRequests().size(), 2);
    }

    // #21.4: the registration endpoint's own origin still gets the token (the usual case).
    void sameOriginStillGetsTheToken() {
        const QString clientId =
            registerClient(QStringLiteral("rfc7592"), bankUrl().toUtf8() + "/register/%1");
        const qsizetype bankBefore = m_bankRequests.size();
        const auto get = dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId});
        QVERIFY2(get.exitCode == 0, (get.out + get.err).constData());
        QCOMPARE(m_bankRequests.size(), bankBefore + 1);
        QVERIFY(m_bankRequests.last().startsWith("GET /register/" + clientId.toUtf8()));
        QVERIFY(m_bankRequests.last().contains("Authorization: Bearer rat-secret-4242"));
    }

    // #21.10: a URL that cannot be a target is a usage error (exit 2) that says what is wrong
    // with it; nothing is sent and no history row is written.
    void badUrlsAreUsageErrors_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("says");
        QTest::newRow("file scheme") << "file:///etc/passwd"
                                     << "has the scheme \"file:\", not https or http";
        QTest::newRow("ftp scheme") << "ftp://localhost/register"
                                    << "has the scheme \"ftp:\", not https or http";
        QTest::newRow("no host") << "https://"
                                 << "has no host";
        QTest::newRow("port out of range") << "https://host:99999/x"
                                           << "has the port 99999, outside the range 1-65535";
        QTest::newRow("port zero") << "https://host:0/x"
                                   << "has the port 0, outside the range";
        QTest::newRow("not a url") << "not a url"
                                   << "is not a URL: it has no scheme";
    }
    void badUrlsAreUsageErrors() {
        QFETCH(QString, url);
        QFETCH(QString, says);
        const qsizetype before = historyRows();
        const qsizetype bankBefore = m_bankRequests.size();
        const auto submit = dcrctl({"submit", "--url", url, "--signing-key",
                                    kit("tpp-signing-key.pem"), "--claims", p("claims.json")});
        QCOMPARE(submit.exitCode, 2);
        QVERIFY2(submit.err.contains("--url \"" + url.toUtf8() + "\" " + says.toUtf8()),
                 submit.err.constData());
        QVERIFY2(!submit.err.contains("no endpoint"), submit.err.constData());
        QVERIFY2(submit.out.isEmpty(), submit.out.constData());
        // The same URL as a test run's discovery document: not "the ASPSP could not be reached".
        const auto test = dcrctl({"test", "run", "--profile", "rfc7592", "--discovery", url});
        QCOMPARE(test.exitCode, 2);
        QVERIFY2(test.err.contains("--discovery \"" + url.toUtf8() + "\" " + says.toUtf8()),
                 test.err.constData());
        QVERIFY(!test.err.contains("could not be reached"));
        QCOMPARE(historyRows(), before);
        QCOMPARE(m_bankRequests.size(), bankBefore);
    }

    // #21.4: "An http:// registration URL is refused unless the profile is marked insecure."
    // RFC 7591 §3: "The client registration endpoint MUST be protected by a transport-layer
    // security mechanism". Refused before anything is planned: the plain-HTTP bank receives
    // nothing and no history row is written; with --insecure (a test bank) it is sent.
    void plainHttpRegistrationNeedsAnInsecureProfile() {
        ScriptedServer plain(ScriptedServer::Behaviour::Ok);
        const QString url = QStringLiteral("http://127.0.0.1:%1/register").arg(plain.port());
        const qsizetype before = historyRows();
        const auto added = dcrctl({"profile", "add", "plain bank", "--url", url, "--signing-key",
                                   kit("tpp-signing-key.pem"), "--aud", m_kit->aud()});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        const QStringList args{"submit", "--profile", "plain bank", "--claims", p("claims.json")};
        const auto refused = dcrctl(args);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("is plain http") && refused.err.contains(url.toUtf8()) &&
                     refused.err.contains("--insecure"),
                 refused.err.constData());
        QCOMPARE(historyRows(), before);
        QVERIFY(plain.receivedRequests().isEmpty());
        const auto sent = dcrctl(args + QStringList{"--insecure"});
        QVERIFY2(sent.exitCode == 0, sent.err.constData());
        QCOMPARE(plain.receivedRequests().size(), 1);
        QCOMPARE(historyRows(), before + 1);
    }

    // #21.10: the check lets good URLs through (IPv6 literal, explicit default port, http).
    void goodUrlsAreAccepted() {
        const auto r = dcrctl({"profile", "add", "v6", "--url", "https://[::1]:8443/register",
                               "--discovery-url", "http://localhost:80/.well-known/x"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto bad = dcrctl({"profile", "add", "v6", "--url", "https://host:65536/"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("has the port 65536, outside the range 1-65535"),
                 bad.err.constData());
    }
};

QTEST_MAIN(TestDcrctlDestinations)
#include "tst_dcrctl_destinations.moc"
