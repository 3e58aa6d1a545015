#include "SandboxAspsp.h"

#include "SandboxCdrAnswers.h"
#include "SandboxDiscovery.h"
#include "SandboxOfbAnswers.h"

#include "common/JsonInteger.h"
#include "common/Utf8.h"
#include "jose/JwkSet.h"
#include "jose/JwsVerifier.h"
#include "registration/ClaimSpec.h"
#include "registration/Preflight.h"
#include "registration/SeedAnswers.h"
#include "registration/SoftwareStatement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace dcr {

namespace {

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray header(const HeaderList& headers, const QByteArray& name) {
    return sandboxHeader(headers, name);
}

// n random bytes, base64url without padding: 4 characters for every 3 bytes.
QString randomBase64Url(int bytes) {
    QByteArray raw(bytes, '\0');
    for (char& b : raw)
        b = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString randomToken() {
    return randomBase64Url(32);
}

// OBIE DCR 3.3 swagger (OBRegistrationProperties1, the body of every registration answer):
// client_secret "minLength: 1, maxLength: 36". 27 random bytes are 36 base64url characters
// (216 bits); the 32 bytes of randomToken() would be 43.
QString newClientSecret() {
    return randomBase64Url(27);
}

// application/x-www-form-urlencoded: '+' is a space, then percent-decoding.
QHash<QString, QString> parseForm(const QByteArray& body) {
    QHash<QString, QString> out;
    for (const QByteArray& pair : body.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq <= 0)
            continue;
        auto decode = [](QByteArray v) {
            return QString::fromUtf8(QByteArray::fromPercentEncoding(v.replace('+', ' ')));
        };
        out.insert(decode(pair.left(eq)), decode(pair.mid(eq + 1)));
    }
    return out;
}

// Until when a JWT's jti is held: its exp. A JWT without a usable exp is refused before this in
// every mode but --lax, which accepts replays anyway; such a jti is held for an hour.
qint64 jtiExpiry(const QJsonValue& exp, const QDateTime& now) {
    return jsonInteger(exp).value_or(now.toSecsSinceEpoch() + 3600);
}

// What the ASPSP says when it holds SandboxTokens::MaxJtis unexpired jtis: it cannot tell a
// replay from a fresh JWT any more, so it refuses rather than forgets.
QString jtiCapText() {
    return s("this sandbox holds %1 unexpired jti values, its limit for replay detection; send "
             "JWTs with a shorter exp, or try again once older ones have expired")
        .arg(SandboxTokens::MaxJtis);
}

SandboxResponse oauthError(int status, const QString& error, const QString& description) {
    return {status, "application/json",
            json({{s("error"), error}, {s("error_description"), description}})};
}

} // namespace

SandboxAspsp::SandboxAspsp(SandboxKit kit, SandboxMode mode, Clock clock)
    : m_kit(std::move(kit))
    , m_mode(mode)
    , m_clock(std::move(clock)) {}

QString SandboxAspsp::registrationPath() const {
    return m_mode == SandboxMode::Seed ? seedRegisterPath() : s("/register");
}

bool SandboxAspsp::usesRegistrationAccessToken() const {
    return m_mode == SandboxMode::Ofb ||
           (m_mode == SandboxMode::Obie &&
            m_lifecycleAuth == SandboxLifecycleAuth::RegistrationAccessToken);
}

SandboxResponse SandboxAspsp::reject(const Rejection& r) const {
    if (m_mode != SandboxMode::Seed)
        return {r.status, "application/json",
                json({{s("error"), r.rfcError}, {s("error_description"), r.text}})};
    const ErrorClassInfo* info = findSeedErrorClass(r.seedClass);
    const int status = info ? info->httpStatus : 400;
    const QJsonObject message{
        {s("category"), r.seedClass}, {s("code"), status}, {s("text"), r.text}};
    return {status, "application/json", json({{s("tppMessages"), QJsonArray{message}}})};
}

