// dcr-sandbox in OBIE mode, socket-free (issue #24 items 1-3): what it issues at registration,
// what an update keeps, and which paths answer a TLS client without a certificate.
#include "TestSupport.h"
#include "sandbox/SandboxAspsp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

class TestSandboxLifecycle : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;

    static QJsonObject body(const SandboxResponse& r) {
        return QJsonDocument::fromJson(r.body).object();
    }
    std::unique_ptr<SandboxAspsp> obie(SandboxLifecycleAuth auth) const {
        auto aspsp = std::make_unique<SandboxAspsp>(*m_kit, SandboxMode::Obie);
        aspsp->setBaseUrl(QUrl(QStringLiteral("https://localhost:8443")));
        aspsp->setLifecycleAuth(auth);
        return aspsp;
    }
    // The kit's demo request as a client_secret_basic client, signed now (a fresh jti each time).
    QByteArray secretBasicRequest(const std::function<void(RegistrationRequest&)>& change = {}) {
        RegistrationRequest r = m_kit->demoRequest(QDateTime::currentDateTimeUtc());
        r.setString(QStringLiteral("token_endpoint_auth_method"),
                    QStringLiteral("client_secret_basic"));
        r.claims().remove(QStringLiteral("tls_client_auth_subject_dn"));
        if (change)
            change(r);
        return *r.sign(m_kit->tppSigningKey(), {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}});
    }
    SandboxRequest request(const QByteArray& method, const QString& path, const QByteArray& data,
                           HeaderList headers = {{"Content-Type", "application/jwt"}}) const {
        return {method, path, headers, data, m_kit->tppTransportCertificate(), {}};
    }
    QJsonObject registerSecretBasic(SandboxAspsp& aspsp) {
        const SandboxResponse r =
            aspsp.handle(request("POST", QStringLiteral("/register"), secretBasicRequest()));
        if (r.status != 201)
            qWarning("register: %d %s", r.status, r.body.constData());
        return body(r);
    }
    SandboxResponse tokenWithSecret(SandboxAspsp& aspsp, const QString& clientId,
                                    const QString& secret) const {
        const QByteArray basic = (clientId + u':' + secret).toUtf8().toBase64();
        return aspsp.handle(request("POST", QStringLiteral("/token"),
                                    "grant_type=client_credentials&scope=accounts",
                                    {{"Content-Type", "application/x-www-form-urlencoded"},
                                     {"Authorization", "Basic " + basic}}));
    }
    SandboxResponse put(SandboxAspsp& aspsp, const QJsonObject& client, const QByteArray& jwt) {
        HeaderList headers{
            {"Content-Type", "application/jwt"},
            {"Authorization", "Bearer " + client["registration_access_token"].toString().toUtf8()}};
        return aspsp.handle(request(
            "PUT", QStringLiteral("/register/") + client["client_id"].toString(), jwt, headers));
    }

    // An OBIE sandbox on a clock the test turns by hand.
    std::unique_ptr<SandboxAspsp> obieAt(const QDateTime* now) const {
        auto aspsp =
            std::make_unique<SandboxAspsp>(*m_kit, SandboxMode::Obie, [now] { return *now; });
        aspsp->setBaseUrl(QUrl(QStringLiteral("https://localhost:8443")));
        return aspsp;
    }
    // The demo request as a client_secret_basic client, signed at `at` (exp 600 s later).
    QByteArray secretBasicRequestAt(const QDateTime& at) {
        RegistrationRequest r = m_kit->demoRequest(at);
        r.setString(QStringLiteral("token_endpoint_auth_method"),
                    QStringLiteral("client_secret_basic"));
        r.claims().remove(QStringLiteral("tls_client_auth_subject_dn"));
        return *r.sign(m_kit->tppSigningKey(), {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}});
    }
    SandboxResponse readWith(SandboxAspsp& aspsp, const QString& clientId,
                             const QByteArray& bearer) const {
        return aspsp.handle(request("GET", QStringLiteral("/register/") + clientId, {},
                                    {{"Authorization", "Bearer " + bearer}}));
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(m_dir.filePath(QStringLiteral("kit")));
        QVERIFY(kit.ok());
        m_kit = *kit;
    }

    // Item 1. OBIE DCR 3.3 swagger (OpenBankingUK/client-registration-api-specs, tag v3.3,
    // dist/client-registration-swagger.yaml), OBRegistrationProperties1, the properties of every
    // registration answer:
    //   client_secret:
    //     description: OAuth 2.0 client secret string
    //     type: string
    //     minLength: 1
    //     maxLength: 36
    // The UK conformance tool's schema check (DCR-005) fails a longer one; ours was 43.
    void clientSecretFitsTheSwaggerMaxLength() {
        auto aspsp = obie(SandboxLifecycleAuth::RegistrationAccessToken);
        QSet<QString> seen;
        for (int i = 0; i < 5; ++i) {
            const QJsonObject client = registerSecretBasic(*aspsp);
            const QString secret = client["client_secret"].toString();
            QVERIFY2(!secret.isEmpty(), QJsonDocument(client).toJson().constData());
            QVERIFY2(
                secret.size() <= 36,
                qPrintable(QStringLiteral("%1 characters: %2").arg(secret.size()).arg(secret)));
            // Not short for the sake of it: 36 base64url characters are 216 random bits.
            QCOMPARE(secret.size(), 36);
            QVERIFY(
                QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{36}$")).match(secret).hasMatch());
            QVERIFY(!seen.contains(secret));
            seen.insert(secret);
            // The swagger's client_id: "minLength: 1, maxLength: 36" too.
            QVERIFY(client["client_id"].toString().size() <= 36);
            // And the secret works where it is for.
            QCOMPARE(tokenWithSecret(*aspsp, client["client_id"].toString(), secret).status, 200);
        }
    }

    // Item 2. RFC 7592 §2.2: "The client MUST NOT be allowed to overwrite its existing client
    // secret with its own chosen value"; the server-issued values (client_secret, its expiry,
    // client_id_issued_at) survive an update and come back in its answer, with the SSA's claims.
    void updateKeepsAndReturnsWhatTheServerIssued() {
        auto aspsp = obie(SandboxLifecycleAuth::RegistrationAccessToken);
        const QJsonObject client = registerSecretBasic(*aspsp);
        const QString clientId = client["client_id"].toString();
        const QString secret = client["client_secret"].toString();
        QVERIFY(!secret.isEmpty());
        QVERIFY(client.contains(QStringLiteral("client_id_issued_at")));
        QCOMPARE(client["software_id"].toString(), m_kit->softwareId()); // from the SSA

        const SandboxResponse updated =
            put(*aspsp, client, secretBasicRequest([&](RegistrationRequest& r) {
                r.setString(QStringLiteral("client_id"), clientId);
                r.setString(QStringLiteral("scope"), QStringLiteral("openid accounts"));
            }));
        QVERIFY2(updated.status == 200, updated.body.constData());
        const QJsonObject answer = body(updated);
        QCOMPARE(answer["scope"].toString(), QStringLiteral("openid accounts")); // the update
        QCOMPARE(answer["client_secret"].toString(), secret);
        QCOMPARE(answer["client_secret_expires_at"], client["client_secret_expires_at"]);
        QCOMPARE(answer["client_id_issued_at"], client["client_id_issued_at"]);
        QCOMPARE(answer["software_id"].toString(), m_kit->softwareId());
        QCOMPARE(answer["registration_access_token"], client["registration_access_token"]);
        // The old secret still gets a token, and a read returns it too.
        QCOMPARE(tokenWithSecret(*aspsp, clientId, secret).status, 200);
        QCOMPARE(tokenWithSecret(*aspsp, clientId, secret + u'x').status, 401);
        const SandboxResponse read =
            aspsp->handle({"GET",
                           QStringLiteral("/register/") + clientId,
                           {{"Authorization",
                             "Bearer " + client["registration_access_token"].toString().toUtf8()}},
                           {},
                           m_kit->tppTransportCertificate(),
                           {}});
        QCOMPARE(body(read)["client_secret"].toString(), secret);
    }

    // RFC 7592 §2.2: "If the client includes the client_secret field in the request, the value of
    // this field MUST match the currently issued client secret for that client."
    void updateCannotChooseItsSecretOrAnotherClientId() {
        auto aspsp = obie(SandboxLifecycleAuth::RegistrationAccessToken);
        const QJsonObject client = registerSecretBasic(*aspsp);
        const QString clientId = client["client_id"].toString();
        SandboxResponse r = put(*aspsp, client, secretBasicRequest([&](RegistrationRequest& u) {
            u.setString(QStringLiteral("client_id"), clientId);
            u.setString(QStringLiteral("client_secret"), QStringLiteral("my-own-choice"));
        }));
        QCOMPARE(r.status, 400);
        QVERIFY2(body(r)["error_description"].toString().contains(QStringLiteral("client_secret")),
                 r.body.constData());
        QCOMPARE(tokenWithSecret(*aspsp, clientId, QStringLiteral("my-own-choice")).status, 401);
        // The issued secret itself may be repeated.
        r = put(*aspsp, client, secretBasicRequest([&](RegistrationRequest& u) {
            u.setString(QStringLiteral("client_id"), clientId);
            u.setString(QStringLiteral("client_secret"), client["client_secret"].toString());
        }));
        QVERIFY2(r.status == 200, r.body.constData());
        r = put(*aspsp, client, secretBasicRequest([&](RegistrationRequest& u) {
            u.setString(QStringLiteral("client_id"), newUuidV4());
        }));
        QCOMPARE(r.status, 400);
        QVERIFY2(body(r)["error_description"].toString().contains(QStringLiteral("client_id")),
                 r.body.constData());
    }

    // Item 4's server side. RFC 7592 §2.2: "The client MUST include its client_id field in the
    // request, and it MUST be the same as its currently issued client identifier." In RFC 7592
    // mode the sandbox holds a JWT body to it, as oidc-provider does; OBIE DCR 3.3's PUT body
    // (OBClientRegistration1) has no client_id, so OBIE mode takes one without.
    void rfc7592UpdateNeedsItsClientId() {
        auto rfc = obie(SandboxLifecycleAuth::RegistrationAccessToken);
        const QJsonObject client = registerSecretBasic(*rfc);
        const SandboxResponse refused = put(*rfc, client, secretBasicRequest());
        QCOMPARE(refused.status, 400);
        QCOMPARE(body(refused)["error"].toString(), QStringLiteral("invalid_client_metadata"));
        QVERIFY2(body(refused)["error_description"].toString().contains(
                     QStringLiteral("MUST include its client_id")),
                 refused.body.constData());

        auto obieMode = obie(SandboxLifecycleAuth::AccessToken);
        const QJsonObject other = registerSecretBasic(*obieMode);
        const SandboxResponse token = tokenWithSecret(*obieMode, other["client_id"].toString(),
                                                      other["client_secret"].toString());
        QCOMPARE(token.status, 200);
        const SandboxResponse updated = obieMode->handle(request(
            "PUT", QStringLiteral("/register/") + other["client_id"].toString(),
            secretBasicRequest(),
            {{"Content-Type", "application/jwt"},
             {"Authorization", "Bearer " + body(token)["access_token"].toString().toUtf8()}}));
        QVERIFY2(updated.status == 200, updated.body.constData());
        QCOMPARE(body(updated)["client_secret"], other["client_secret"]);
    }

    // Item 3, the rule without sockets: discovery and the JWKS answer a client that presented no
    // certificate; registration, token and client paths do not (401); with mutual TLS
    // everywhere, discovery does not either. tst_sandbox_mtls shows it over TLS with curl and
    // openssl s_client.
    void whichPathsNeedAClientCertificate() {
        for (SandboxMode mode : {SandboxMode::Obie, SandboxMode::Seed}) {
            SandboxAspsp aspsp(*m_kit, mode);
            aspsp.setBaseUrl(QUrl(QStringLiteral("https://localhost:8443")));
            auto anonymous = [&](const QByteArray& method, const QString& path,
                                 const QByteArray& data = {}) {
                return aspsp.handle(
                    {method, path, {{"Content-Type", "application/jwt"}}, data, Certificate(), {}});
            };
            const SandboxResponse discovery =
                anonymous("GET", QStringLiteral("/.well-known/openid-configuration"));
            QCOMPARE(discovery.status, 200);
            QVERIFY(body(discovery).contains(QStringLiteral("registration_endpoint")));
            QCOMPARE(anonymous("GET", QStringLiteral("/jwks/directory.jwks")).status, 200);
            QCOMPARE(anonymous("GET", QStringLiteral("/jwks/software.jwks")).status, 200);
            // The jwks_uri discovery names resolves (OpenID Connect Discovery 1.0 §3: "jwks_uri
            // REQUIRED. URL of the OP's JSON Web Key Set [JWK] document."): a JWKS, empty because
            // the sandbox signs nothing of its own.
            const QUrl jwksUri(body(discovery)["jwks_uri"].toString());
            const SandboxResponse jwks = anonymous("GET", jwksUri.path());
            QCOMPARE(jwks.status, 200);
            QVERIFY(body(jwks)["keys"].isArray());
            const SandboxResponse registration =
                anonymous("POST", aspsp.registrationPath(), secretBasicRequest());
            QCOMPARE(registration.status, 401);
            QVERIFY2(registration.body.contains("needs mutual TLS"), registration.body.constData());
            if (mode == SandboxMode::Obie) {
                QCOMPARE(body(registration)["error"].toString(), QStringLiteral("invalid_client"));
                QCOMPARE(
                    anonymous("POST", QStringLiteral("/token"), "grant_type=client_credentials")
                        .status,
                    401);
                QCOMPARE(anonymous("GET", QStringLiteral("/register/") + newUuidV4()).status, 401);
                QCOMPARE(aspsp.registrationCount(), 0);
            } else {
                QCOMPARE(body(registration)["tppMessages"].toArray().first()["category"].toString(),
                         QStringLiteral("AccessDenied"));
            }
            // A certificate the TLS layer refused is no certificate; the answer says why.
            const SandboxResponse refused =
                aspsp.handle({"POST",
                              aspsp.registrationPath(),
                              {{"Content-Type", "application/jwt"}},
                              secretBasicRequest(),
                              Certificate(),
                              QStringLiteral("The certificate has expired")});
            QCOMPARE(refused.status, 401);
            QVERIFY2(refused.body.contains("The certificate has expired"),
                     refused.body.constData());
            aspsp.setMtlsEverywhere(true);
            QCOMPARE(anonymous("GET", QStringLiteral("/.well-known/openid-configuration")).status,
                     401);
            QCOMPARE(anonymous("GET", QStringLiteral("/jwks/directory.jwks")).status, 401);
            // With a verified certificate, discovery is served either way.
            QCOMPARE(
                aspsp
                    .handle(request("GET", QStringLiteral("/.well-known/openid-configuration"), {}))
                    .status,
                200);
        }
    }

    // #26: the sandbox forgets an access token once its lifetime has passed, and refuses it
    // then as RFC 6750 section 3.1 says: "invalid_token: The access token provided is expired,
    // revoked, malformed, or invalid for other reasons. The resource SHOULD respond with the HTTP
    // 401 (Unauthorized) status code." Before #26 it kept every token it ever issued.
    void anExpiredAccessTokenIsRefusedAndForgotten() {
        QDateTime now = QDateTime::currentDateTimeUtc();
        auto aspsp = obieAt(&now);
        const SandboxResponse registered =
            aspsp->handle(request("POST", QStringLiteral("/register"), secretBasicRequestAt(now)));
        QCOMPARE(registered.status, 201);
        const QString id = body(registered)["client_id"].toString();
        const QString secret = body(registered)["client_secret"].toString();
        const SandboxResponse granted = tokenWithSecret(*aspsp, id, secret);
        QCOMPARE(granted.status, 200);
        QCOMPARE(body(granted)["expires_in"].toInt(), 600);
        const QByteArray token = body(granted)["access_token"].toString().toLatin1();
        QCOMPARE(aspsp->tokens().heldTokens(), 1);
        now = now.addSecs(599);
        QCOMPARE(readWith(*aspsp, id, token).status, 200); // within its lifetime
        now = now.addSecs(1);                              // 600 s: expired
        const SandboxResponse refused = readWith(*aspsp, id, token);
        QCOMPARE(refused.status, 401);
        QCOMPARE(body(refused)["error"].toString(), QStringLiteral("invalid_token"));
        QCOMPARE(refused.wwwAuthenticate, QByteArray("Bearer error=\"invalid_token\""));
        // The next token issued finds the expired one and forgets it: one held, not two.
        const SandboxResponse next = tokenWithSecret(*aspsp, id, secret);
        QCOMPARE(next.status, 200);
        QCOMPARE(aspsp->tokens().heldTokens(), 1);
        QCOMPARE(readWith(*aspsp, id, body(next)["access_token"].toString().toLatin1()).status,
                 200);
        QCOMPARE(readWith(*aspsp, id, token).status, 401); // forgotten is still refused
    }

    // #26: a jti is held as long as its JWT is valid, RFC 7523 section 3 item 7: "The
    // authorization server MAY ensure that JWTs are not replayed by maintaining the set of used
    // "jti" values for the length of time for which the JWT would be considered valid based on
    // the applicable "exp" instant." Once the JWT has expired its jti is forgotten, and a
    // replay of it is still refused: for its exp.
    void aJtiIsHeldUntilItsJwtExpiresAndAReplayIsRefusedEitherWay() {
        QDateTime now = QDateTime::currentDateTimeUtc();
        auto aspsp = obieAt(&now);
        const QByteArray jwt = secretBasicRequestAt(now);
        QCOMPARE(aspsp->handle(request("POST", QStringLiteral("/register"), jwt)).status, 201);
        QCOMPARE(aspsp->tokens().heldJtis(), 1);
        const SandboxResponse replay =
            aspsp->handle(request("POST", QStringLiteral("/register"), jwt));
        QCOMPARE(replay.status, 400);
        QVERIFY2(
            body(replay)["error_description"].toString().contains(QStringLiteral("already used")),
            replay.body.constData());
        now = now.addSecs(601); // past the JWT's exp (iat + 600)
        // A fresh request (its own jti) makes the sandbox drop the expired one.
        QCOMPARE(
            aspsp->handle(request("POST", QStringLiteral("/register"), secretBasicRequestAt(now)))
                .status,
            201);
        QCOMPARE(aspsp->tokens().heldJtis(), 1);
        const SandboxResponse late =
            aspsp->handle(request("POST", QStringLiteral("/register"), jwt));
        QCOMPARE(late.status, 400);
        QVERIFY2(body(late)["error_description"].toString().contains(QStringLiteral("in the past")),
                 late.body.constData());
        QCOMPARE(aspsp->tokens().heldJtis(), 1);
    }

    // #26: at most maxClients() clients are held; one more drops the oldest, and an answer
    // about a dropped client says so (no silent loss).
    void theOldestClientIsDroppedPastTheLimitAndTheAnswerSaysSo() {
        QDateTime now = QDateTime::currentDateTimeUtc();
        auto aspsp = obieAt(&now);
        aspsp->setMaxClients(2);
        QStringList ids;
        QStringList secrets;
        for (int i = 0; i < 3; ++i) {
            const SandboxResponse r = aspsp->handle(
                request("POST", QStringLiteral("/register"), secretBasicRequestAt(now)));
            QCOMPARE(r.status, 201);
            ids << body(r)["client_id"].toString();
            secrets << body(r)["client_secret"].toString();
        }
        QCOMPARE(aspsp->heldClients(), 2);
        QCOMPARE(aspsp->droppedClients(), 1);
        const SandboxResponse dropped = tokenWithSecret(*aspsp, ids.at(0), secrets.at(0));
        QCOMPARE(dropped.status, 401);
        QVERIFY2(body(dropped)["error_description"].toString().contains(
                     QStringLiteral("keeps its newest 2 clients: 1 older ones were dropped")),
                 dropped.body.constData());
        QCOMPARE(tokenWithSecret(*aspsp, ids.at(1), secrets.at(1)).status, 200);
        QCOMPARE(tokenWithSecret(*aspsp, ids.at(2), secrets.at(2)).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestSandboxLifecycle)
#include "tst_sandbox_lifecycle.moc"
