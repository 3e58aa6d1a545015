// Brazil-shaped registrations (Open Finance Brasil DCR 1.0: an RFC 7591 JSON body carrying the
// directory's SSA, jwks_uri, tls_client_auth with its subject DN, "code id_token") against panva's
// oidc-provider over mutual TLS: a DCR server nobody here wrote judges what our ofb rules pass and
// refuses what they refuse, and manages the client by RFC 7592 with the registration access token.
#include "OidcProviderTestBed.h"
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QDateTime>
#include <QJsonArray>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestOidcProviderBrazil : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    OidcProviderTestBed m_bed;
    const QString m_clientDn = QStringLiteral("CN=brazil-tpp,O=Brazil TPP,C=BR");
    const QString m_jwksUri =
        QStringLiteral("https://keystore.example.com/org-1/software-1/application.jwks");
    const QString m_redirect = QStringLiteral("https://tpp.example.com/cb");

    QString path(const QString& name) const { return m_dir.filePath(name); }
    ProcessResult dcrctl(const QStringList& args) {
        return runWithHome(QStringLiteral(DCRCTL_PATH), args, m_dir.path());
    }
    static QJsonObject json(const ProcessResult& r) {
        return QJsonDocument::fromJson(r.out).object();
    }
    static QJsonObject response(const ProcessResult& r) {
        return json(r).value("exchange").toObject().value("response").toObject();
    }
    static QJsonObject responseBody(const ProcessResult& r) {
        return QJsonDocument::fromJson(response(r).value("body").toString().toUtf8()).object();
    }

    // DCR 1.0 §8.1's SSA claims, issued now (§7.1-3's five minutes), signed by the kit's
    // directory key with PS256 (§7.1-2).
    QString brazilSsa() const {
        const QJsonObject claims{{"iss", "Open Finance Open Finance Brasil sandbox SSA issuer"},
                                 {"iat", QDateTime::currentSecsSinceEpoch()},
                                 {"software_id", m_bed.kit().softwareId()},
                                 {"software_client_name", "Brazil TPP"},
                                 {"software_redirect_uris", QJsonArray{m_redirect}},
                                 {"software_jwks_uri", m_jwksUri},
                                 {"software_roles", QJsonArray{"DADOS", "PAGTO"}},
                                 {"software_environment", "sandbox"},
                                 {"org_id", "b961c4eb-509d-4edf-afeb-35642b38185d"},
                                 {"org_status", "Active"}};
        return QString::fromLatin1(*m_bed.kit().signSoftwareStatement(claims));
    }

    // The §9.1 example's shape: JSON metadata with the SSA, jwks_uri, tls_client_auth.
    QString writeBody(const QString& name, const QJsonObject& overrides) {
        QJsonObject body{{"software_statement", brazilSsa()},
                         {"software_id", m_bed.kit().softwareId()},
                         {"jwks_uri", m_jwksUri},
                         {"redirect_uris", QJsonArray{m_redirect}},
                         {"token_endpoint_auth_method", "tls_client_auth"},
                         {"tls_client_auth_subject_dn", m_clientDn},
                         {"grant_types", QJsonArray{"authorization_code", "implicit",
                                                    "refresh_token", "client_credentials"}},
                         {"response_types", QJsonArray{"code id_token"}},
                         {"id_token_signed_response_alg", "PS256"},
                         {"request_object_signing_alg", "PS256"},
                         {"scope", "openid accounts payments"}};
        for (auto it = overrides.begin(); it != overrides.end(); ++it)
            body.insert(it.key(), it.value());
        writeFile(path(name), QJsonDocument(body).toJson());
        return path(name);
    }

    // dcrctl lint under spec ofb, the SSA verified with the kit's directory JWKS.
    QJsonArray lint(const QString& file) {
        const auto r = dcrctl({"lint", "--spec", "ofb", "--ssa-jwks",
                               m_bed.kit().path(QStringLiteral("directory.jwks")), "--json", file});
        return QJsonDocument::fromJson(r.out).array();
    }
    static QStringList errorRules(const QJsonArray& findings) {
        QStringList out;
        for (const auto& f : findings)
            if (f.toObject().value("severity").toString() == QStringLiteral("error"))
                out << f.toObject().value("rule").toString();
        return out;
    }