SandboxResponse SandboxAspsp::notFound(const QString& path) const {
    if (m_mode != SandboxMode::Seed)
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
    std::optional<SandboxRefusal> refusal;
    if (m_mode == SandboxMode::Ofb)
        refusal = SandboxOfbAnswers::validate(m_kit, request, m_clock(), claimsOut);
    else if (m_mode == SandboxMode::Cdr)
        refusal = SandboxCdrAnswers::validate(m_kit, request, issuer(), m_clock(), claimsOut);
    else
        return validateSeedOrObie(request, claimsOut);
    if (!refusal)
        return std::nullopt;
    return Rejection{s("Invalid"), refusal->error, refusal->description, refusal->status};
}

QString SandboxAspsp::issuer() const {
    QUrl u = m_baseUrl;
    u.setPath(s("/"));
    return u.toString();
}

std::optional<SandboxAspsp::Rejection>
SandboxAspsp::validateSeedOrObie(const SandboxRequest& request, QJsonObject* claimsOut) const {
    const QByteArray contentType =
        header(request.headers, "content-type").split(';').first().trimmed().toLower();
    const bool jwtType = contentType == "application/jwt" ||
                         (m_mode == SandboxMode::Obie && contentType == "application/jose");
    // An RFC 7591 JSON body is a different registration style, not a garbled request: say so.
    // Neither contract this sandbox follows takes one: the seed's Content-Type is
    // application/jwt and OBIE DCR 3.3's request body is the signed OBClientRegistration1 JWT.
    if (contentType == "application/json")
        return Rejection{
            s("RequestFormatInvalid"), s("invalid_request"),
            s("this %1 registration endpoint takes a signed JWT body (Content-Type "
              "application/jwt%2), not RFC 7591 JSON metadata (application/json); send the "
              "request with body format jwt (dcrctl --body jwt)")
                .arg(m_mode == SandboxMode::Obie ? s("OBIE DCR 3.3") : s("seed"),
                     m_mode == SandboxMode::Obie ? s(" or application/jose") : QString())};
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

    // OBIE mode follows what the UK conformance tool asserts (DCR-004: a registration with
    // token_endpoint_auth_signing_alg RS256 gets 400): FAPI 1.0 Advanced 8.6 allows only PS256
    // and ES256, so the algorithm claims are held to that here, not only warned about.
    if (m_mode == SandboxMode::Obie)
        for (const char* name : {"token_endpoint_auth_signing_alg", "id_token_signed_response_alg",
                                 "request_object_signing_alg"}) {
            const QJsonValue alg = claims.claims().value(s(name));
            if (alg.isString() && alg.toString() != s("PS256") && alg.toString() != s("ES256"))
                return Rejection{s("Invalid"), s("invalid_client_metadata"),
                                 s("%1: %2 is not allowed (FAPI 1.0 Advanced 8.6: PS256 or ES256)")
                                     .arg(s(name), alg.toString())};
        }

    PreflightInput input;
    input.request = claims;
    input.requestAlgorithm = jws->algorithm();
    input.ssa = *ssa;
    input.ssaSignature.state = SignatureVerdict::State::Valid;
    input.requestSignature.state = SignatureVerdict::State::Valid;
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
    for (auto it = client.issued.begin(); it != client.issued.end(); ++it)
        out.insert(it.key(), it.value());
    out.insert(s("client_id"), clientId);
    // The CDR manages clients with access tokens and issues no registration_access_token.
    if (m_mode != SandboxMode::Cdr)
        out.insert(s("registration_access_token"), client.accessToken);
    QUrl uri = m_baseUrl;
    uri.setPath(s("/register/") + clientId);
    out.insert(s("registration_client_uri"), uri.toString());
    return out;
}

