#include "SubmissionPlan.h"

#include "jose/Jws.h"
#include "registration/SoftwareStatement.h"

namespace dcr {

namespace {

const HeaderList kAcceptJson{{"Accept", "application/json"}};

// The claims of a JWT as signed: what the history shows must be what the bank received.
Result<QJsonObject> claimsOf(const QByteArray& jwt) {
    auto jws = Jws::parse(jwt);
    if (!jws)
        return jws.error();
    return jws->claims();
}

} // namespace

SubmissionStart SubmissionPlan::historyStart() const {
    SubmissionStart s;
    s.profile = profile;
    s.method = method;
    s.url = url.toString();
    s.contentType = contentType;
    s.requestJwt = requestJwt;
    s.requestClaims = claims;
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

Result<SubmissionPlan> planRegistration(const RegistrationRequest& draft,
                                        const SigningSetup& signing, const ClaimsPolicy& policy,
                                        const Target& target, const QDateTime& now) {
    if (signing.key.isNull())
        return Error{ErrorKind::SessionNoSigningKey,
                     QStringLiteral("no signing key: load one or set it in the profile")};
    const RegistrationRequest claims = finaliseClaims(draft, policy, target.aud, now);
    auto jwt = claims.sign(signing.key, {signing.alg, signing.kid, {}});
    if (!jwt)
        return jwt.error();
    return planSignedRegistration(*jwt, target);
}

Result<SubmissionPlan> planSignedRegistration(const QByteArray& jwt, const Target& target) {
    auto claims = claimsOf(jwt);
    if (!claims)
        return claims.error();
    SubmissionPlan plan;
    plan.profile = target.profileName;
    plan.method = "POST";
    plan.url = target.endpoint;
    plan.contentType = target.contentType;
    plan.headers = HeaderList{{"Content-Type", target.contentType}} + kAcceptJson;
    plan.body = jwt;
    plan.requestJwt = jwt;
    plan.claims = *claims;
    plan.transport = target.transport;
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

Result<SubmissionPlan> planClientOperation(ClientOperation operation, const QString& clientId,
                                           const QByteArray& accessToken,
                                           const QByteArray& signedRequest, const Target& target) {
    if (clientId.isEmpty())
        return Error{ErrorKind::InputUnreadable, QStringLiteral("no client_id given")};
    SubmissionPlan plan;
    plan.profile = target.profileName;
    plan.url = clientConfigurationUrl(target.endpoint, clientId);
    plan.transport = target.transport;
    plan.headers = kAcceptJson;
    if (!accessToken.isEmpty())
        plan.headers.append({"Authorization", "Bearer " + accessToken});
    switch (operation) {
    case ClientOperation::Read:
        plan.method = "GET";
        break;
    case ClientOperation::Delete:
        plan.method = "DELETE";
        break;
    case ClientOperation::Update: {
        plan.method = "PUT";
        auto claims = claimsOf(signedRequest);
        if (!claims)
            return Error{claims.error().kind,
                         QStringLiteral("the update needs a signed request: %1")
                             .arg(claims.error().message)};
        plan.contentType = target.contentType;
        plan.headers.prepend({"Content-Type", target.contentType});
        plan.body = signedRequest;
        plan.requestJwt = signedRequest;
        plan.claims = *claims;
        break;
    }
    }
    return plan;
}

} // namespace dcr
