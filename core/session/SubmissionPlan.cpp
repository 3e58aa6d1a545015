#include "SubmissionPlan.h"

#include "jose/Jwk.h"
#include "jose/Jws.h"
#include "jose/JwsVerifier.h"
#include "registration/JsonRegistrationBody.h"
#include "registration/SoftwareStatement.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct SubmissionPlanTr {
    Q_DECLARE_TR_FUNCTIONS(SubmissionPlan)
};

const HeaderList kAcceptJson{{"Accept", "application/json"}};

// The claims of a JWT as signed: what the history shows must be what the bank received.
Result<QJsonObject> claimsOf(const QByteArray& jwt) {
    auto jws = Jws::parse(jwt);
    if (!jws)
        return jws.error();
    return jws->claims();
}

// A client_id in an update body that is not the client being updated: RFC 7592 §2.2 "it MUST be
// the same as its currently issued client identifier".
Status sameClientId(const QJsonObject& claims, const QString& clientId) {
    const QJsonValue given = claims.value(QStringLiteral("client_id"));
    if (given.isUndefined() || given.toString() == clientId)
        return {};
    return Error{ErrorKind::InputUnreadable,
                 SubmissionPlanTr::tr("the update body's client_id \"%1\" is not the client being "
                                      "updated (\"%2\"); RFC 7592 §2.2 requires them equal")
                     .arg(given.toString(), clientId)};
}

// RFC 7592 §2.2: "The client MUST include its client_id field in the request, and it MUST be the
// same as its currently issued client identifier." A body without one gets it; one naming
// another client is refused before it leaves.
Result<QByteArray> jsonUpdateBody(const QByteArray& requestBody, const QString& clientId) {
    auto metadata = JsonRegistrationBody::decode(requestBody);
    if (!metadata)
        return Error{metadata.error().kind,
                     SubmissionPlanTr::tr("the update needs JSON metadata: %1")
                         .arg(metadata.error().message)};
    // RFC 7592 §2.2: "The client MUST NOT include the registration_access_token,
    // registration_client_uri, client_secret_expires_at, or client_id_issued_at fields in this
    // request." (They come back in a read's answer, which is easy to paste into an update.)
    for (const char* name : {"registration_access_token", "registration_client_uri",
                             "client_secret_expires_at", "client_id_issued_at"})
        if (metadata->contains(QLatin1String(name)))
            return Error{
                ErrorKind::InputUnreadable,
                SubmissionPlanTr::tr("the update body holds %1, which RFC 7592 §2.2 forbids in "
                                     "an update request; remove it")
                    .arg(QLatin1String(name))};
    if (auto same = sameClientId(*metadata, clientId); !same)
        return same.error();
    if (metadata->contains(QStringLiteral("client_id")))
        return requestBody;
    metadata->insert(QStringLiteral("client_id"), clientId);
    return JsonRegistrationBody::encode(*metadata);
}

} // namespace

Result<QByteArray> updateJwtWithClientId(const QByteArray& jwt, const QString& clientId,
                                         const SignerFor& signerFor) {
    auto update = Jws::parse(jwt);
    if (!update)
        return Error{update.error().kind,
                     SubmissionPlanTr::tr("the update needs a signed request: %1")
                         .arg(update.error().message)};
    if (auto same = sameClientId(update->claims(), clientId); !same)
        return same.error();
    if (update->claims().contains(QStringLiteral("client_id")))
        return jwt;
    auto signing = signerFor(update->algorithm());
    if (!signing)
        return Error{signing.error().kind,
                     SubmissionPlanTr::tr(
                         "the update has no client_id, which RFC 7592 §2.2 requires, and cannot "
                         "be signed again with it: %1")
                         .arg(signing.error().message)};
    if (!JwsVerifier::verifyWithKey(*update, signing->key, {update->algorithm()}))
        return Error{ErrorKind::InputUnreadable,
                     SubmissionPlanTr::tr(
                         "the signed update has no client_id, which RFC 7592 §2.2 requires, and "
                         "the signing key (%1) is not the one that signed it, so it cannot be "
                         "signed again with one: add \"client_id\": \"%2\" to its claims and "
                         "sign it again")
                         .arg(signing->source, clientId)};
    SigningSetup same = *signing;
    same.alg = update->algorithm();
    if (!update->kid().isEmpty())
        same.kid = update->kid();
    RegistrationRequest claims(update->claims());
    claims.setString(QStringLiteral("client_id"), clientId);
    return signClaims(claims, same);
}

