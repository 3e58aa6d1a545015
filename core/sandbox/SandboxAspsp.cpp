#include "SandboxAspsp.h"

#include "jose/JwkSet.h"
#include "jose/JwsVerifier.h"
#include "registration/ClaimSpec.h"
#include "registration/Preflight.h"
#include "registration/SeedAnswers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace dcr {

namespace {

QString s(const char* t) {
    return QString::fromUtf8(t);
}

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray header(const HeaderList& headers, const QByteArray& name) {
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

QString randomToken() {
    QByteArray bytes(32, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

QString sandboxModeName(SandboxMode mode) {
    return mode == SandboxMode::Seed ? s("seed") : s("obie");
}

std::optional<SandboxMode> sandboxModeFromName(const QString& name) {
    if (name == s("seed"))
        return SandboxMode::Seed;
    if (name == s("obie"))
        return SandboxMode::Obie;
    return std::nullopt;
}

SandboxAspsp::SandboxAspsp(SandboxKit kit, SandboxMode mode, Clock clock)
    : m_kit(std::move(kit))
    , m_mode(mode)
    , m_clock(std::move(clock)) {}

QString SandboxAspsp::registrationPath() const {
    return m_mode == SandboxMode::Seed ? seedRegisterPath() : s("/register");
}

SandboxResponse SandboxAspsp::reject(const Rejection& r) const {
    if (m_mode == SandboxMode::Obie)
        return {400, "application/json",
                json({{s("error"), r.rfcError}, {s("error_description"), r.text}})};
    const ErrorClassInfo* info = findSeedErrorClass(r.seedClass);
    const int status = info ? info->httpStatus : 400;
    const QJsonObject message{
        {s("category"), r.seedClass}, {s("code"), status}, {s("text"), r.text}};
    return {status, "application/json", json({{s("tppMessages"), QJsonArray{message}}})};
}

SandboxResponse SandboxAspsp::notFound(const QString& path) const {
    if (m_mode == SandboxMode::Obie)
        return {404, "application/json",
                json({{s("error"), s("not_found")},
                      {s("error_description"), s("no resource at %1").arg(path)}})};
    const QJsonObject message{
        {s("category"), s("ResourceUnknown")},
        {s("code"), 404},
        {s("text"), s("The addressed resource is unknown relative to the TPP.")}};
    return {404, "application/json", json({{s("tppMessages"), QJsonArray{message}}})};
}

std::optional<SandboxAspsp::Rejection> SandboxAspsp::validate(const SandboxRequest& request,
                                                              QJsonObject* claimsOut) const {
    const QByteArray contentType =
        header(request.headers, "content-type").split(';').first().trimmed().toLower();
    const bool jwtType = contentType == "application/jwt" ||
                         (m_mode == SandboxMode::Obie && contentType == "application/jose");
    if (!jwtType)
        return Rejection{
            s("RequestFormatInvalid"), s("invalid_request"),
            s("Content-Type must be application/jwt%1, not \"%2\"")
                .arg(m_mode == SandboxMode::Obie ? s(" or application/jose") : QString(),
                     QString::fromLatin1(contentType))};
    auto jws = Jws::parse(request.body);
    if (!jws)
        return Rejection{s("RequestFormatInvalid"), s("invalid_request"),
                         s("the body is not a signed JWT: %1").arg(jws.error().message)};
    const RegistrationRequest claims(jws->claims());
    *claimsOut = claims.claims();

    // The seed's "Can raise" columns: a required claim that is missing or empty is
    // WrongRequiredFields (401), before anything else is looked at.
    QStringList missing;
    for (const auto& spec : registrationClaimSpecs()) {
        const QJsonValue v = claims.claims().value(spec.name);
        if (spec.required &&
            (v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty()) ||
             (v.isArray() && v.toArray().isEmpty())))
            missing << spec.name;
    }
    if (!missing.isEmpty())
        return Rejection{
            seedAnswerFor(missing.first()).whenMissing, s("invalid_client_metadata"),
            s("Specified required fields were not provided: %1").arg(missing.join(s(", ")))};

    auto ssa = SoftwareStatement::decode(claims.softwareStatement().toLatin1());
    if (!ssa)
        return Rejection{s("Invalid"), s("invalid_software_statement"),
                         s("software_statement: %1").arg(ssa.error().message)};
    auto ssaCheck = JwsVerifier::verifyWithJwks(
        ssa->jws(), JwkSet::single(m_kit.directoryKey(), m_kit.directoryKid()),
        {JwsAlgorithm::PS256, JwsAlgorithm::ES256});
    if (!ssaCheck)
        return Rejection{s("AccessDenied"), s("invalid_software_statement"),
                         s("the software statement is not signed by the sandbox directory: %1")
                             .arg(ssaCheck.error().message)};
    if (ssa->softwareId() != m_kit.softwareId())
        return Rejection{s("NotFound"), s("unapproved_software_statement"),
                         s("software_id %1 is not known to this ASPSP").arg(ssa->softwareId())};
    auto requestCheck = JwsVerifier::verifyWithJwks(
        *jws, JwkSet::single(m_kit.tppSigningKey(), m_kit.tppSigningKid()),
        {JwsAlgorithm::PS256, JwsAlgorithm::ES256, JwsAlgorithm::RS256});
    if (!requestCheck)
        return Rejection{s("AccessDenied"), s("invalid_client_metadata"),
                         s("the request signature does not verify against the software JWKS: %1")
                             .arg(requestCheck.error().message)};

    PreflightInput input;
    input.request = claims;
    input.requestAlgorithm = jws->algorithm();
    input.ssa = *ssa;
    input.ssaSignature.state = SignatureCheck::State::Verified;
    input.requestSignature.state = SignatureCheck::State::Verified;
    PreflightOptions options;
    options.directoryIssuers = {m_kit.directoryIssuer()};
    // tls_client_auth_subject_dn is compared by meaning with the presented certificate.
    options.transportCertificate = request.clientCertificate;
    for (const auto& finding : Preflight(options, m_clock).run(input)) {
        if (finding.severity != Severity::Error)
            continue;
        const bool redirect = finding.claim == s("redirect_uris");
        return Rejection{seedErrorClassFor(finding),
                         redirect ? s("invalid_redirect_uri") : s("invalid_client_metadata"),
                         s("%1: %2").arg(finding.claim.isEmpty() ? finding.rule : finding.claim,
                                         finding.message)};
    }
    return std::nullopt;
}

QJsonObject SandboxAspsp::clientJson(const QString& clientId, const Client& client) const {
    QJsonObject out = client.metadata;
    for (const char* dropped : {"iss", "iat", "exp", "aud", "jti"})
        out.remove(s(dropped));
    out.insert(s("client_id"), clientId);
    out.insert(s("registration_access_token"), client.accessToken);
    QUrl uri = m_baseUrl;
    uri.setPath(s("/register/") + clientId);
    out.insert(s("registration_client_uri"), uri.toString());
    return out;
}

SandboxResponse SandboxAspsp::registerClient(const SandboxRequest& request) {
    QJsonObject claims;
    if (auto rejection = validate(request, &claims))
        return reject(*rejection);
    ++m_registrations;
    if (m_mode == SandboxMode::Seed)
        return {200, "application/json",
                json({{s("message"),
                       s("Request is processed. We will send the response via email.")}})};
    const QString clientId = newUuidV4();
    Client client{claims, randomToken()};
    client.metadata.insert(s("client_id_issued_at"),
                           static_cast<double>(m_clock().toSecsSinceEpoch()));
    if (RegistrationRequest(claims).tokenEndpointAuthMethod() == s("client_secret_basic")) {
        client.metadata.insert(s("client_secret"), randomToken());
        client.metadata.insert(s("client_secret_expires_at"), 0);
    }
    m_clients.insert(clientId, client);
    return {201, "application/json", json(clientJson(clientId, client))};
}

SandboxResponse SandboxAspsp::clientOperation(const SandboxRequest& request,
                                              const QString& clientId) {
    const QByteArray auth = header(request.headers, "authorization");
    auto it = m_clients.find(clientId);
    if (it == m_clients.end() || auth != "Bearer " + it->accessToken.toLatin1())
        return {401, "application/json",
                json({{s("error"), s("invalid_token")},
                      {s("error_description"),
                       s("unknown client or wrong registration access token")}})};
    if (request.method == "GET")
        return {200, "application/json", json(clientJson(clientId, *it))};
    if (request.method == "DELETE") {
        m_clients.erase(it);
        return {204, "application/json", {}};
    }
    if (request.method == "PUT") {
        QJsonObject claims;
        if (auto rejection = validate(request, &claims))
            return reject(*rejection);
        const QJsonObject keep{
            {s("client_id_issued_at"), it->metadata.value(s("client_id_issued_at"))}};
        it->metadata = claims;
        for (auto k = keep.begin(); k != keep.end(); ++k)
            it->metadata.insert(k.key(), k.value());
        return {200, "application/json", json(clientJson(clientId, *it))};
    }
    return {405, "application/json", json({{s("error"), s("method_not_allowed")}})};
}

SandboxResponse SandboxAspsp::discovery() const {
    auto url = [this](const QString& path) {
        QUrl u = m_baseUrl;
        u.setPath(path);
        return u.toString();
    };
    const QJsonObject doc{
        {s("issuer"), url(s("/"))},
        {s("registration_endpoint"), url(registrationPath())},
        {s("token_endpoint"), url(s("/token"))},
        {s("authorization_endpoint"), url(s("/authorize"))},
        {s("jwks_uri"), url(s("/jwks/aspsp.jwks"))},
        {s("token_endpoint_auth_methods_supported"),
         QJsonArray{s("tls_client_auth"), s("private_key_jwt"), s("client_secret_basic")}},
        {s("token_endpoint_auth_signing_alg_values_supported"), QJsonArray{s("PS256"), s("ES256")}},
        {s("grant_types_supported"),
         QJsonArray{s("client_credentials"), s("authorization_code"), s("refresh_token")}},
        {s("response_types_supported"), QJsonArray{s("code"), s("code id_token")}},
        {s("scopes_supported"),
         QJsonArray{s("openid"), s("accounts"), s("payments"), s("fundsconfirmations")}},
        {s("request_object_signing_alg_values_supported"), QJsonArray{s("PS256"), s("ES256")}},
        {s("id_token_signing_alg_values_supported"), QJsonArray{s("PS256"), s("ES256")}},
        {s("tls_client_certificate_bound_access_tokens"), true},
    };
    return {200, "application/json", json(doc)};
}

SandboxResponse SandboxAspsp::handle(const SandboxRequest& request) {
    const QString& path = request.path;
    if (request.method == "GET" && path == s("/.well-known/openid-configuration"))
        return discovery();
    if (request.method == "GET" && path == s("/jwks/directory.jwks"))
        return {200, "application/json",
                JwkSet::single(m_kit.directoryKey(), m_kit.directoryKid()).toJson()};
    if (request.method == "GET" && path == s("/jwks/software.jwks"))
        return {200, "application/json",
                JwkSet::single(m_kit.tppSigningKey(), m_kit.tppSigningKid()).toJson()};
    if (request.method == "POST" && path == registrationPath())
        return registerClient(request);
    if (m_mode == SandboxMode::Obie && path.startsWith(s("/register/")))
        return clientOperation(request, path.mid(s("/register/").size()));
    return notFound(path);
}

} // namespace dcr
