#include "SandboxKit.h"

#include "common/AtomicFile.h"
#include "common/LocalFile.h"
#include "common/PrivateFiles.h"
#include "common/Utf8.h"
#include "jose/CertificateBuilder.h"
#include "jose/Jwk.h"
#include "jose/JwkSet.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"
#include "jose/KeyMaterial.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct SandboxKitTr {
    Q_DECLARE_TR_FUNCTIONS(SandboxKit)
};

const char* const kFiles[] = {"ca.pem",
                              "ca-key.pem",
                              "server.pem",
                              "server-key.pem",
                              "directory-signing-key.pem",
                              "directory.jwks",
                              "tpp-signing-key.pem",
                              "software.jwks",
                              "tpp-transport.pem",
                              "tpp-transport-key.pem",
                              "ssa.jwt",
                              "kit.json"};

Status writePrivate(const QString& path, const QByteArray& bytes) {
    return writeFileAtomically(path, bytes); // 0600, whatever the umask
}

Result<QByteArray> readKitFile(const QString& path) {
    auto bytes = readLocalFile(path, 8 * 1024 * 1024);
    if (!bytes)
        return Error{ErrorKind::InputUnreadable,
                     SandboxKitTr::tr("sandbox kit file %1 is missing or unreadable (%2); recreate "
                                      "the kit with 'dcr-sandbox init'")
                         .arg(path, bytes.error().message)};
    return bytes;
}

} // namespace