SubmissionStart SubmissionPlan::historyStart() const {
    SubmissionStart s;
    s.profile = profile;
    s.method = method;
    s.url = url.toString();
    s.contentType = contentType;
    s.requestJwt = body; // the history's request column holds the body as sent, JWT or JSON
    s.requestClaims = claims;
    s.clientId = clientId;
    s.tlsVerificationOff = transport.insecure; // #21.15: recorded before anything leaves
    const QString ssa = claims.value(QStringLiteral("software_statement")).toString();
    if (auto decoded = SoftwareStatement::decode(ssa.toLatin1())) {
        s.softwareId = decoded->softwareId();
        s.clientName = decoded->clientName();
    } else {
        s.softwareId = claims.value(QStringLiteral("software_id")).toString();
        s.clientName = claims.value(QStringLiteral("client_name")).toString();
    }
    return s;
}

SigningSetup signingSetupFor(const Key& key, std::optional<JwsAlgorithm> alg, const QString& kid,
                             const QString& source) {
    SigningSetup s;
    s.key = key;
    s.alg =
        alg ? *alg : (key.type() == KeyType::EcP256 ? JwsAlgorithm::ES256 : JwsAlgorithm::PS256);
    s.kid = kid.isEmpty() ? jwk::thumbprint(key) : kid;
    s.source = source;
    return s;
}

RegistrationRequest finaliseClaims(const RegistrationRequest& draft, const ClaimsPolicy& policy,
                                   const QString& aud, const QDateTime& now) {
    RegistrationRequest r = draft;
    if (policy.refreshTimes) {
        r.setInteger(QStringLiteral("iat"), now.toSecsSinceEpoch());
        r.setInteger(QStringLiteral("exp"), now.toSecsSinceEpoch() + policy.lifetimeSeconds);
    }
    if (policy.freshJti)
        r.setString(QStringLiteral("jti"), newUuidV4());
    if (!r.has(QStringLiteral("aud")) && !aud.isEmpty())
        r.setString(QStringLiteral("aud"), aud);
    r.fillTimesAndJti(now, policy.lifetimeSeconds); // only what is still missing
    return r;
}

Result<QByteArray> signClaims(const RegistrationRequest& claims, const SigningSetup& signing) {
    if (signing.key.isNull())
        return Error{ErrorKind::SessionNoSigningKey,
                     SubmissionPlanTr::tr("no signing key: load one or set it in the profile")};
    return claims.sign(signing.key, {signing.alg, signing.kid, {}});
}

Result<SubmissionPlan> planRegistration(const RegistrationRequest& draft,
                                        const SigningSetup& signing, const ClaimsPolicy& policy,
                                        const Target& target, const QDateTime& now) {
    auto jwt = signClaims(finaliseClaims(draft, policy, target.aud, now), signing);
    if (!jwt)
        return jwt.error();
    return planSignedRegistration(*jwt, target);
}

// A registration POST of these exact bytes to the target's endpoint.
static SubmissionPlan postPlan(const Target& target, const QByteArray& body,
                               const QJsonObject& claims) {
    SubmissionPlan plan;
    plan.profile = target.profileName;
    plan.method = "POST";
    plan.url = target.endpoint;
    plan.contentType = target.contentType;
    plan.headers = HeaderList{{"Content-Type", target.contentType}} + kAcceptJson;
    plan.body = body;
    plan.claims = claims;
    plan.transport = target.transport;
    return plan;
}