// The client's metadata as the ASPSP keeps it: the request's claims, and (OBIE DCR 3.3: the
// ASPSP returns the SSA's claims at the top level of the client) the SSA's, without the JWT
// envelopes. Server-issued values are not among them.
static QJsonObject registeredMetadata(const QJsonObject& claims) {
    QJsonObject metadata = claims;
    for (const char* issued :
         {"client_id", "client_secret", "client_secret_expires_at", "client_id_issued_at",
          "registration_access_token", "registration_client_uri"})
        metadata.remove(s(issued));
    if (auto ssa =
            SoftwareStatement::decode(claims.value(s("software_statement")).toString().toLatin1()))
        for (auto it = ssa->claims().begin(); it != ssa->claims().end(); ++it)
            if (!metadata.contains(it.key()) && it.key() != s("iss") && it.key() != s("iat") &&
                it.key() != s("exp") && it.key() != s("jti"))
                metadata.insert(it.key(), it.value());
    return metadata;
}

// What a careless ASPSP reads from any body: a JWT's claims or a JSON object's members.
static QJsonObject laxClaims(const QByteArray& body) {
    if (auto jws = Jws::parse(body))
        return jws->claims();
    return QJsonDocument::fromJson(body).object();
}

static bool usesClientSecret(const QJsonObject& metadata) {
    return RegistrationRequest(metadata).tokenEndpointAuthMethod() == s("client_secret_basic");
}

static void issueClientSecret(QJsonObject& issued) {
    issued.insert(s("client_secret"), newClientSecret());
    issued.insert(s("client_secret_expires_at"), 0);
}

// CDR: "Data Holders MUST NOT allow multiple active registrations for the same software_id."
std::optional<SandboxAspsp::Rejection>
SandboxAspsp::duplicateRegistration(const QJsonObject& claims) const {
    if (m_mode != SandboxMode::Cdr || m_lax)
        return std::nullopt;
    const QString softwareId = registeredMetadata(claims).value(s("software_id")).toString();
    for (const Client& client : m_clients)
        if (client.metadata.value(s("software_id")).toString() == softwareId) {
            const SandboxRefusal r = SandboxCdrAnswers::duplicate(softwareId);
            return Rejection{s("Invalid"), r.error, r.description, r.status};
        }
    return std::nullopt;
}

SandboxResponse SandboxAspsp::registerClient(const SandboxRequest& request) {
    QJsonObject claims;
    if (m_lax) {
        claims = laxClaims(request.body); // whatever arrived, nothing checked
    } else if (auto rejection = validate(request, &claims)) {
        return reject(*rejection);
    }
    ++m_registrations;
    if (m_mode == SandboxMode::Seed)
        return {200, "application/json",
                json({{s("message"),
                       s("Request is processed. We will send the response via email.")}})};
    // A jti names one request: a second request with the same jti is a replay. (An RFC 7591 JSON
    // body, Open Finance Brasil's, has none.)
    if (m_mode != SandboxMode::Ofb) {
        const QString jti = claims.value(s("jti")).toString();
        const auto seen =
            m_tokens.rememberJti(jti, jtiExpiry(claims.value(s("exp")), m_clock()), m_clock());
        if (seen == SandboxTokens::JtiCheck::Replay && !m_lax)
            return reject(
                {s("Invalid"), s("invalid_client_metadata"),
                 s("jti \"%1\" was already used: every request needs a fresh one").arg(jti)});
        if (seen == SandboxTokens::JtiCheck::Full && !m_lax)
            return reject({s("Invalid"), s("temporarily_unavailable"), jtiCapText(), 503});
    }
    if (auto duplicate = duplicateRegistration(claims))
        return reject(*duplicate);
    const QString clientId = newUuidV4();
    Client client{registeredMetadata(claims), {}, randomToken()};
    client.issued.insert(s("client_id_issued_at"),
                         static_cast<double>(m_clock().toSecsSinceEpoch()));
    if (usesClientSecret(client.metadata))
        issueClientSecret(client.issued);
    makeRoomForAClient();
    m_clients.insert(clientId, client);
    m_clientOrder << clientId;
    return {201, "application/json", json(clientJson(clientId, client))};
}

