// dcrctl submit / client / history / profile as processes against dcr-sandbox processes.
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestDcrctlSubmit : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_seed, m_obie, m_rfc7592;
    quint16 m_seedPort = 0, m_obiePort = 0, m_rfc7592Port = 0;
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

    QJsonObject json(const ProcessResult& r) { return QJsonDocument::fromJson(r.out).object(); }

private slots:
    void initTestCase() {
        auto created = SandboxKit::create(p("kit"));
        QVERIFY(created.ok());
        m_kit = *created;
        m_seedPort = startSandbox(m_seed, QStringLiteral("seed"));
        m_obiePort = startSandbox(m_obie, QStringLiteral("obie"));
        m_rfc7592Port = startSandbox(m_rfc7592, QStringLiteral("obie"), {"--rfc7592"});
        QVERIFY(m_seedPort && m_obiePort && m_rfc7592Port);
        QJsonObject claims = m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims();
        for (const char* generated : {"iat", "exp", "jti", "aud"})
            claims.remove(
                QString::fromLatin1(generated)); // dcrctl fills these (aud from the profile)
        writeFile(p("claims.json"), QJsonDocument(claims).toJson());
        QJsonObject bad = claims;
        bad["redirect_uris"] = QJsonArray{"https://evil.example.com/cb"};
        writeFile(p("bad-claims.json"), QJsonDocument(bad).toJson());
        for (auto [name, port, path] :
             {std::tuple{"seed", m_seedPort, "/api/open-banking/v3.1/tpp/register"},
              std::tuple{"obie", m_obiePort, "/register"},
              std::tuple{"rfc7592", m_rfc7592Port, "/register"}}) {
            auto r = dcrctl(
                {"profile", "add", name, "--url",
                 QStringLiteral("https://localhost:%1%2").arg(port).arg(QString::fromLatin1(path)),
                 "--cert", kit("tpp-transport.pem"), "--key", kit("tpp-transport-key.pem"),
                 "--cacert", kit("ca.pem"), "--signing-key", kit("tpp-signing-key.pem"), "--aud",
                 m_kit->aud(), "--lifecycle",
                 // The --rfc7592 sandbox is an RFC 7592 bank: its updates name their client_id
                 // (RFC 7592 §2.2), which dcrctl adds to a signed update in rfc7592 mode.
                 QString::fromLatin1(name) == QStringLiteral("rfc7592") ? "rfc7592" : "obie"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }

    void cleanupTestCase() {
        for (QProcess* proc : {&m_seed, &m_obie, &m_rfc7592}) {
            proc->terminate();
            if (!proc->waitForFinished(3000))
                proc->kill();
        }
    }

    // The seed says "Content-Type: application/jwt" and OBIE DCR 3.3's body is the signed
    // OBClientRegistration1 JWT: neither sandbox takes RFC 7591 JSON bodies, and each says so in
    // words, not just "400". The refused attempt is still a history row holding the JSON sent.
    void jsonBodyIsRefusedBySandboxesInWords() {
        for (const char* profile : {"seed", "obie"}) {
            const auto r = dcrctl({"submit", "--profile", profile, "--body", "json", "--claims",
                                   p("claims.json"), "--json"});
            QVERIFY2(r.exitCode == 1, (r.out + r.err).constData());
            const QJsonObject out = json(r);
            QCOMPARE(out.value("exchange")
                         .toObject()
                         .value("response")
                         .toObject()
                         .value("status")
                         .toInt(),
                     400);
            QVERIFY2(r.out.contains("RequestFormatInvalid") || r.out.contains("invalid_request"),
                     r.out.constData());
            QVERIFY2(r.out.contains("not RFC 7591 JSON metadata (application/json)"),
                     r.out.constData());
            QVERIFY2(r.out.contains("dcrctl --body jwt"), r.out.constData());
            const auto shown =
                dcrctl({"history", "show", QString::number(out.value("history_id").toInteger()),
                        "--json"});
            QCOMPARE(shown.exitCode, 0);
            const QJsonObject request =
                QJsonDocument::fromJson(shown.out).object().value("request").toObject();
            QCOMPARE(request.value("content_type").toString(), QStringLiteral("application/json"));
            const QJsonObject sent =
                QJsonDocument::fromJson(request.value("jwt").toString().toUtf8()).object();
            QCOMPARE(sent.value("software_id").toString(), m_kit->softwareId());
            QVERIFY(sent.contains("software_statement"));
            QVERIFY(!sent.contains("iss") && !sent.contains("aud") && !sent.contains("jti"));
            // The row's body decodes like a JWT row does, as what it is.
            writeFile(p("row-body.json"), request.value("jwt").toString().toUtf8());
            const auto decoded = dcrctl({"decode", "--json", p("row-body.json")});
            QVERIFY2(decoded.exitCode == 0, decoded.err.constData());
            QCOMPARE(json(decoded).value("body_format").toString(), QStringLiteral("json"));
            QCOMPARE(json(decoded).value("metadata").toObject(), sent);
            QCOMPARE(json(decoded)
                         .value("software_statement")
                         .toObject()
                         .value("claims")
                         .toObject()
                         .value("software_id")
                         .toString(),
                     m_kit->softwareId());
            const auto curl =
                dcrctl({"history", "export", QString::number(out.value("history_id").toInteger()),
                        "--format", "curl"});
            QVERIFY2(curl.out.contains("Content-Type: application/json"), curl.out.constData());
        }
        // The same claims as a signed JWT are accepted by the seed sandbox.
        const auto jwt = dcrctl({"submit", "--profile", "seed", "--body", "jwt", "--claims",
                                 p("claims.json"), "--json"});
        QVERIFY2(jwt.exitCode == 0, (jwt.out + jwt.err).constData());
    }

    // --body usage errors: each one line, exit 2, naming what to do.
    void bodyOptionErrors() {
        auto r =
            dcrctl({"submit", "--profile", "seed", "--body", "xml", "--claims", p("claims.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--body must be jwt or json, not 'xml'"), r.err.constData());
        writeFile(p("some.jwt"), "eyJhbGciOiJQUzI1NiJ9.e30.c2ln");
        r = dcrctl({"submit", "--profile", "seed", "--body", "json", "--token", p("some.jwt")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--token sends a signed request JWT"), r.err.constData());
        r = dcrctl({"submit", "--profile", "seed", "--body", "json", "--content-type",
                    "application/jwt", "--claims", p("claims.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("application/json for a JSON body (RFC 7591 §3.1)"),
                 r.err.constData());
        r = dcrctl({"submit", "--profile", "seed", "--content-type", "application/json", "--claims",
                    p("claims.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("needs --body json"), r.err.constData());
    }

    // Ecosystem presets fill a new profile; explicit options still win; an unknown preset names
    // the known ones.
    void profilePresets() {
        auto r = dcrctl({"profile", "add", "brasil", "--preset", "open-finance-brasil", "--url",
                         "https://bank.example.com.br/register"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject shown = json(dcrctl({"profile", "show", "brasil"}));
        QCOMPARE(shown.value("preset").toString(), QStringLiteral("open-finance-brasil"));
        QCOMPARE(shown.value("body_format").toString(), QStringLiteral("json"));
        QCOMPARE(shown.value("content_type").toString(), QStringLiteral("application/json"));
        QCOMPARE(shown.value("lifecycle_auth").toString(), QStringLiteral("rfc7592"));
        QCOMPARE(shown.value("token_auth_method").toString(), QStringLiteral("tls_client_auth"));
        QCOMPARE(shown.value("spec_version").toString(), QStringLiteral("ofb"));
        r = dcrctl({"profile", "add", "obie-json", "--preset", "uk-obie", "--body", "json", "--url",
                    "https://bank.example.co.uk/register"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        shown = json(dcrctl({"profile", "show", "obie-json"}));
        QCOMPARE(shown.value("body_format").toString(), QStringLiteral("json"));
        QCOMPARE(shown.value("content_type").toString(), QStringLiteral("application/json"));
        QCOMPARE(shown.value("lifecycle_auth").toString(), QStringLiteral("obie"));
        r = dcrctl({"profile", "add", "x", "--preset", "uk", "--url", "https://x.example/r"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("uk-obie, open-finance-brasil, cdr-au, rfc7591"),
                 r.err.constData());
        for (const char* name : {"brasil", "obie-json"})
            QCOMPARE(dcrctl({"profile", "rm", name}).exitCode, 0);
    }

    // lint --body json: the claims file as an RFC 7591 JSON body. Without iat/exp/jti/aud it is
    // complete (RFC 7591 §3.1 sends no JWT envelope); the same file as a signed request under
    // OBIE 3.3 lacks all four. --preset adds the ecosystem's required claims.
    void lintFollowsTheBodyFormat() {
        auto requiredClaims = [this](const QStringList& extra) {
            const auto r = dcrctl(QStringList{"lint", "--json", "--spec", "obie-3.3", "--now",
                                              QString::number(QDateTime::currentSecsSinceEpoch())} +
                                  extra + QStringList{p("claims.json")});
            QStringList out;
            for (const auto& f : QJsonDocument::fromJson(r.out).array())
                if (f.toObject().value("rule").toString() == QStringLiteral("required-claim"))
                    out << f.toObject().value("claim").toString();
            out.sort();
            return out;
        };
        const QStringList asJwt = requiredClaims({"--claims"});
        for (const char* envelope : {"aud", "exp", "iat", "jti"})
            QVERIFY2(asJwt.contains(QLatin1String(envelope)), qPrintable(asJwt.join(u',')));
        const QStringList asJson = requiredClaims({"--body", "json"});
        for (const char* envelope : {"aud", "exp", "iat", "jti", "iss"})
            QVERIFY2(!asJson.contains(QLatin1String(envelope)), qPrintable(asJson.join(u',')));
        const QStringList brasil = requiredClaims({"--preset", "open-finance-brasil"});
        QVERIFY2(brasil.contains(QStringLiteral("jwks_uri")), qPrintable(brasil.join(u',')));
        QVERIFY2(!brasil.contains(QStringLiteral("iat")), qPrintable(brasil.join(u',')));
        const auto bad = dcrctl({"lint", "--body", "yaml", p("claims.json")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--body must be jwt or json"), bad.err.constData());
    }

    void profiles() {
        auto r = dcrctl({"profile", "list", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        // The three added here, and the console's four embedded sandbox profiles (seed, OBIE,
        // Open Finance Brasil, CDR): one set of profiles.
        QCOMPARE(list.size(), 7);
        QStringList names;
        for (const auto& v : list)
            names << v.toObject().value(QStringLiteral("name")).toString();
        QVERIFY2(names.contains(QStringLiteral("Local sandbox")), qPrintable(names.join(u',')));
        QVERIFY2(names.contains(QStringLiteral("Local sandbox (OBIE 3.3)")),
                 qPrintable(names.join(u',')));
        QVERIFY2(names.contains(QStringLiteral("Local sandbox (Open Finance Brasil)")) &&
                     names.contains(QStringLiteral("Local sandbox (CDR)")),
                 qPrintable(names.join(u',')));
        // A profile holds paths, never key material.
        QVERIFY(!r.out.contains("PRIVATE KEY"));
        QCOMPARE(dcrctl({"profile", "show", "nope"}).exitCode, 1);
        QCOMPARE(dcrctl({"profile", "add", "x", "--url", "not a url"}).exitCode, 2);
    }

    void profileSpecAndDirectoryIssuer() {
        auto r = dcrctl({"profile", "add", "spec33", "--url", "https://bank.example.com/register",
                         "--spec", "obie-3.3", "--directory-issuer", "Test Directory"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = json(dcrctl({"profile", "show", "spec33", "--json"}));
        QCOMPARE(o["spec_version"].toString(), QStringLiteral("obie-3.3"));
        QCOMPARE(o["directory_issuer"].toString(), QStringLiteral("Test Directory"));
        // The bare numbers older profiles hold are accepted and stored under the spec's name.
        QCOMPARE(dcrctl({"profile", "add", "spec33", "--spec", "3.1"}).exitCode, 0);
        QCOMPARE(json(dcrctl({"profile", "show", "spec33", "--json"}))["spec_version"].toString(),
                 QStringLiteral("obie-3.1"));
        QCOMPARE(dcrctl({"profile", "add", "spec33", "--spec", "3.4"}).exitCode, 2);
        QCOMPARE(dcrctl({"profile", "rm", "spec33"}).exitCode, 0);
    }

    void submitSeedAndReplayExportedCurl() {
        auto r = dcrctl({"submit", "--profile", "seed", "--claims", p("claims.json"), "--json"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        const QJsonObject o = json(r);
        QCOMPARE(o["outcome"].toObject()["outcome"].toString(), QStringLiteral("accepted"));
        QCOMPARE(o["exchange"].toObject()["request"].toObject()["method"].toString(),
                 QStringLiteral("POST"));
        QCOMPARE(o["exchange"].toObject()["response"].toObject()["status"].toInt(), 200);
        const int historyId = o["history_id"].toInt();
        QVERIFY(historyId > 0);

        auto curlText =
            dcrctl({"history", "export", "--format", "curl", QString::number(historyId)});
        QCOMPARE(curlText.exitCode, 0);
        QProcess bash;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DCR_TRANSPORT_CERT"), kit("tpp-transport.pem"));
        env.insert(QStringLiteral("DCR_TRANSPORT_KEY"), kit("tpp-transport-key.pem"));
        env.insert(QStringLiteral("DCR_CA_BUNDLE"), kit("ca.pem"));
        bash.setProcessEnvironment(env);
        bash.start(QStringLiteral("bash"),
                   {"-c", QString::fromUtf8(curlText.out)
                              .replace(QStringLiteral("curl -i"),
                                       QStringLiteral("curl -s --noproxy '*' --max-time 20"))});
        QTRY_VERIFY_WITH_TIMEOUT(bash.state() == QProcess::NotRunning, 30000);
        QVERIFY2(bash.readAllStandardOutput().contains("Request is processed"),
                 bash.readAllStandardError().constData());
    }

    void submitSeedError() {
        auto r =
            dcrctl({"submit", "--profile", "seed", "--claims", p("bad-claims.json"), "--json"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(json(r)["outcome"].toObject()["error_class"].toString(),
                 QStringLiteral("Invalid"));
        auto text = dcrctl({"submit", "--profile", "seed", "--claims", p("bad-claims.json")});
        QCOMPARE(text.exitCode, 1);
        QVERIFY(text.out.contains("Error (HTTP 406) Invalid"));
        QVERIFY(text.out.contains("fix:"));
    }

    // dcr-sandbox --rfc7592: client management with the registration_access_token (RFC 7592 §3).
    void rfc7592LifecycleThroughCli() {
        auto reg = dcrctl({"submit", "--profile", "rfc7592", "--claims", p("claims.json"), "--json",
                           "--reveal-secrets"});
        QVERIFY2(reg.exitCode == 0, (reg.out + reg.err).constData());
        const QJsonObject client = json(reg)["outcome"].toObject()["client"].toObject();
        const QString clientId = client["client_id"].toString();
        writeFile(p("rat.txt"), client["registration_access_token"].toString().toUtf8());
        auto masked = dcrctl({"submit", "--profile", "rfc7592", "--claims", p("claims.json")});
        QCOMPARE(masked.exitCode, 0);
        QVERIFY(masked.out.contains("(masked)"));

        auto get = dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId,
                           "--access-token-file", p("rat.txt"), "--json"});
        QVERIFY2(get.exitCode == 0, (get.out + get.err).constData());
        QCOMPARE(json(get)["exchange"].toObject()["response"].toObject()["status"].toInt(), 200);
        QVERIFY(!get.out.contains(client["registration_access_token"].toString().toUtf8()));
        auto upd = dcrctl({"client", "update", "--profile", "rfc7592", "--client-id", clientId,
                           "--access-token-file", p("rat.txt"), "--claims", p("claims.json")});
        QVERIFY2(upd.exitCode == 0, (upd.out + upd.err).constData());
        auto del = dcrctl({"client", "delete", "--profile", "rfc7592", "--client-id", clientId,
                           "--access-token-file", p("rat.txt"), "--json"});
        QCOMPARE(json(del)["exchange"].toObject()["response"].toObject()["status"].toInt(), 204);
        auto gone = dcrctl({"client", "get", "--profile", "rfc7592", "--client-id", clientId,
                            "--access-token-file", p("rat.txt")});
        QCOMPARE(gone.exitCode, 1);
    }

    // OBIE DCR 3.3: GET/PUT/DELETE /register/{ClientId} are authorised with a client_credentials
    // access token (swagger: TPPOAuth2Security, flow "application"), not the registration token.
    void obieLifecycleWithClientCredentialsTokens() {
        auto reg = dcrctl({"submit", "--profile", "obie", "--claims", p("claims.json"), "--json",
                           "--reveal-secrets"});
        QVERIFY2(reg.exitCode == 0, (reg.out + reg.err).constData());
        const QJsonObject client = json(reg)["outcome"].toObject()["client"].toObject();
        const QString clientId = client["client_id"].toString();
        // OBIE 3.3: the SSA's claims come back at the top level of the client.
        QCOMPARE(client["software_client_name"].toString().isEmpty(), false);
        writeFile(p("obie-rat.txt"), client["registration_access_token"].toString().toUtf8());
        const QString tokenUrl = QStringLiteral("https://localhost:%1/token").arg(m_obiePort);
        // The registration access token is not what this ASPSP accepts.
        auto withRat = dcrctl({"client", "get", "--profile", "obie", "--client-id", clientId,
                               "--access-token-file", p("obie-rat.txt"), "--json"});
        QCOMPARE(withRat.exitCode, 1);
        QCOMPARE(json(withRat)["exchange"].toObject()["response"].toObject()["status"].toInt(),
                 401);
        // A token by tls_client_auth (as the demo client registered), then the lifecycle.
        for (const char* action : {"get", "update", "delete"}) {
            QStringList args{"client",       QString::fromLatin1(action),
                             "--profile",    "obie",
                             "--client-id",  clientId,
                             "--token-auth", "tls_client_auth",
                             "--token-url",  tokenUrl,
                             "--json"};
            if (QByteArray(action) == "update")
                args << "--claims" << p("claims.json");
            auto r = dcrctl(args);
            QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
            QVERIFY(r.err.contains("Token issued"));
        }
        // The client is gone: a new token cannot be had for it.
        auto gone = dcrctl({"client", "get", "--profile", "obie", "--client-id", clientId,
                            "--token-auth", "tls_client_auth", "--token-url", tokenUrl});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY2(gone.err.contains("invalid_client"), gone.err.constData());
        // #22.6: the history, which holds the delete, says why (dcrctl and the console alike).
        QVERIFY2(gone.err.contains("this client is deleted at the bank"), gone.err.constData());
        auto goneToken = dcrctl({"token", "--profile", "obie", "--client-id", clientId, "--auth",
                                 "tls_client_auth", "--token-url", tokenUrl});
        QCOMPARE(goneToken.exitCode, 1);
        QVERIFY2(goneToken.out.contains("why:     this client is deleted at the bank"),
                 goneToken.out.constData());
        const auto statusOf = [this](const QString& id) {
            const auto list = dcrctl({"client", "list", "--profile", "obie", "--json"});
            for (const auto& c : QJsonDocument::fromJson(list.out).array())
                if (c.toObject()["client_id"].toString() == id)
                    return c.toObject();
            return QJsonObject();
        };
        QCOMPARE(statusOf(clientId)["status"].toString(), QStringLiteral("deleted"));
        QCOMPARE(statusOf(clientId)["status_evidence"].toString(),
                 QStringLiteral("token refused, HTTP 401, invalid_client"));
        // The wrong client authentication method is refused by the token endpoint.
        auto reg2 = dcrctl({"submit", "--profile", "obie", "--claims", p("claims.json"), "--json"});
        const QString second =
            json(reg2)["outcome"].toObject()["client"].toObject()["client_id"].toString();
        auto wrong = dcrctl({"token", "--profile", "obie", "--client-id", second, "--auth",
                             "private_key_jwt", "--token-url", tokenUrl, "--json"});
        QCOMPARE(wrong.exitCode, 1);
        QCOMPARE(json(wrong)["error"].toString(), QStringLiteral("invalid_client"));
        // #22.7: refused is the newest evidence now; the token request is a history row whose
        // signed assertion is masked when shown.
        QCOMPARE(statusOf(second)["status"].toString(), QStringLiteral("refused"));
        const qint64 wrongRow = json(wrong)["history_id"].toInteger();
        QVERIFY(wrongRow > 0);
        const QJsonObject shown =
            json(dcrctl({"history", "show", QString::number(wrongRow), "--json"}));
        const QString form = shown["request"].toObject()["jwt"].toString();
        QVERIFY2(form.contains(QStringLiteral("client_assertion=")), qPrintable(form));
        QVERIFY2(!form.contains(QStringLiteral("client_assertion=ey")), qPrintable(form));
        auto right = dcrctl({"token", "--profile", "obie", "--client-id", second, "--auth",
                             "tls_client_auth", "--token-url", tokenUrl, "--json"});
        QCOMPARE(right.exitCode, 0);
        QVERIFY(json(right)["access_token"].toString().contains(QStringLiteral("masked")));
        QCOMPARE(statusOf(second)["status"].toString(), QStringLiteral("active"));
        QCOMPARE(statusOf(second)["status_history_id"].toInteger(),
                 json(right)["history_id"].toInteger());
    }

    // A jti names one request; the OBIE sandbox refuses the same signed request twice.
    void obieSandboxRefusesAReplayedJti() {
        QJsonObject claims = QJsonDocument::fromJson(readFile(p("claims.json"))).object();
        claims["aud"] = m_kit->aud();
        writeFile(p("claims-with-aud.json"), QJsonDocument(claims).toJson());
        auto signedRequest = dcrctl(
            {"sign", "--claims", p("claims-with-aud.json"), "--key", kit("tpp-signing-key.pem")});
        QCOMPARE(signedRequest.exitCode, 0);
        writeFile(p("once.jwt"), signedRequest.out);
        auto first = dcrctl({"submit", "--profile", "obie", "--token", p("once.jwt")});
        QVERIFY2(first.exitCode == 0, (first.out + first.err).constData());
        auto replay = dcrctl({"submit", "--profile", "obie", "--token", p("once.jwt"), "--json"});
        QCOMPARE(replay.exitCode, 1);
        QVERIFY2(replay.out.contains("already used"), replay.out.constData());
    }

    void networkFailureIsExit3AndRecorded() {
        const qint64 before =
            QJsonDocument::fromJson(dcrctl({"history", "list", "--json", "--limit", "1000"}).out)
                .array()
                .size();
        auto r =
            dcrctl({"submit", "--url", "https://localhost:1/register", "--cacert", kit("ca.pem"),
                    "--claims", p("claims.json"), "--signing-key", kit("tpp-signing-key.pem")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.out.contains("connection-refused"));
        auto list = dcrctl({"history", "list", "--json", "--outcome", "transport"});
        QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 1);
        QCOMPARE(dcrctl({"submit", "--no-history", "--url", "https://localhost:1/register",
                         "--claims", p("claims.json"), "--signing-key", kit("tpp-signing-key.pem")})
                     .exitCode,
                 3);
        QCOMPARE(
            QJsonDocument::fromJson(dcrctl({"history", "list", "--json", "--limit", "1000"}).out)
                .array()
                .size(),
            before + 1);
    }

    // submit --no-history neither writes nor reads the history, so it does not open it (#26: the
    // open cost a schema check, a reader thread, and a server connection on a team history): a
    // history that cannot be opened does not stop it, and none is created.
    void unrecordedSubmitDoesNotOpenTheHistory() {
        const QString unopenable = p("claims.json") + QStringLiteral("/history.sqlite");
        auto recorded = dcrctl({"submit", "--profile", "seed", "--claims", p("claims.json"),
                                "--history-db", unopenable});
        QCOMPARE(recorded.exitCode, 2);
        QVERIFY2(recorded.err.contains("not sent, because every attempt must be recorded"),
                 recorded.err.constData());
        // Nothing to look for lost answers in either (#25.2): no advice to send unchecked with
        // --register-again, which could not be recorded any more than this.
        QVERIFY2(!recorded.err.contains("--register-again"), recorded.err.constData());
        auto unrecorded = dcrctl({"submit", "--profile", "seed", "--claims", p("claims.json"),
                                  "--history-db", unopenable, "--no-history", "--json"});
        QVERIFY2(unrecorded.exitCode == 0, (unrecorded.out + unrecorded.err).constData());
        QCOMPARE(json(unrecorded)["outcome"].toObject()["outcome"].toString(),
                 QStringLiteral("accepted"));
        QVERIFY2(!unrecorded.err.contains("history"), unrecorded.err.constData());

        const QString fresh = p("never-created.sqlite");
        QVERIFY(dcrctl({"submit", "--profile", "seed", "--claims", p("claims.json"), "--history-db",
                        fresh, "--no-history"})
                    .exitCode == 0);
        QVERIFY(!QFileInfo::exists(fresh));
    }

    // #26 "as fast as the tools it replaces": the desktop keychain (QtKeychain, and through it
    // QtDBus, libdbus, libsystemd, libgcrypt…) is a module loaded only when a shared history is
    // opened; linked into dcrctl it was loaded at every start, about 1.12x of a bare Qt TLS
    // client's. A submission, recorded in the local history or not, loads none of it: the dynamic
    // loader's own record (LD_DEBUG=files) of every file the process opened, libraries it needs
    // and modules loaded later alike.
    void submitLoadsNoKeychainLibraries() {
        const QString traces = p(QStringLiteral("ld-traces"));
        QVERIFY(QDir().mkpath(traces));
        qputenv("LD_DEBUG", "files");
        qputenv("LD_DEBUG_OUTPUT", QFile::encodeName(traces + QStringLiteral("/trace")));
        auto unrecorded =
            dcrctl({"submit", "--profile", "seed", "--claims", p("claims.json"), "--no-history"});
        auto recorded = dcrctl({"submit", "--profile", "seed", "--claims", p("claims.json")});
        qunsetenv("LD_DEBUG");
        qunsetenv("LD_DEBUG_OUTPUT");
        QVERIFY2(unrecorded.exitCode == 0, unrecorded.err.constData());
        QVERIFY2(recorded.exitCode == 0, recorded.err.constData());
        const QStringList files = QDir(traces).entryList(QDir::Files);
        QCOMPARE(files.size(), 2); // one trace per process
        for (const QString& f : files) {
            QFile trace(QDir(traces).filePath(f));
            QVERIFY(trace.open(QIODevice::ReadOnly));
            const QByteArray loaded = trace.readAll();
            // The trace can see what it looks for: dcrctl's own Qt and its TLS backend module.
            QVERIFY2(loaded.contains("file=libQt6Network.so.6"), loaded.left(2000).constData());
            QVERIFY2(loaded.contains("dynamically loaded by"), loaded.left(2000).constData());
            for (const char* library : {"libqt6keychain", "libQt6DBus", "libdbus-1", "libgcrypt",
                                        "libdcr_keychain_store"}) {
                const qsizetype at = loaded.indexOf(library);
                QVERIFY2(at < 0, qPrintable(QStringLiteral("%1 loads %2: %3")
                                                .arg(f, QLatin1String(library),
                                                     QString::fromLatin1(loaded.mid(
                                                         qMax<qsizetype>(0, at - 200), 400)))));
            }
        }
    }

    void insecureIsLoud() {
        auto r =
            dcrctl({"submit", "--profile", "seed", "--insecure", "--claims", p("claims.json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.contains("WARNING: TLS certificate verification is OFF"));
        QVERIFY(r.out.contains("WARNING: TLS verification was OFF"));
    }

    void historyCommands() {
        auto list = dcrctl({"history", "list"});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("submission(s)"));
        auto ids = QJsonDocument::fromJson(dcrctl({"history", "list", "--json"}).out).array();
        QVERIFY(ids.size() >= 3);
        const QString id = QString::number(ids.first().toObject()["id"].toInt());
        QCOMPARE(dcrctl({"history", "show", id}).exitCode, 0);
        QCOMPARE(dcrctl({"history", "show", "999999"}).exitCode, 1);
        QCOMPARE(dcrctl({"history", "show", "abc"}).exitCode, 2);
        QCOMPARE(dcrctl({"history", "rm", id}).exitCode, 0);
        QCOMPARE(dcrctl({"history", "show", id}).exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestDcrctlSubmit)
#include "tst_dcrctl_submit.moc"