Result<SubmissionPlan> planJsonRegistration(const RegistrationRequest& draft,
                                            const Target& target) {
    if (target.bodyFormat != RequestBodyFormat::Json)
        return Error{
            ErrorKind::InputUnreadable,
            SubmissionPlanTr::tr("the profile sends signed JWT bodies; a JSON body needs a "
                                 "profile (or --body) in json format")};
    const QByteArray body = JsonRegistrationBody::encode(draft.claims());
    auto claims = JsonRegistrationBody::decode(body);
    if (!claims)
        return claims.error();
    SubmissionPlan plan = postPlan(target, body, *claims);
    plan.bodyFormat = RequestBodyFormat::Json;
    return plan;
}

Result<SubmissionPlan> planSignedRegistration(const QByteArray& jwt, const Target& target) {
    if (target.bodyFormat == RequestBodyFormat::Json)
        return Error{ErrorKind::InputUnreadable,
                     SubmissionPlanTr::tr("the profile sends JSON bodies (RFC 7591), not a signed "
                                          "request JWT: give the claims instead, or --body jwt")};
    auto claims = claimsOf(jwt);
    if (!claims)
        return claims.error();
    SubmissionPlan plan = postPlan(target, jwt, *claims);
    plan.requestJwt = jwt;
    return plan;
}

QUrl clientConfigurationUrl(const QUrl& endpoint, const QString& clientId) {
    QUrl url = endpoint;
    QString path = url.path(QUrl::FullyEncoded);
    if (!path.endsWith(u'/'))
        path += u'/';
    // The id is one path segment whatever it contains ("/", "?", spaces are the ASPSP's choice).
    url.setPath(path + QString::fromLatin1(QUrl::toPercentEncoding(clientId)), QUrl::TolerantMode);
    return url;
}

Result<SubmissionPlan> planClientOperation(RegistrationOperation operation, const QString& clientId,
                                           const QUrl& registrationClientUri,
                                           const QByteArray& accessToken,
                                           const QByteArray& requestBody, const Target& target) {
    if (clientId.isEmpty())
        return Error{ErrorKind::InputUnreadable, SubmissionPlanTr::tr("no client_id given")};
    SubmissionPlan plan;
    plan.operation = operation;
    plan.clientId = clientId;
    plan.profile = target.profileName;
    plan.url = registrationClientUri.isValid() && !registrationClientUri.isEmpty()
                   ? registrationClientUri
                   : clientConfigurationUrl(target.endpoint, clientId);
    plan.transport = target.transport;
    plan.headers = kAcceptJson;
    if (!accessToken.isEmpty())
        plan.headers.append({"Authorization", "Bearer " + accessToken});
    switch (operation) {
    case RegistrationOperation::Register:
        return Error{ErrorKind::InputUnreadable,
                     SubmissionPlanTr::tr("a registration is planned with planRegistration")};
    case RegistrationOperation::Discovery:
        return Error{ErrorKind::InputUnreadable,
                     SubmissionPlanTr::tr("a discovery request is planned with planDiscovery")};
    case RegistrationOperation::Read:
        plan.method = "GET";
        break;
    case RegistrationOperation::Delete:
        plan.method = "DELETE";
        break;
    case RegistrationOperation::Update: {
        plan.method = "PUT";
        plan.contentType = target.contentType;
        plan.bodyFormat = target.bodyFormat;
        plan.headers.prepend({"Content-Type", target.contentType});
        if (target.bodyFormat == RequestBodyFormat::Json) {
            auto body = jsonUpdateBody(requestBody, clientId);
            if (!body)
                return body.error();
            plan.body = *body;
            plan.claims = *JsonRegistrationBody::decode(*body);
            break;
        }
        auto claims = claimsOf(requestBody);
        if (!claims)
            return Error{claims.error().kind,
                         SubmissionPlanTr::tr("the update needs a signed request: %1")
                             .arg(claims.error().message)};
        if (auto same = sameClientId(*claims, clientId); !same)
            return same.error();
        plan.body = requestBody;
        plan.requestJwt = requestBody;
        plan.claims = *claims;
        break;
    }
    }
    return plan;
}

} // namespace dcr