QString randomBase62Id(int length) {
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QString out;
    for (int i = 0; i < length; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    return out;
}

QString SandboxKit::path(const QString& file) const {
    return QDir(m_dir).filePath(file);
}

QStringList SandboxKit::writtenFiles() const {
    QStringList out;
    for (const char* f : kFiles)
        out << path(QString::fromLatin1(f));
    return out;
}

QString SandboxKit::directoryKid() const {
    return jwk::thumbprint(m_directoryKey);
}
QString SandboxKit::tppSigningKid() const {
    return jwk::thumbprint(m_tppSigningKey);
}

QStringList SandboxKit::redirectUris() const {
    return {s("https://tpp.example.com/callback"), s("https://tpp.example.com/callback2")};
}

QJsonObject SandboxKit::softwareStatementClaims(const QString& softwareId,
                                                const QDateTime& issuedAt) const {
    const QString base = QStringLiteral("https://localhost:%1/jwks").arg(DefaultPort);
    return QJsonObject{
        {s("iss"), directoryIssuer()},
        {s("iat"), static_cast<double>(issuedAt.toSecsSinceEpoch())},
        {s("jti"), newUuidV4()},
        {s("software_environment"), s("sandbox")},
        {s("software_mode"), s("Test")},
        {s("software_id"), softwareId},
        {s("software_client_id"), softwareId},
        {s("software_client_name"), s("Demo TPP Console")},
        {s("software_client_description"),
         s("Demo third-party provider created by dcr-sandbox init")},
        {s("software_version"), s("1.0")},
        {s("software_client_uri"), s("https://tpp.example.com")},
        {s("software_redirect_uris"), QJsonArray::fromStringList(redirectUris())},
        {s("software_roles"), QJsonArray{s("AISP"), s("PISP"), s("CBPII")}},
        {s("organisation_competent_authority_claims"),
         QJsonArray{
             QJsonObject{{s("authority_id"), s("GBFCA")},
                         {s("registration_id"), s("123456")},
                         {s("status"), s("Active")},
                         {s("authorisations"),
                          QJsonArray{QJsonObject{
                              {s("member_state"), s("GB")},
                              {s("roles"), QJsonArray{s("AISP"), s("PISP"), s("CBPII")}}}}}}}},
        {s("software_logo_uri"), s("https://tpp.example.com/logo.png")},
        {s("org_status"), s("Active")},
        {s("org_id"), s("0015800001DEMO")},
        {s("org_name"), s("Demo TPP Ltd")},
        {s("org_contacts"), QJsonArray{QJsonObject{{s("name"), s("Demo Support")},
                                                   {s("email"), s("support@tpp.example.com")},
                                                   {s("phone"), s("+441234567890")},
                                                   {s("type"), s("technical")}}}},
        {s("org_jwks_endpoint"), base + s("/org.jwks")},
        {s("org_jwks_revoked_endpoint"), base + s("/revoked/org.jwks")},
        {s("software_jwks_endpoint"), base + s("/software.jwks")},
        {s("software_jwks_revoked_endpoint"), base + s("/revoked/software.jwks")},
        {s("software_policy_uri"), s("https://tpp.example.com/policy")},
        {s("software_tos_uri"), s("https://tpp.example.com/tos")},
    };
}

QString SandboxKit::softwareJwksUri() {
    return QStringLiteral("https://localhost:%1/jwks/software.jwks").arg(DefaultPort);
}

QStringList SandboxKit::webhookUris() {
    return {s("https://tpp.example.com/webhooks")};
}

QJsonObject SandboxKit::ofbSoftwareStatementClaims(const QDateTime& issuedAt) const {
    auto role = [](const char* name) {
        return QJsonObject{{s("role"), QString::fromLatin1(name)},
                           {s("authorisation_domain"), s("Open Banking")},
                           {s("status"), s("Active")}};
    };
    return QJsonObject{
        {s("iss"), ofbDirectoryIssuer()},
        {s("iat"), static_cast<double>(issuedAt.toSecsSinceEpoch())},
        {s("software_mode"), s("Test")},
        {s("software_environment"), s("sandbox")},
        {s("software_id"), m_softwareId},
        {s("software_client_id"), m_softwareId},
        {s("software_client_name"), s("Demo TPP Console")},
        {s("software_client_description"),
         s("Demo third-party provider created by dcr-sandbox init")},
        {s("software_version"), s("1.0")},
        {s("software_client_uri"), s("https://tpp.example.com")},
        {s("software_logo_uri"), s("https://tpp.example.com/logo.png")},
        {s("software_tos_uri"), s("https://tpp.example.com/tos")},
        {s("software_policy_uri"), s("https://tpp.example.com/policy")},
        {s("software_redirect_uris"), QJsonArray::fromStringList(redirectUris())},
        {s("software_api_webhook_uris"), QJsonArray::fromStringList(webhookUris())},
        {s("software_jwks_uri"), softwareJwksUri()},
        {s("software_roles"), QJsonArray{s("DADOS"), s("PAGTO")}},
        {s("software_statement_roles"), QJsonArray{role("DADOS"), role("PAGTO")}},
        {s("org_id"), s("7f3e2a10-5c4b-4d2e-9a61-0b8c1d2e3f40")},
        {s("org_name"), s("Demo TPP Ltda")},
        {s("org_number"), s("12345678000190")},
        {s("org_status"), s("Active")},
        {s("organisation_competent_authority_claims"),
         QJsonArray{QJsonObject{{s("authorisation_domain"), s("Open Banking")},
                                {s("authorisations"), QJsonArray{}},
                                {s("authority_code"), s("BCB")},
                                {s("authority_name"), s("Banco Central")},
                                {s("authorisation_role"), s("DADOS")},
                                {s("registration_id"), s("12345678-OBB-DADOS")},
                                {s("status"), s("Active")}}}},
    };
}

QJsonObject SandboxKit::cdrSoftwareStatementClaims(const QDateTime& issuedAt) const {
    const qint64 iat = issuedAt.toSecsSinceEpoch();
    return QJsonObject{
        {s("iss"), cdrRegisterIssuer()},
        {s("iat"), static_cast<double>(iat)},
        {s("exp"), static_cast<double>(iat + 600)},
        {s("jti"), newUuidV4().remove(u'-')},
        {s("legal_entity_id"), s("3B0B0A7B-3E7B-4A2C-9497-E357A71D07C7")},
        {s("legal_entity_name"), s("Demo TPP Pty Ltd")},
        {s("org_id"), s("3B0B0A7B-3E7B-4A2C-9497-E357A71D07C8")},
        {s("org_name"), s("Demo TPP Brand")},
        {s("client_name"), s("Demo TPP Console")},
        {s("client_description"), s("Demo data recipient created by dcr-sandbox init")},
        {s("client_uri"), s("https://tpp.example.com")},
        {s("redirect_uris"), QJsonArray::fromStringList(redirectUris())},
        {s("logo_uri"), s("https://tpp.example.com/logo.png")},
        {s("tos_uri"), s("https://tpp.example.com/tos")},
        {s("policy_uri"), s("https://tpp.example.com/policy")},
        {s("jwks_uri"), softwareJwksUri()},
        {s("revocation_uri"), s("https://tpp.example.com/revocation")},
        {s("recipient_base_uri"), s("https://tpp.example.com")},
        {s("software_id"), m_softwareId},
        {s("software_roles"), s("data-recipient-software-product")},
        {s("scope"), s("openid profile bank:accounts.basic:read bank:transactions:read "
                       "common:customer.basic:read cdr:registration")},
    };
}

Result<QByteArray> SandboxKit::mintSoftwareStatement(SandboxMode mode, const QDateTime& now) const {
    switch (mode) {
    case SandboxMode::Ofb:
        return signSoftwareStatement(ofbSoftwareStatementClaims(now));
    case SandboxMode::Cdr:
        return signSoftwareStatement(cdrSoftwareStatementClaims(now));
    case SandboxMode::Seed:
    case SandboxMode::Obie:
        break;
    }
    return m_ssa;
}

Result<QByteArray> SandboxKit::signSoftwareStatement(const QJsonObject& claims) const {
    return JwsSigner::signClaims(claims, m_directoryKey,
                                 {JwsAlgorithm::PS256, directoryKid(), s("JWT")});
}

bool SandboxKit::signedSoftwareStatement(const QByteArray& jwt) const {
    const auto jws = Jws::parse(jwt);
    return jws && JwsVerifier::verifyWithKey(*jws, m_directoryKey, {JwsAlgorithm::PS256}).ok();
}

Result<SandboxKit> SandboxKit::create(const QString& directory) {
    if (auto made = makePrivateFolder(directory); !made)
        return Error{
            ErrorKind::InputUnreadable,
            SandboxKitTr::tr("cannot create the kit directory: %1").arg(made.error().message)};
    // The kit's own folder is the owner's even when it existed before (its keys are private).
    QFile::setPermissions(directory,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    SandboxKit kit;
    kit.m_dir = QDir(directory).absolutePath();
    auto genRsa = [] { return Key::generateRsa(2048); };
    auto ca = genRsa(), server = genRsa(), dirKey = genRsa(), tppSign = genRsa(),
         tppTransport = genRsa();
    for (auto* k : {&ca, &server, &dirKey, &tppSign, &tppTransport})
        if (!*k)
            return k->error();
    kit.m_caKey = *ca;
    kit.m_serverKey = *server;
    kit.m_directoryKey = *dirKey;
    kit.m_tppSigningKey = *tppSign;
    kit.m_tppTransportKey = *tppTransport;
    kit.m_softwareId = randomBase62Id();

    auto caCert = issueCertificate({s("DCR Sandbox Demo CA"),
                                    s("DCR Console Sandbox"),
                                    {},
                                    s("GB"),
                                    {},
                                    {},
                                    {},
                                    {},
                                    true,
                                    false,
                                    false},
                                   kit.m_caKey, kit.m_caKey);
    if (!caCert)
        return caCert.error();
    kit.m_caCert = *caCert;
    auto serverCert = issueCertificate({s("localhost"),
                                        s("DCR Console Sandbox"),
                                        {},
                                        s("GB"),
                                        {s("localhost")},
                                        {s("127.0.0.1")},
                                        {},
                                        {},
                                        false,
                                        true,
                                        false},
                                       kit.m_serverKey, kit.m_caKey, kit.m_caCert);
    if (!serverCert)
        return serverCert.error();
    kit.m_serverCert = *serverCert;
    auto transport = issueCertificate({kit.m_softwareId,
                                       s("Demo TPP Ltd"),
                                       s("PSDGB-FCA-123456"),
                                       s("GB"),
                                       {},
                                       {},
                                       {},
                                       {},
                                       false,
                                       false,
                                       true},
                                      kit.m_tppTransportKey, kit.m_caKey, kit.m_caCert);
    if (!transport)
        return transport.error();
    kit.m_tppTransportCert = *transport;
    auto ssa = kit.signSoftwareStatement(
        kit.softwareStatementClaims(kit.m_softwareId, QDateTime::currentDateTimeUtc()));
    if (!ssa)
        return ssa.error();
    kit.m_ssa = *ssa;

    const QJsonObject meta{
        {s("software_id"), kit.m_softwareId},
        {s("aud"), kit.aud()},
        {s("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {s("note"), s("Demo material for a local sandbox. Never use these keys outside it.")}};
    const std::pair<const char*, QByteArray> files[] = {
        {"ca.pem", kit.m_caCert.toPem()},
        {"ca-key.pem", kit.m_caKey.privatePkcs8Pem()},
        {"server.pem", kit.m_serverCert.toPem() + kit.m_caCert.toPem()},
        {"server-key.pem", kit.m_serverKey.privatePkcs8Pem()},
        {"directory-signing-key.pem", kit.m_directoryKey.privatePkcs8Pem()},
        {"directory.jwks", JwkSet::single(kit.m_directoryKey, kit.directoryKid()).toJson()},
        {"tpp-signing-key.pem", kit.m_tppSigningKey.privatePkcs8Pem()},
        {"software.jwks", JwkSet::single(kit.m_tppSigningKey, kit.tppSigningKid()).toJson()},
        {"tpp-transport.pem", kit.m_tppTransportCert.toPem()},
        {"tpp-transport-key.pem", kit.m_tppTransportKey.privatePkcs8Pem()},
        {"ssa.jwt", kit.m_ssa + '\n'},
        {"kit.json", QJsonDocument(meta).toJson()},
    };
    for (const auto& [name, bytes] : files)
        if (auto ok = writePrivate(kit.path(QString::fromLatin1(name)), bytes); !ok)
            return ok.error();
    return kit;
}

Result<SandboxKit> SandboxKit::load(const QString& directory) {
    SandboxKit kit;
    kit.m_dir = QDir(directory).absolutePath();
    auto loadMaterial = [&kit](const char* file) -> Result<KeyMaterial> {
        auto bytes = readKitFile(kit.path(QString::fromLatin1(file)));
        if (!bytes)
            return bytes.error();
        auto m = keyloader::load(*bytes);
        if (!m)
            return Error{m.error().kind,
                         QStringLiteral("%1: %2").arg(kit.path(QString::fromLatin1(file)),
                                                      m.error().message)};
        return m;
    };
    struct KeySlot {
        const char* file;
        Key* key;
    };
    for (const KeySlot& slot :
         {KeySlot{"ca-key.pem", &kit.m_caKey}, KeySlot{"server-key.pem", &kit.m_serverKey},
          KeySlot{"directory-signing-key.pem", &kit.m_directoryKey},
          KeySlot{"tpp-signing-key.pem", &kit.m_tppSigningKey},
          KeySlot{"tpp-transport-key.pem", &kit.m_tppTransportKey}}) {
        auto m = loadMaterial(slot.file);
        if (!m)
            return m.error();
        *slot.key = m->privateKey;
    }
    struct CertSlot {
        const char* file;
        Certificate* cert;
    };
    for (const CertSlot& slot :
         {CertSlot{"ca.pem", &kit.m_caCert}, CertSlot{"server.pem", &kit.m_serverCert},
          CertSlot{"tpp-transport.pem", &kit.m_tppTransportCert}}) {
        auto m = loadMaterial(slot.file);
        if (!m)
            return m.error();
        *slot.cert = m->leaf();
    }
    auto ssa = readKitFile(kit.path(s("ssa.jwt")));
    if (!ssa)
        return ssa.error();
    kit.m_ssa = ssa->trimmed();
    auto meta = readKitFile(kit.path(s("kit.json")));
    if (!meta)
        return meta.error();
    kit.m_softwareId = QJsonDocument::fromJson(*meta).object().value(s("software_id")).toString();
    if (kit.m_softwareId.isEmpty())
        return Error{ErrorKind::JsonInvalid,
                     SandboxKitTr::tr("%1 has no software_id; recreate the kit")
                         .arg(kit.path(s("kit.json")))};
    return kit;
}

Result<SandboxKit> SandboxKit::loadOrCreate(const QString& directory) {
    if (QFile::exists(QDir(directory).filePath(s("kit.json"))))
        return load(directory);
    return create(directory);
}

RegistrationRequest SandboxKit::demoRequest(const QDateTime& now) const {
    RegistrationRequest r;
    r.setString(s("iss"), m_softwareId);
    r.setString(s("aud"), aud());
    r.setString(s("software_id"), m_softwareId);
    r.setString(s("software_statement"), QString::fromLatin1(m_ssa));
    r.setStringList(s("redirect_uris"), {redirectUris().first()});
    r.setStringList(s("grant_types"),
                    {s("client_credentials"), s("authorization_code"), s("refresh_token")});
    r.setStringList(s("response_types"), {s("code id_token")});
    r.setString(s("scope"), s("openid accounts payments"));
    r.setString(s("token_endpoint_auth_method"), s("tls_client_auth"));
    r.setString(s("tls_client_auth_subject_dn"), m_tppTransportCert.subjectDn());
    r.setString(s("application_type"), s("web"));
    r.setString(s("request_object_signing_alg"), s("PS256"));
    r.setString(s("id_token_signed_response_alg"), s("PS256"));
    r.fillTimesAndJti(now);
    return r;
}

RegistrationRequest SandboxKit::draftRequest(const QDateTime& now) const {
    return draftRequest(SandboxMode::Obie, now);
}

RegistrationRequest SandboxKit::demoRequest(SandboxMode mode, const QDateTime& now) const {
    if (mode == SandboxMode::Seed || mode == SandboxMode::Obie)
        return demoRequest(now);
    RegistrationRequest r;
    // Signing with the kit's own directory key cannot fail short of a broken kit; an empty SSA
    // then shows as software_statement missing wherever the request goes.
    const auto ssa = mintSoftwareStatement(mode, now);
    r.setString(s("software_statement"), ssa ? QString::fromLatin1(*ssa) : QString());
    r.setStringList(s("redirect_uris"), {redirectUris().first()});
    r.setStringList(s("grant_types"),
                    {s("client_credentials"), s("authorization_code"), s("refresh_token")});
    r.setString(s("token_endpoint_auth_method"), s("private_key_jwt"));
    r.setString(s("token_endpoint_auth_signing_alg"), s("PS256"));
    r.setString(s("application_type"), s("web"));
    r.setString(s("id_token_signed_response_alg"), s("PS256"));
    r.setString(s("request_object_signing_alg"), s("PS256"));
    if (mode == SandboxMode::Ofb) {
        // DCR 1.0 §9.1's request: RFC 7591 JSON metadata, the SSA's jwks_uri and webhooks.
        r.setStringList(s("response_types"), {s("code id_token")});
        r.setString(s("scope"), s("openid accounts consents resources payments"));
        r.setString(s("jwks_uri"), softwareJwksUri());
        r.setStringList(s("webhook_uris"), webhookUris());
        return r;
    }
    // The CDR's "Registration Request using JWT": iss is the software product's id, the scope
    // comes from the SSA, the authorisation code flow with JARM.
    r.setString(s("iss"), m_softwareId);
    r.setString(s("aud"), aud());
    r.setStringList(s("response_types"), {s("code")});
    r.setString(s("authorization_signed_response_alg"), s("PS256"));
    r.fillTimesAndJti(now);
    return r;
}

RegistrationRequest SandboxKit::draftRequest(SandboxMode mode, const QDateTime& now) const {
    RegistrationRequest r = mode == SandboxMode::Seed || mode == SandboxMode::Obie
                                ? demoRequest(now)
                                : demoRequest(mode, now);
    r.remove(s("iat"));
    r.remove(s("exp"));
    return r;
}

} // namespace dcr