// #26: the sandbox holds at most maxClients() clients; registering one more drops the oldest (and
// its tokens), and every answer about an unknown client says how many were dropped.
void SandboxAspsp::makeRoomForAClient() {
    while (m_clients.size() >= m_maxClients && !m_clientOrder.isEmpty()) {
        const QString oldest = m_clientOrder.takeFirst();
        m_clients.remove(oldest);
        m_tokens.revokeAll(oldest);
        ++m_droppedClients;
    }
}

QString SandboxAspsp::droppedClientsNote() const {
    if (m_droppedClients == 0)
        return {};
    return s(" (this sandbox keeps its newest %1 clients: %2 older ones were dropped)")
        .arg(m_maxClients)
        .arg(m_droppedClients);
}

QUrl SandboxAspsp::tokenEndpoint() const {
    QUrl url = m_baseUrl;
    url.setPath(s("/token"));
    return url;
}

bool SandboxAspsp::authorised(const SandboxRequest& request, const QString& clientId) const {
    const QByteArray auth = header(request.headers, "authorization");
    if (!auth.startsWith("Bearer "))
        return false;
    const QByteArray presented = auth.mid(7).trimmed();
    auto it = m_clients.constFind(clientId);
    if (it == m_clients.constEnd())
        return false;
    // A careless bank checks only that some bearer token came with the request (a test plan's
    // invalid-token step must catch this).
    if (m_lax)
        return true;
    if (usesRegistrationAccessToken())
        return presented == it->accessToken.toLatin1();
    return m_tokens.clientFor(presented, m_clock()) == clientId;
}

SandboxResponse SandboxAspsp::clientOperation(const SandboxRequest& request,
                                              const QString& clientId) {
    auto it = m_clients.find(clientId);
    if (m_mode == SandboxMode::Cdr) {
        if (auto refused = SandboxCdrAnswers::refuseManagement(
                m_tokens, request, clientId, it != m_clients.end(), m_clock(), m_lax))
            return *refused;
        if (it == m_clients.end()) { // --lax: any bearer, but still no such client
            SandboxResponse r = oauthError(401, s("invalid_request"), s("The client is unknown"));
            r.wwwAuthenticate = "Bearer error=\"invalid_request\"";
            return r;
        }
    } else if (!authorised(request, clientId)) {
        // RFC 6750 §3.1: invalid_token, with the challenge in WWW-Authenticate.
        SandboxResponse r = oauthError(
            401, s("invalid_token"),
            (!usesRegistrationAccessToken()
                 ? s("unknown client, or not a valid client_credentials access token for it")
                 : s("unknown client or wrong registration access token")) +
                (it == m_clients.end() ? droppedClientsNote() : QString()));
        r.wwwAuthenticate = "Bearer error=\"invalid_token\"";
        return r;
    }
    if (request.method == "GET")
        return {200, "application/json", json(clientJson(clientId, *it))};
    if (request.method == "DELETE") {
        // A careless bank says it deleted the client and keeps serving it (a plan's
        // read-after-delete step must catch this).
        if (m_lax)
            return {204, "application/json", {}};
        m_clients.erase(it);
        m_clientOrder.removeOne(clientId);
        m_tokens.revokeAll(clientId);
        return {204, "application/json", {}};
    }
    if (request.method == "PUT")
        return updateClient(request, clientId, *it);
    return {405, "application/json", json({{s("error"), s("method_not_allowed")}})};
}

