// dcr-sandbox in Open Finance Brasil and CDR modes, socket-free (issue #24 "For each of the two"):
// what each registers and refuses (research_ofb §4, research_cdr §4/§5), the RFC 7592 lifecycle
// whose registration_access_token is never rotated (ofb), the cdr:registration token's 401/403
// split (cdr), and the kit's freshly minted SSAs.
#include "TestSupport.h"
#include "common/Utf8.h"
#include "jose/JwsSigner.h"
#include "registration/SoftwareStatement.h"
#include "sandbox/SandboxAspsp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

class TestSandboxEcosystems : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;

    static QJsonObject body(const SandboxResponse& r) {
        return QJsonDocument::fromJson(r.body).object();
    }
    std::unique_ptr<SandboxAspsp> aspsp(SandboxMode mode) const {
        auto a = std::make_unique<SandboxAspsp>(*m_kit, mode);
        a->setBaseUrl(QUrl(s("https://localhost:8443")));
        return a;
    }
    SandboxRequest request(const QByteArray& method, const QString& path, const QByteArray& data,
                           const HeaderList& headers) const {
        return {method, path, headers, data, m_kit->tppTransportCertificate(), {}};
    }

    // --- Open Finance Brasil: RFC 7591 JSON metadata
    QJsonObject ofbClaims(const std::function<void(QJsonObject&)>& change = {}) const {
        QJsonObject claims =
            m_kit->demoRequest(SandboxMode::Ofb, QDateTime::currentDateTimeUtc()).claims();
        if (change)
            change(claims);
        return claims;
    }
    SandboxResponse ofbSend(SandboxAspsp& a, const QByteArray& method, const QString& path,
                            const QJsonObject& claims, const QByteArray& bearer = {}) const {
        HeaderList headers{{"Content-Type", "application/json"}};
        if (!bearer.isEmpty())
            headers.append({"Authorization", "Bearer " + bearer});
        return a.handle(request(method, path,
                                claims.isEmpty() ? QByteArray() : QJsonDocument(claims).toJson(),
                                headers));
    }
    SandboxResponse ofbRegister(SandboxAspsp& a, const QJsonObject& claims) const {
        return ofbSend(a, "POST", s("/register"), claims);
    }

    // --- CDR: a signed application/jwt body, management with a cdr:registration token
    QByteArray cdrJwt(const std::function<void(QJsonObject&)>& change = {}) const {
        QJsonObject claims =
            m_kit->demoRequest(SandboxMode::Cdr, QDateTime::currentDateTimeUtc()).claims();
        if (change)
            change(claims);
        return *JwsSigner::signClaims(claims, m_kit->tppSigningKey(),
                                      {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}});
    }
    SandboxResponse cdrRegister(SandboxAspsp& a, const QByteArray& jwt) const {
        return a.handle(
            request("POST", s("/register"), jwt, {{"Content-Type", "application/jwt"}}));
    }
    // RFC 7523 private_key_jwt at /token, asking for scope.
    QByteArray cdrToken(SandboxAspsp& a, const QString& clientId, const QString& scope) const {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject assertion{{s("iss"), clientId},
                                    {s("sub"), clientId},
                                    {s("aud"), a.tokenEndpoint().toString()},
                                    {s("iat"), static_cast<double>(now)},
                                    {s("exp"), static_cast<double>(now + 60)},
                                    {s("jti"), newUuidV4()}};
        const QByteArray jwt = *JwsSigner::signClaims(
            assertion, m_kit->tppSigningKey(), {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}});
        const QByteArray form =
            "grant_type=client_credentials&scope=" + QUrl::toPercentEncoding(scope) +
            "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-"
            "bearer&client_assertion=" +
            jwt;
        const SandboxResponse r = a.handle(request(
            "POST", s("/token"), form, {{"Content-Type", "application/x-www-form-urlencoded"}}));
        if (r.status != 200)
            qWarning("token: %d %s", r.status, r.body.constData());
        return body(r)[s("access_token")].toString().toLatin1();
    }
    SandboxResponse manage(SandboxAspsp& a, const QByteArray& method, const QString& clientId,
                           const QByteArray& token, const QByteArray& data = {}) const {
        HeaderList headers{{"Content-Type", "application/jwt"}};
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return a.handle(request(method, s("/register/") + clientId, data, headers));
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(m_dir.filePath(s("kit")));
        QVERIFY(kit.ok());
        m_kit = *kit;
    }

    // Brazil DCR 1.0 §7.1-3 (iat at most 5 minutes before) and the CDR's "Software Statements
    // are issued with a 10 minute expiry time": each mint is signed at the moment asked for.
    void kitMintsFreshSoftwareStatements() {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (SandboxMode mode : {SandboxMode::Ofb, SandboxMode::Cdr}) {
            auto first = m_kit->mintSoftwareStatement(mode, now);
            auto later = m_kit->mintSoftwareStatement(mode, now.addSecs(90));
            QVERIFY(first.ok() && later.ok());
            auto ssa = SoftwareStatement::decode(*first);
            QVERIFY(ssa.ok());
            QCOMPARE(ssa->header()[s("alg")].toString(), s("PS256"));
            QCOMPARE(qint64(ssa->claims()[s("iat")].toDouble()), now.toSecsSinceEpoch());
            QCOMPARE(qint64(SoftwareStatement::decode(*later)->claims()[s("iat")].toDouble()),
                     now.toSecsSinceEpoch() + 90);
            if (mode == SandboxMode::Cdr) {
                QCOMPARE(ssa->iss(), s("cdr-register"));
                QCOMPARE(qint64(ssa->claims()[s("exp")].toDouble()), now.toSecsSinceEpoch() + 600);
                QCOMPARE(ssa->claims()[s("software_roles")].toString(),
                         s("data-recipient-software-product"));
            } else {
                QCOMPARE(ssa->iss(), s("Open Finance Open Finance Brasil sandbox SSA issuer"));
                QCOMPARE(ssa->claims()[s("software_jwks_uri")].toString(),
                         SandboxKit::softwareJwksUri());
                QCOMPARE(ssa->roles(), (QStringList{s("DADOS"), s("PAGTO")}));
            }
        }
        // The seed/OBIE SSA stays the kit's file.
        QCOMPARE(*m_kit->mintSoftwareStatement(SandboxMode::Obie, now), m_kit->softwareStatement());
    }

    // research_ofb §4: 201 with client_id, registration_access_token and registration_client_uri;
    // GET and PUT 200 with the same RAT (v2 §6.1-7 "shall not rotate the
    // registration_access_token"); a wrong RAT 401 without client_id; DELETE 204, then 401.
    void ofbLifecycleNeverRotatesTheRegistrationAccessToken() {
        auto a = aspsp(SandboxMode::Ofb);
        const SandboxResponse created = ofbRegister(*a, ofbClaims());
        QVERIFY2(created.status == 201, created.body.constData());
        const QJsonObject client = body(created);
        const QString clientId = client[s("client_id")].toString();
        const QByteArray rat = client[s("registration_access_token")].toString().toLatin1();
        QVERIFY(!clientId.isEmpty() && !rat.isEmpty());
        QCOMPARE(client[s("registration_client_uri")].toString(),
                 s("https://localhost:8443/register/") + clientId);
        const QString path = s("/register/") + clientId;
        for (int i = 0; i < 2; ++i) {
            const SandboxResponse read = ofbSend(*a, "GET", path, {}, rat);
            QCOMPARE(read.status, 200);
            QCOMPARE(body(read)[s("registration_access_token")].toString().toLatin1(), rat);
        }
        // An update carries a fresh SSA and its client_id (RFC 7592 §2.2).
        const SandboxResponse updated = ofbSend(*a, "PUT", path, ofbClaims([&](QJsonObject& c) {
            c[s("client_id")] = clientId;
            c[s("redirect_uris")] = QJsonArray{m_kit->redirectUris().last()};
        }),
                                                rat);
        QVERIFY2(updated.status == 200, updated.body.constData());
        QCOMPARE(body(updated)[s("registration_access_token")].toString().toLatin1(), rat);
        QCOMPARE(body(updated)[s("redirect_uris")].toArray().first().toString(),
                 m_kit->redirectUris().last());

        const SandboxResponse wrong = ofbSend(*a, "GET", path, {}, "not-the-rat");
        QCOMPARE(wrong.status, 401);
        QVERIFY(!body(wrong).contains(s("client_id")));
        QVERIFY(wrong.wwwAuthenticate.startsWith("Bearer"));
        QCOMPARE(ofbSend(*a, "DELETE", path, {}, rat).status, 204);
        QCOMPARE(ofbSend(*a, "GET", path, {}, rat).status, 401);
        QCOMPARE(ofbSend(*a, "DELETE", path, {}, rat).status, 401);
    }

    // research_ofb §4's refusal table, each with the swagger's error code; the same request
    // without the fault is accepted (so each check is what refuses it).
    void ofbRefusesWhatDcr10Lists_data() {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("why");
        QTest::newRow("no SSA") << s("no-ssa") << s("invalid_software_statement")
                                << s("software_statement is missing");
        QTest::newRow("SSA 6 minutes old")
            << s("stale-ssa") << s("invalid_software_statement") << s("more than 5 minutes");
        QTest::newRow("SSA RS256")
            << s("rs256-ssa") << s("invalid_software_statement") << s("signed with RS256");
        QTest::newRow("jwks by value")
            << s("jwks") << s("invalid_client_metadata") << s("keys by value");
        QTest::newRow("jwks_uri not the SSA's") << s("jwks_uri") << s("invalid_client_metadata")
                                                << s("is not the SSA's software_jwks_uri");
        QTest::newRow("redirect outside the SSA")
            << s("redirect") << s("invalid_redirect_uri") << s("software_redirect_uris");
        QTest::newRow("client_secret_basic") << s("auth") << s("invalid_client_metadata")
                                             << s("\"client_secret_basic\" is not an allowed");
        QTest::newRow("webhooks not the SSA's")
            << s("webhook") << s("invalid_webhook_uris") << s("software_api_webhook_uris");
        QTest::newRow("none (accepted)") << QString() << QString() << QString();
    }
    void ofbRefusesWhatDcr10Lists() {
        QFETCH(QString, fault);
        QFETCH(QString, error);
        QFETCH(QString, why);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto signedSsa = [this](const QDateTime& at, JwsAlgorithm alg) {
            return QString::fromLatin1(
                *JwsSigner::signClaims(m_kit->ofbSoftwareStatementClaims(at), m_kit->directoryKey(),
                                       {alg, m_kit->directoryKid(), s("JWT")}));
        };
        const QJsonObject claims = ofbClaims([&](QJsonObject& c) {
            if (fault == s("no-ssa"))
                c.remove(s("software_statement"));
            if (fault == s("stale-ssa"))
                c[s("software_statement")] = signedSsa(now.addSecs(-360), JwsAlgorithm::PS256);
            if (fault == s("rs256-ssa"))
                c[s("software_statement")] = signedSsa(now, JwsAlgorithm::RS256);
            if (fault == s("jwks"))
                c[s("jwks")] = QJsonObject{{s("keys"), QJsonArray{}}};
            if (fault == s("jwks_uri"))
                c[s("jwks_uri")] = s("https://evil.example.com/jwks");
            if (fault == s("redirect"))
                c[s("redirect_uris")] = QJsonArray{s("https://evil.example.com/cb")};
            if (fault == s("auth"))
                c[s("token_endpoint_auth_method")] = s("client_secret_basic");
            if (fault == s("webhook"))
                c[s("webhook_uris")] = QJsonArray{s("https://evil.example.com/hooks")};
        });
        auto strict = aspsp(SandboxMode::Ofb);
        const SandboxResponse r = ofbRegister(*strict, claims);
        if (fault.isEmpty()) {
            QVERIFY2(r.status == 201, r.body.constData());
            return;
        }
        QVERIFY2(r.status == 400, r.body.constData());
        QCOMPARE(body(r)[s("error")].toString(), error);
        // Refused for the fault, not for something else.
        QVERIFY2(body(r)[s("error_description")].toString().contains(why), r.body.constData());
        QVERIFY(!body(r).contains(s("client_id")));
        if (fault == s("webhook")) // v2 §7.1-16's prescribed error_description
            QVERIFY(body(r)[s("error_description")].toString().startsWith(
                s("The content of the webhook_uris field different from what was Registered")));
        // The careless bank takes it all.
        auto lax = aspsp(SandboxMode::Ofb);
        lax->setLax(true);
        QCOMPARE(ofbRegister(*lax, claims).status, 201);
    }

    // DCR 1.0 §9.1: a JSON body; the same metadata as a JWT are refused.
    void ofbTakesOnlyJson() {
        auto a = aspsp(SandboxMode::Ofb);
        const SandboxResponse r = a->handle(
            request("POST", s("/register"), cdrJwt(), {{"Content-Type", "application/jwt"}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(body(r)[s("error")].toString(), s("invalid_request"));
        QVERIFY(body(r)[s("error_description")].toString().contains(s("application/json")));
    }

    // research_cdr §4: 201 echoing the SSA's claims and the statement unmodified, no RAT; a
    // second registration of the software_id 400 ERR-DCR-001.
    void cdrRegistersOnceEchoingTheSsa() {
        auto a = aspsp(SandboxMode::Cdr);
        const QByteArray jwt = cdrJwt();
        const SandboxResponse created = cdrRegister(*a, jwt);
        QVERIFY2(created.status == 201, created.body.constData());
        const QJsonObject client = body(created);
        const QString ssa = Jws::parse(jwt)->claims()[s("software_statement")].toString();
        QCOMPARE(client[s("software_statement")].toString(), ssa);
        QCOMPARE(client[s("software_id")].toString(), m_kit->softwareId());
        QVERIFY(client[s("scope")].toString().contains(s("cdr:registration")));
        QCOMPARE(client[s("org_name")].toString(), s("Demo TPP Brand"));
        QVERIFY(!client.contains(s("registration_access_token")));
        const SandboxResponse again = cdrRegister(*a, cdrJwt());
        QCOMPARE(again.status, 400);
        QCOMPARE(body(again)[s("error")].toString(), s("invalid_client_metadata"));
        QVERIFY(body(again)[s("error_description")].toString().startsWith(s("ERR-DCR-001")));
        auto lax = aspsp(SandboxMode::Cdr);
        lax->setLax(true);
        QCOMPARE(cdrRegister(*lax, cdrJwt()).status, 201);
        QCOMPARE(cdrRegister(*lax, cdrJwt()).status, 201); // duplicates included
    }

    // The mock data holder's ErrorCatalogue for the SSA and the request JWT.
    void cdrRefusesSsaAndEnvelopeFaults_data() {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("code");
        QTest::newRow("SSA expired") << s("ssa-expired") << s("ERR-DCR-005");
        QTest::newRow("SSA not from cdr-register") << s("ssa-iss") << s("ERR-DCR-005");
        QTest::newRow("no SSA") << s("no-ssa") << s("ERR-DCR-006");
        QTest::newRow("iss not software_id") << s("iss") << s("ERR-DCR-004");
        QTest::newRow("aud elsewhere") << s("aud") << s("ERR-DCR-004");
        QTest::newRow("no jti") << s("jti") << s("ERR-DCR-004");
        QTest::newRow("redirect outside") << s("redirect") << s("ERR-DCR-003");
    }
    void cdrRefusesSsaAndEnvelopeFaults() {
        QFETCH(QString, fault);
        QFETCH(QString, code);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto a = aspsp(SandboxMode::Cdr);
        const QByteArray jwt = cdrJwt([&](QJsonObject& c) {
            QJsonObject ssa = m_kit->cdrSoftwareStatementClaims(now);
            if (fault == s("ssa-expired"))
                ssa = m_kit->cdrSoftwareStatementClaims(now.addSecs(-601));
            if (fault == s("ssa-iss"))
                ssa[s("iss")] = s("Open Finance Open Finance Brasil sandbox SSA issuer");
            c[s("software_statement")] = QString::fromLatin1(*m_kit->signSoftwareStatement(ssa));
            if (fault == s("no-ssa"))
                c.remove(s("software_statement"));
            if (fault == s("iss"))
                c[s("iss")] = s("someone-else");
            if (fault == s("aud"))
                c[s("aud")] = s("https://evil.example.com");
            if (fault == s("jti"))
                c.remove(s("jti"));
            if (fault == s("redirect"))
                c[s("redirect_uris")] = QJsonArray{s("https://evil.example.com/cb")};
        });
        const SandboxResponse r = cdrRegister(*a, jwt);
        QVERIFY2(r.status == 400, r.body.constData());
        QVERIFY2(body(r)[s("error_description")].toString().startsWith(code), r.body.constData());
        QCOMPARE(a->registrationCount(), 0);
        // "The request MUST use ... the application/jwt content type."
        const SandboxResponse json =
            a->handle(request("POST", s("/register"), Jws::parse(jwt)->payload(),
                              {{"Content-Type", "application/json"}}));
        QCOMPARE(json.status, 415);
    }

    // cds_dcr: 401 "unknown or invalid Client or invalid access token" (with WWW-Authenticate),
    // 403 "The client does not have permission"; a token without cdr:registration 403
    // insufficient_scope; DELETE 204 revokes the token, then GET 401.
    void cdrManagementNeedsARegistrationScopedTokenOfTheClient() {
        auto a = aspsp(SandboxMode::Cdr);
        const SandboxResponse created = cdrRegister(*a, cdrJwt());
        QVERIFY2(created.status == 201, created.body.constData());
        const QString clientId = body(created)[s("client_id")].toString();
        const QByteArray token = cdrToken(*a, clientId, s("cdr:registration"));
        QVERIFY(!token.isEmpty());
        QCOMPARE(manage(*a, "GET", clientId, token).status, 200);

        const SandboxResponse none = manage(*a, "GET", clientId, {});
        QCOMPARE(none.status, 401);
        QVERIFY(none.wwwAuthenticate.contains("invalid_token"));
        QCOMPARE(manage(*a, "GET", clientId, "forged-token").status, 401);
        const QByteArray openid = cdrToken(*a, clientId, s("openid"));
        QVERIFY(!openid.isEmpty());
        const SandboxResponse unscoped = manage(*a, "GET", clientId, openid);
        QCOMPARE(unscoped.status, 403);
        QCOMPARE(body(unscoped)[s("error")].toString(), s("insufficient_scope"));
        // This client's token on a client the data holder does not hold: cds_dcr 401 "Request
        // failed due to unknown or invalid Client or invalid access token", with WWW-Authenticate
        // "as per RFC6750" (the mock data holder: 401 "The client is unknown").
        const SandboxResponse unknown = manage(*a, "GET", newUuidV4(), token);
        QCOMPARE(unknown.status, 401);
        QVERIFY(!unknown.wwwAuthenticate.isEmpty());
        QCOMPARE(body(unknown)[s("error")].toString(), s("invalid_request"));

        const SandboxResponse updated = manage(*a, "PUT", clientId, token, cdrJwt());
        QVERIFY2(updated.status == 200, updated.body.constData());
        QCOMPARE(manage(*a, "DELETE", clientId, token).status, 204);
        QCOMPARE(manage(*a, "GET", clientId, token).status, 401);
        QCOMPARE(manage(*a, "PUT", clientId, token, cdrJwt()).status, 401);
        // Deleted, the software_id may register again.
        QCOMPARE(cdrRegister(*a, cdrJwt()).status, 201);
    }

    // The careless data holder: any bearer manages any client, and DELETE deletes nothing.
    void laxCdrTakesAnyBearerAndKeepsDeletedClients() {
        auto a = aspsp(SandboxMode::Cdr);
        a->setLax(true);
        const QString clientId = body(cdrRegister(*a, cdrJwt()))[s("client_id")].toString();
        QCOMPARE(manage(*a, "GET", clientId, "anything").status, 200);
        QCOMPARE(manage(*a, "DELETE", clientId, "anything").status, 204);
        QCOMPARE(manage(*a, "GET", clientId, "anything").status, 200);
        QCOMPARE(manage(*a, "GET", clientId, {}).status, 401); // no bearer at all still is
    }

    // Discovery in each mode names what it takes.
    void discoveryFitsTheMode() {
        auto cdr = aspsp(SandboxMode::Cdr);
        const QJsonObject doc =
            body(cdr->handle(request("GET", s("/.well-known/openid-configuration"), {}, {})));
        QCOMPARE(doc[s("token_endpoint_auth_methods_supported")].toArray(),
                 QJsonArray{s("private_key_jwt")});
        QVERIFY(doc[s("scopes_supported")].toArray().contains(s("cdr:registration")));
        QCOMPARE(doc[s("registration_endpoint")].toString(), s("https://localhost:8443/register"));
        auto ofb = aspsp(SandboxMode::Ofb);
        const QJsonObject brasil =
            body(ofb->handle(request("GET", s("/.well-known/openid-configuration"), {}, {})));
        QVERIFY(!brasil[s("token_endpoint_auth_methods_supported")].toArray().contains(
            s("client_secret_basic")));
    }
};

QTEST_GUILESS_MAIN(TestSandboxEcosystems)
#include "tst_sandbox_ecosystems.moc"
