#include "SandboxCdrAnswers.h"

#include "common/JsonInteger.h"
#include "common/Utf8.h"
#include "jose/JwkSet.h"
#include "jose/JwsVerifier.h"
#include "registration/Preflight.h"

#include <QJsonDocument>

namespace dcr {

namespace {

// The mock authorisation server's ErrorCatalogue codes (research_cdr §4): "<code>: <message>".
SandboxRefusal requestInvalid(const QString& why) {
    return {400, s("invalid_client_metadata"),
            s("ERR-DCR-004: Client Registration Request validation failed. (%1)").arg(why)};
}

SandboxRefusal ssaInvalid(const QString& why) {
    return {400, s("invalid_software_statement"),
            s("ERR-DCR-005: SSA validation failed. (%1)").arg(why)};
}

SandboxResponse jsonAnswer(int status, const QJsonObject& body) {
    return {status, "application/json", QJsonDocument(body).toJson(QJsonDocument::Compact)};
}

// The request JWT's own envelope: iss the software product, aud this data holder, a future exp,
// an iat and a jti (the "Registration Request using JWT" table marks all five Required).
std::optional<SandboxRefusal> checkEnvelope(const QJsonObject& claims, const SandboxKit& kit,
                                            const QString& issuer, const QString& softwareId,
                                            const QDateTime& now) {
    const QString iss = claims.value(s("iss")).toString();
    if (iss.compare(softwareId, Qt::CaseInsensitive) != 0)
        return requestInvalid(s("The 'iss' claim value must be set to '%1'.").arg(softwareId));
    const QString aud = claims.value(s("aud")).toString();
    if (aud != kit.aud() && aud != issuer)
        return requestInvalid(s("The 'aud' claim value must be set to '%1'.").arg(issuer));
    for (const char* name : {"iat", "exp", "jti"})
        if (claims.value(s(name)).isUndefined() ||
            claims.value(s(name)).toVariant().toString().isEmpty())
            return requestInvalid(s("The '%1' claim is missing.").arg(s(name)));
    const auto exp = jsonInteger(claims.value(s("exp")));
    if (!exp || *exp <= now.toSecsSinceEpoch())
        return requestInvalid(s("the request has expired (exp %1)")
                                  .arg(claims.value(s("exp")).toVariant().toString()));
    return std::nullopt;
}

// A preflight error as the mock answers it: redirect URIs with ERR-DCR-003, the SSA's rules with
// ERR-DCR-005, every other claim check invalid_client_metadata with its message.
SandboxRefusal refusalFor(const PreflightFinding& finding, const QJsonObject& claims,
                          const QStringList& ssaRedirects) {
    if (finding.claim == s("redirect_uris")) {
        QString uri;
        for (const auto& v : claims.value(s("redirect_uris")).toArray())
            if (!ssaRedirects.contains(v.toString())) {
                uri = v.toString();
                break;
            }
        return {400, s("invalid_redirect_uri"),
                s("ERR-DCR-003: The redirect_uri '%1' is not valid as it is not included in the "
                  "software_statement (%2)")
                    .arg(uri, finding.message)};
    }
    if (finding.rule.startsWith(s("cdr-ssa")) || finding.rule.startsWith(s("ssa-")))
        return ssaInvalid(finding.message);
    const QString where = finding.claim.isEmpty() ? finding.rule : finding.claim;
    return {400, s("invalid_client_metadata"), s("%1: %2").arg(where, finding.message)};
}

} // namespace

std::optional<SandboxRefusal>
SandboxCdrAnswers::validate(const SandboxKit& kit, const SandboxRequest& request,
                            const QString& issuer, const QDateTime& now, QJsonObject* claimsOut) {
    // "The request MUST use the HTTP POST method, using the application/jwt content type."
    // The mock data holder's [Consumes("application/jwt")] answers anything else 415.
    const QByteArray type = sandboxMediaType(request.headers);
    if (type != "application/jwt")
        return SandboxRefusal{415, s("invalid_request"),
                              s("a CDR registration is a signed JWT: Content-Type must be "
                                "application/jwt, not \"%1\"")
                                  .arg(QString::fromLatin1(type))};
    auto jws = Jws::parse(request.body);
    if (!jws)
        return requestInvalid(s("the body is not a signed JWT: %1").arg(jws.error().message));
    *claimsOut = jws->claims();
    const QString statement = claimsOut->value(s("software_statement")).toString();
    auto ssa = SoftwareStatement::decode(statement.toLatin1());
    if (statement.isEmpty() || !ssa)
        return SandboxRefusal{400, s("invalid_software_statement"),
                              s("ERR-DCR-006: The software_statement is empty or invalid")};
    // "SSAs are signed by the CDR Register using PS256", iss "cdr-register", a 10 minute expiry.
    if (auto verified = JwsVerifier::verifyWithJwks(
            ssa->jws(), JwkSet::single(kit.directoryKey(), kit.directoryKid()),
            {JwsAlgorithm::PS256});
        !verified)
        return ssaInvalid(
            s("not signed by the sandbox CDR Register: %1").arg(verified.error().message));
    if (ssa->iss() != SandboxKit::cdrRegisterIssuer())
        return ssaInvalid(s("iss \"%1\" is not cdr-register").arg(ssa->iss()));
    const auto ssaExp = jsonInteger(ssa->claims().value(s("exp")));
    if (!ssaExp || *ssaExp <= now.toSecsSinceEpoch())
        return ssaInvalid(s("the SSA has expired, or has no exp"));
    if (ssa->softwareId() != kit.softwareId())
        return ssaInvalid(
            s("software_id %1 is not registered with the CDR Register").arg(ssa->softwareId()));
    // "Data Holders are required to verify the request JWT signature against an associated JWK
    // from the jwks_uri extracted from the SSA" (FAPI 1.0 Advanced 8.6: PS256 or ES256).
    if (auto verified = JwsVerifier::verifyWithJwks(
            *jws, JwkSet::single(kit.tppSigningKey(), kit.tppSigningKid()),
            {JwsAlgorithm::PS256, JwsAlgorithm::ES256});
        !verified)
        return requestInvalid(s("the signature does not verify against the SSA's jwks_uri: %1")
                                  .arg(verified.error().message));
    if (auto bad = checkEnvelope(*claimsOut, kit, issuer, ssa->softwareId(), now))
        return bad;

    PreflightInput input;
    input.request = RegistrationRequest(*claimsOut);
    input.requestAlgorithm = jws->algorithm();
    input.ssa = *ssa;
    input.ssaSignature.state = SignatureVerdict::State::Valid;
    input.requestSignature.state = SignatureVerdict::State::Valid;
    PreflightOptions options;
    options.spec = SpecVersion::Cdr;
    options.directoryIssuers = {SandboxKit::cdrRegisterIssuer()};
    const QStringList ssaRedirects = ssa->stringList(s("redirect_uris"));
    for (const auto& finding : Preflight(options, [now] { return now; }).run(input))
        if (finding.severity == Severity::Error)
            return refusalFor(finding, *claimsOut, ssaRedirects);
    return std::nullopt;
}

SandboxRefusal SandboxCdrAnswers::duplicate(const QString& softwareId) {
    return {400, s("invalid_client_metadata"),
            s("ERR-DCR-001: Duplicate registrations for a given software_id are not valid. "
              "(software_id %1 has an active registration; delete it first)")
                .arg(softwareId)};
}

std::optional<SandboxResponse> SandboxCdrAnswers::refuseManagement(const SandboxTokens& tokens,
                                                                   const SandboxRequest& request,
                                                                   const QString& clientId,
                                                                   bool clientExists,
                                                                   const QDateTime& now, bool lax) {
    // cds_dcr 401: "Request failed due to unknown or invalid Client or invalid access token",
    // with a WWW-Authenticate header as per RFC 6750.
    auto unauthorised = [](const QString& why) {
        SandboxResponse r =
            jsonAnswer(401, {{s("error"), s("invalid_token")}, {s("error_description"), why}});
        r.wwwAuthenticate = "Bearer error=\"invalid_token\"";
        return r;
    };
    const QByteArray auth = sandboxHeader(request.headers, "authorization");
    if (!auth.startsWith("Bearer "))
        return unauthorised(s("no bearer token: registration management needs a "
                              "client_credentials access token with scope cdr:registration"));
    if (lax)
        return std::nullopt; // a careless data holder: any bearer will do
    const auto grant = tokens.grantFor(auth.mid(7).trimmed(), now);
    if (!grant)
        return unauthorised(s("the access token is unknown, revoked or expired"));
    // cds_dcr 401 "unknown or invalid Client": a client this data holder does not hold (the mock
    // data holder: 401 "The client is unknown"), whoever's token it is.
    if (!clientExists) {
        SandboxResponse r = jsonAnswer(401, {{s("error"), s("invalid_request")},
                                             {s("error_description"), s("The client is unknown")}});
        r.wwwAuthenticate = "Bearer error=\"invalid_request\", error_description=\"The client is "
                            "unknown\"";
        return r;
    }
    // cds_dcr 403: "The client does not have permission to read, update or delete the Client".
    if (grant->clientId != clientId)
        return jsonAnswer(
            403, {{s("error"), s("access_denied")},
                  {s("error_description"),
                   s("the access token was issued to another client, not %1").arg(clientId)}});
    // "Data Holders MUST validate that the scope of access tokens provided includes
    // cdr:registration."
    if (!grant->scopes.contains(s("cdr:registration")))
        return jsonAnswer(403, {{s("error"), s("insufficient_scope")},
                                {s("error_description"),
                                 s("the access token's scope \"%1\" lacks cdr:registration")
                                     .arg(grant->scopes.join(u' '))}});
    return std::nullopt;
}

} // namespace dcr