// RFC 7592 §2.2: "The client MUST include its client_id field in the request, and it MUST be the
// same as its currently issued client identifier. If the client includes the client_secret field
// in the request, the value of this field MUST match the currently issued client secret for that
// client. The client MUST NOT be allowed to overwrite its existing client secret with its own
// chosen value." The client_id is demanded in RFC 7592 mode only: OBIE DCR 3.3's PUT body is
// the OBClientRegistration1 JWT, which has none.
std::optional<SandboxAspsp::Rejection>
SandboxAspsp::checkUpdateIdentity(const QJsonObject& claims, const QString& clientId,
                                  const Client& client) const {
    const QJsonValue givenId = claims.value(s("client_id"));
    if (givenId.isUndefined() && usesRegistrationAccessToken())
        return Rejection{s("Invalid"), s("invalid_client_metadata"),
                         s("the update has no client_id: RFC 7592 2.2 \"The client MUST include "
                           "its client_id field in the request\" (\"%1\")")
                             .arg(clientId)};
    if (!givenId.isUndefined() && givenId.toString() != clientId)
        return Rejection{s("Invalid"), s("invalid_client_metadata"),
                         s("the update's client_id \"%1\" is not this client's \"%2\" "
                           "(RFC 7592 2.2)")
                             .arg(givenId.toString(), clientId)};
    const QJsonValue givenSecret = claims.value(s("client_secret"));
    if (!givenSecret.isUndefined() && givenSecret != client.issued.value(s("client_secret")))
        return Rejection{s("Invalid"), s("invalid_client_metadata"),
                         s("the update's client_secret is not the one issued to this client; a "
                           "client may not choose its own (RFC 7592 2.2)")};
    return std::nullopt;
}

// RFC 7592 §2.2: the request's metadata replace the client's; what the server issued stays
// (client_id_issued_at, client_secret and its expiry: none of them rotates here) and is returned
// with the rest. A client that moves to client_secret_basic gets a secret then.
SandboxResponse SandboxAspsp::updateClient(const SandboxRequest& request, const QString& clientId,
                                           Client& client) {
    QJsonObject claims;
    if (m_lax) {
        claims = laxClaims(request.body); // whatever arrived, nothing checked
    } else {
        if (auto rejection = validate(request, &claims))
            return reject(*rejection);
        if (auto rejection = checkUpdateIdentity(claims, clientId, client))
            return reject(*rejection);
    }
    client.metadata = registeredMetadata(claims);
    if (usesClientSecret(client.metadata) && !client.issued.contains(s("client_secret")))
        issueClientSecret(client.issued);
    return {200, "application/json", json(clientJson(clientId, client))};
}

SandboxResponse SandboxAspsp::discovery() const {
    return {
        200, "application/json",
        json(SandboxDiscovery::document(m_kit, m_mode, m_baseUrl, registrationPath(), m_clock()))};
}

bool SandboxAspsp::needsClientCertificate(const QByteArray& method, const QString& path) const {
    if (m_mtlsEverywhere)
        return true;
    const bool publicDocument =
        path == s("/.well-known/openid-configuration") || path.startsWith(s("/jwks/"));
    return !(publicDocument && (method == "GET" || method == "HEAD"));
}

// RFC 8705 §2: mutual TLS authenticates the client; without a certificate the CA issued there is
// nobody to register or serve. 401 with the seed's AccessDenied, or invalid_client (RFC 6749
// §5.2, which oidc-provider answers here too).
SandboxResponse SandboxAspsp::clientCertificateRequired(const SandboxRequest& request) const {
    const QString text =
        request.clientCertificateRefused.isEmpty()
            ? s("%1 needs mutual TLS: present a client certificate issued by the sandbox CA "
                "(none was presented)")
                  .arg(request.path)
            : s("%1 needs mutual TLS: the client certificate was refused (%2); present one "
                "issued by the sandbox CA")
                  .arg(request.path, request.clientCertificateRefused);
    if (m_mode != SandboxMode::Seed)
        return oauthError(401, s("invalid_client"), text);
    const QJsonObject message{
        {s("category"), s("AccessDenied")}, {s("code"), 401}, {s("text"), text}};
    return {401, "application/json", json({{s("tppMessages"), QJsonArray{message}}})};
}