private slots:
    void initTestCase() {
        // The TPP's transport certificate (issued by the kit's CA), subject as registered.
        const QString started =
            m_bed.start(m_dir.path(), {QStringLiteral("brazil-tpp"), QStringLiteral("Brazil TPP"),
                                       QStringLiteral("BR")});
        QVERIFY2(started.isEmpty(), qPrintable(started));
        // A profile made from the Brazil preset: JSON body, spec ofb, RFC 7592 management.
        const auto added =
            dcrctl({"profile", "add", "brasil", "--preset", "open-finance-brasil", "--url",
                    m_bed.peer().registrationEndpoint(), "--cert", path("client.pem"), "--key",
                    path("client-key.pem"), "--cacert", m_bed.kit().path("ca.pem"), "--token-url",
                    m_bed.peer().tokenEndpoint(), "--token-auth", "tls_client_auth"});
        QVERIFY2(added.exitCode == 0, added.err.constData());
    }

    void cleanupTestCase() { m_bed.stop(); }

    // What our ofb rules pass, the provider registers (RFC 7591 §3.2.1 "HTTP 201 Created"), reads
    // and updates with the registration access token (RFC 7592 §2.1, §2.2) and deletes (§2.3
    // "HTTP 204 No Content"); the body on the wire is the JSON metadata (Content-Type
    // application/json, DCR 1.0 §9.1).
    void brazilShapedLifecycle() {
        const QString file = writeBody(QStringLiteral("brazil.json"), {});
        const QJsonArray findings = lint(file);
        QVERIFY2(errorRules(findings).isEmpty(), qPrintable(QJsonDocument(findings).toJson()));

        const auto registered =
            dcrctl({"submit", "--profile", "brasil", "--claims", file, "--json"});
        QVERIFY2(registered.exitCode == 0, (registered.out + registered.err).constData());
        QCOMPARE(response(registered).value("status").toInt(), 201);
        const QJsonObject client = responseBody(registered);
        const QString clientId = client.value("client_id").toString();
        QVERIFY(!clientId.isEmpty());
        QCOMPARE(client.value("jwks_uri").toString(), m_jwksUri);
        QCOMPARE(client.value("tls_client_auth_subject_dn").toString(), m_clientDn);
        // RFC 7591 §3.2.1 / RFC 7592 §3: the provider issued a registration access token.
        QVERIFY(client.contains("registration_access_token"));

        const auto read =
            dcrctl({"client", "get", "--profile", "brasil", "--client-id", clientId, "--json"});
        QVERIFY2(read.exitCode == 0, (read.out + read.err).constData());
        QCOMPARE(response(read).value("status").toInt(), 200);
        QCOMPARE(responseBody(read).value("jwks_uri").toString(), m_jwksUri);

        // DCR 1.0 §9.3.2 / v2: an update carries a fresh software_statement.
        const auto updated = dcrctl(
            {"client", "update", "--profile", "brasil", "--client-id", clientId, "--claims",
             writeBody(QStringLiteral("brazil-update.json"), {{"client_name", "Brazil TPP 2"}}),
             "--json"});
        QVERIFY2(updated.exitCode == 0, (updated.out + updated.err).constData());
        QCOMPARE(response(updated).value("status").toInt(), 200);
        QCOMPARE(responseBody(updated).value("client_name").toString(),
                 QStringLiteral("Brazil TPP 2"));

        const auto removed =
            dcrctl({"client", "delete", "--profile", "brasil", "--client-id", clientId, "--json"});
        QVERIFY2(removed.exitCode == 0, (removed.out + removed.err).constData());
        QCOMPARE(response(removed).value("status").toInt(), 204);
    }

    // DCR 1.0 §7.1-4 "shall validate that the attribute jwks (key set by value) was not included;
    // but declared as a reference in the jwks_uri attribute". Our preflight says so before
    // sending (ofb-jwks-by-value); the provider refuses the same body on RFC 7591 §2's own
    // ground ("The jwks_uri and jwks parameters MUST NOT both be present in the same request"):
    // 400 invalid_client_metadata.
    void jwksByValueIsRefusedByBoth() {
        const QJsonObject jwks =
            QJsonDocument::fromJson(readFile(m_bed.kit().path(QStringLiteral("software.jwks"))))
                .object();
        QVERIFY(!jwks.value("keys").toArray().isEmpty());
        const QString file = writeBody(QStringLiteral("brazil-jwks.json"), {{"jwks", jwks}});
        QVERIFY2(errorRules(lint(file)).contains(QStringLiteral("ofb-jwks-by-value")),
                 qPrintable(QJsonDocument(lint(file)).toJson()));
        const auto r = dcrctl({"submit", "--profile", "brasil", "--claims", file, "--json"});
        QVERIFY2(r.exitCode == 1, (r.out + r.err).constData());
        QCOMPARE(response(r).value("status").toInt(), 400);
        QCOMPARE(json(r).value("outcome").toObject().value("error_class").toString(),
                 QStringLiteral("invalid_client_metadata"));
    }

    // Open Finance Brasil v2 §6.1-7: the server "shall not rotate the registration_access_token"
    // (the OIDF suite's CheckClientConfigurationAccessTokenFromClientConfigurationEndpointIsNot-
    // Rotated). The plan's "registration_access_token": "unchanged" expectation is judged here
    // against oidc-provider, which keeps the token by default and, with --rotate-rat
    // (features.registrationManagement.rotateRegistrationAccessToken), issues a new one on
    // update: the same plan passes against the first and fails the update against the second.
    void notRotatedRegistrationAccessTokenIsChecked() {
        const QJsonObject plan{
            {"name", "ofb-rat"},
            {"scenarios",
             QJsonArray{
                 QJsonObject{{"id", "register"},
                             {"title", "register"},
                             {"source", "RFC 7591 3.2.1"},
                             {"quote", "HTTP 201 Created"},
                             {"step", "register"},
                             {"expect", QJsonObject{{"ofb", QJsonObject{{"result", "accepted"},
                                                                        {"status", 201}}}}}},
                 QJsonObject{
                     {"id", "update"},
                     {"title", "update, token not rotated"},
                     {"source", "OFB DCR v2 6.1-7"},
                     {"quote", "shall not rotate the registration_access_token"},
                     {"step", "update"},
                     {"expect", QJsonObject{{"ofb", QJsonObject{{"result", "accepted"},
                                                                {"status", 200},
                                                                {"registration_access_token",
                                                                 "unchanged"}}}}}}}}};
        writeFile(path(QStringLiteral("rat-plan.json")), QJsonDocument(plan).toJson());
        const QString body = writeBody(QStringLiteral("rat-body.json"), {});
        const auto run = [&](const QString& profile) {
            return dcrctl({"test", "run", "--profile", profile, "--plan",
                           path(QStringLiteral("rat-plan.json")), "--claims", body, "--json"});
        };
        const auto verdicts = [](const ProcessResult& r) {
            QMap<QString, QString> out;
            for (const auto& v : json(r).value("results").toArray())
                out.insert(v.toObject().value("id").toString(),
                           v.toObject().value("verdict").toString());
            return out;
        };
        const auto kept = run(QStringLiteral("brasil"));
        QVERIFY2(kept.exitCode == 0, (kept.out + kept.err).constData());
        QCOMPARE(verdicts(kept).value("update"), QStringLiteral("passed"));

        const auto rotating = m_bed.startPeer({QStringLiteral("--rotate-rat")});
        QVERIFY2(rotating->error().isEmpty(), qPrintable(rotating->error()));
        const auto added =
            dcrctl({"profile", "add", "brasil-rotating", "--preset", "open-finance-brasil", "--url",
                    rotating->registrationEndpoint(), "--cert", path("client.pem"), "--key",
                    path("client-key.pem"), "--cacert", m_bed.kit().path("ca.pem"), "--token-url",
                    rotating->tokenEndpoint(), "--token-auth", "tls_client_auth"});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        const auto rotated = run(QStringLiteral("brasil-rotating"));
        QVERIFY2(rotated.exitCode == 1, (rotated.out + rotated.err).constData());
        QCOMPARE(verdicts(rotated).value("register"), QStringLiteral("passed"));
        QCOMPARE(verdicts(rotated).value("update"), QStringLiteral("failed"));
        QVERIFY2(rotated.out.contains("rotated"), rotated.out.constData());
    }

    // RFC 7591 §2: "If unspecified or omitted, the default is "client_secret_basic"" — which
    // Brazil does not allow (OIDF suite, BrazilOBDCR-7.1-7: "token_endpoint_auth_method must be
    // set in registration request"). Our ofb rules refuse the body without it; the provider,
    // which knows nothing of Brazil, registers it with its default: only our check catches it.
    void missingAuthMethodOnlyOurRulesCatch() {
        const QString file = writeBody(QStringLiteral("brazil-noauth.json"), {});
        QJsonObject body = QJsonDocument::fromJson(readFile(file)).object();
        body.remove("token_endpoint_auth_method");
        body.remove("tls_client_auth_subject_dn");
        writeFile(file, QJsonDocument(body).toJson());
        QVERIFY2(errorRules(lint(file)).contains(QStringLiteral("required-claim")),
                 qPrintable(QJsonDocument(lint(file)).toJson()));
        const auto r = dcrctl({"submit", "--profile", "brasil", "--claims", file, "--json"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QCOMPARE(response(r).value("status").toInt(), 201);
        QCOMPARE(responseBody(r).value("token_endpoint_auth_method").toString(),
                 QStringLiteral("client_secret_basic"));
    }
};

QTEST_MAIN(TestOidcProviderBrazil)
#include "tst_oidc_provider_brazil.moc"