SandboxResponse SandboxAspsp::handle(const SandboxRequest& request) {
    const QString& path = request.path;
    if (!m_lax && request.clientCertificate.isNull() &&
        needsClientCertificate(request.method, path))
        return clientCertificateRequired(request);
    if (request.method == "GET" && path == s("/.well-known/openid-configuration"))
        return discovery();
    if (request.method == "GET" && path == s("/jwks/directory.jwks"))
        return {200, "application/json",
                JwkSet::single(m_kit.directoryKey(), m_kit.directoryKid()).toJson()};
    // Discovery must name a jwks_uri (OpenID Connect Discovery 1.0 §3: "jwks_uri REQUIRED"), and
    // it must resolve. The sandbox signs nothing of its own (no ID tokens, no signed answers), so
    // its set has no keys.
    if (request.method == "GET" && path == s("/jwks/aspsp.jwks"))
        return {200, "application/json", QByteArrayLiteral("{\"keys\":[]}")};
    if (request.method == "GET" && path == s("/jwks/software.jwks"))
        return {200, "application/json",
                JwkSet::single(m_kit.tppSigningKey(), m_kit.tppSigningKid()).toJson()};
    if (request.method == "POST" && path == registrationPath())
        return registerClient(request);
    if (m_mode != SandboxMode::Seed && request.method == "POST" && path == s("/token"))
        return token(request);
    if (m_mode != SandboxMode::Seed && path.startsWith(s("/register/")))
        return clientOperation(request, path.mid(s("/register/").size()));
    return notFound(path);
}

// RFC 6749 §4.4 client_credentials, with the client authenticated as it registered:
// private_key_jwt (RFC 7523 §3, verified against the software's key), tls_client_auth (RFC 8705,
// the transport certificate's subject) or client_secret_basic.
SandboxResponse SandboxAspsp::token(const SandboxRequest& request) {
    const QHash<QString, QString> form = parseForm(request.body);
    if (form.value(s("grant_type")) != s("client_credentials"))
        return oauthError(400, s("unsupported_grant_type"),
                          s("only client_credentials is served here, not \"%1\"")
                              .arg(form.value(s("grant_type"))));
    QString why;
    const auto clientId = authenticateClient(request, form, &why);
    if (!clientId)
        return oauthError(401, s("invalid_client"), why);
    const QStringList registered = m_clients.value(*clientId)
                                       .metadata.value(s("scope"))
                                       .toString()
                                       .split(u' ', Qt::SkipEmptyParts);
    const QStringList asked = form.value(s("scope")).split(u' ', Qt::SkipEmptyParts);
    for (const QString& scope : asked)
        if (!registered.contains(scope))
            return oauthError(400, s("invalid_scope"),
                              s("scope \"%1\" was not registered for this client (it has \"%2\")")
                                  .arg(scope, registered.join(u' ')));
    const QStringList granted = asked.isEmpty() ? registered : asked;
    const QString token = m_tokens.issue(*clientId, m_clock(), 600, granted);
    return {200, "application/json",
            json({{s("access_token"), token},
                  {s("token_type"), s("Bearer")},
                  {s("expires_in"), 600},
                  {s("scope"), granted.join(u' ')}})};
}

std::optional<QString> SandboxAspsp::authenticateClient(const SandboxRequest& request,
                                                        const QHash<QString, QString>& form,
                                                        QString* why) {
    auto registeredWith = [this](const QString& id) {
        return RegistrationRequest(m_clients.value(id).metadata).tokenEndpointAuthMethod();
    };
    if (form.contains(s("client_assertion"))) {
        if (form.value(s("client_assertion_type")) !=
            s("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")) {
            *why = s("client_assertion_type must be ...:jwt-bearer");
            return std::nullopt;
        }
        auto jws = Jws::parse(form.value(s("client_assertion")).toLatin1());
        if (!jws) {
            *why = s("client_assertion is not a JWT: %1").arg(jws.error().message);
            return std::nullopt;
        }
        const QJsonObject c = jws->claims();
        const QString id = c.value(s("iss")).toString();
        if (!m_clients.contains(id) || c.value(s("sub")).toString() != id) {
            *why = s("client_assertion: iss and sub must both be a registered client_id") +
                   (m_clients.contains(id) ? QString() : droppedClientsNote());
            return std::nullopt;
        }
        if (registeredWith(id) != s("private_key_jwt")) {
            *why = s("client %1 registered %2, not private_key_jwt").arg(id, registeredWith(id));
            return std::nullopt;
        }
        if (!JwsVerifier::verifyWithJwks(
                *jws, JwkSet::single(m_kit.tppSigningKey(), m_kit.tppSigningKid()),
                {JwsAlgorithm::PS256, JwsAlgorithm::ES256})) {
            *why = s("client_assertion signature does not verify with the software's key");
            return std::nullopt;
        }
        const QString aud = c.value(s("aud")).toString();
        if (aud != tokenEndpoint().toString() && aud != baseUrl().toString()) {
            *why = s("client_assertion aud \"%1\" is not the token endpoint %2")
                       .arg(aud, tokenEndpoint().toString());
            return std::nullopt;
        }
        const qint64 now = m_clock().toSecsSinceEpoch();
        if (!c.value(s("exp")).isDouble() || c.value(s("exp")).toDouble() <= now) {
            *why = s("client_assertion has no exp, or it has passed");
            return std::nullopt;
        }
        const auto seen = m_tokens.rememberJti(c.value(s("jti")).toString(),
                                               jtiExpiry(c.value(s("exp")), m_clock()), m_clock());
        if (seen != SandboxTokens::JtiCheck::Fresh) {
            *why = seen == SandboxTokens::JtiCheck::Replay
                       ? s("client_assertion jti was already used (a replay)")
                       : jtiCapText();
            return std::nullopt;
        }
        return id;
    }
    const QByteArray basic = header(request.headers, "authorization");
    if (basic.startsWith("Basic ")) {
        const QByteArray decoded = QByteArray::fromBase64(basic.mid(6).trimmed());
        const QString id =
            QString::fromUtf8(QByteArray::fromPercentEncoding(decoded.left(decoded.indexOf(':'))));
        const QString secret = QString::fromUtf8(
            QByteArray::fromPercentEncoding(decoded.mid(decoded.indexOf(':') + 1)));
        if (!m_clients.contains(id) ||
            m_clients.value(id).issued.value(s("client_secret")).toString() != secret ||
            secret.isEmpty()) {
            *why = s("client_secret_basic: unknown client or wrong secret") +
                   (m_clients.contains(id) ? QString() : droppedClientsNote());
            return std::nullopt;
        }
        return id;
    }
    const QString id = form.value(s("client_id"));
    if (!m_clients.contains(id)) {
        *why = s("no client authentication, or client_id \"%1\" is unknown").arg(id) +
               droppedClientsNote();
        return std::nullopt;
    }
    if (registeredWith(id) != s("tls_client_auth")) {
        *why = s("client %1 registered %2; give its credentials").arg(id, registeredWith(id));
        return std::nullopt;
    }
    const QString dn =
        m_clients.value(id).metadata.value(s("tls_client_auth_subject_dn")).toString();
    if (request.clientCertificate.isNull() ||
        (dn != request.clientCertificate.subjectDn(DnStyle::Rfc4514Oid) &&
         dn != request.clientCertificate.subjectDn(DnStyle::Rfc4514Names))) {
        *why = s("tls_client_auth: the transport certificate is not the registered subject \"%1\"")
                   .arg(dn);
        return std::nullopt;
    }
    return id;
}

} // namespace dcr
