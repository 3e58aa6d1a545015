#include "TokenRequest.h"

#include "jose/JwsSigner.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct TokenRequestTr {
    Q_DECLARE_TR_FUNCTIONS(TokenRequest)
};

constexpr auto kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

} // namespace

QByteArray formEncode(const QList<QPair<QString, QString>>& fields) {
    QByteArrayList parts;
    for (const auto& [key, value] : fields)
        parts << QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    return parts.join('&');
}

Result<TokenHttpRequest> buildTokenRequest(const TokenRequestSpec& spec, const QDateTime& now) {
    if (!spec.tokenEndpoint.isValid() || spec.tokenEndpoint.host().isEmpty())
        return Error{
            ErrorKind::InputUnreadable,
            TokenRequestTr::tr("no token endpoint: set it in the profile, give --token-url, "
                               "or fetch the ASPSP's discovery document")};
    if (spec.clientId.isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     TokenRequestTr::tr("no client_id to ask a token for")};
    TokenHttpRequest request;
    request.url = spec.tokenEndpoint;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    QList<QPair<QString, QString>> form{
        {QStringLiteral("grant_type"), QStringLiteral("client_credentials")}};
    if (!spec.scopes.isEmpty())
        form.append({QStringLiteral("scope"), spec.scopes.join(u' ')});
    switch (spec.method) {
    case ClientAuthMethod::PrivateKeyJwt: {
        if (!spec.signing || spec.signing->key.isNull())
            return Error{ErrorKind::SessionNoSigningKey,
                         TokenRequestTr::tr("private_key_jwt needs the client's signing key")};
        // RFC 7523 §3: iss and sub are the client_id, aud the token endpoint; a jti makes the
        // assertion single-use and a short exp bounds a leak.
        const qint64 t = now.toSecsSinceEpoch();
        request.assertionClaims =
            QJsonObject{{QStringLiteral("iss"), spec.clientId},
                        {QStringLiteral("sub"), spec.clientId},
                        {QStringLiteral("aud"), spec.tokenEndpoint.toString()},
                        {QStringLiteral("jti"), newUuidV4()},
                        {QStringLiteral("iat"), t},
                        {QStringLiteral("exp"), t + spec.assertionLifetimeSeconds}};
        auto assertion = JwsSigner::signClaims(request.assertionClaims, spec.signing->key,
                                               {spec.signing->alg, spec.signing->kid, {}});
        if (!assertion)
            return assertion.error();
        form.append({QStringLiteral("client_id"), spec.clientId});
        form.append({QStringLiteral("client_assertion_type"), QString::fromLatin1(kJwtBearer)});
        form.append({QStringLiteral("client_assertion"), QString::fromLatin1(*assertion)});
        break;
    }
    case ClientAuthMethod::TlsClientAuth:
        // RFC 8705 §2: the client certificate on the connection is the credential.
        form.append({QStringLiteral("client_id"), spec.clientId});
        break;
    case ClientAuthMethod::ClientSecretBasic: {
        if (spec.clientSecret.isEmpty())
            return Error{ErrorKind::InputUnreadable,
                         TokenRequestTr::tr("client_secret_basic needs the client secret")};
        // RFC 6749 §2.3.1: both are form-urlencoded before they are joined and base64-encoded.
        const QByteArray credentials =
            QUrl::toPercentEncoding(spec.clientId) + ':' +
            QUrl::toPercentEncoding(QString::fromUtf8(spec.clientSecret));
        request.headers.append({"Authorization", "Basic " + credentials.toBase64()});
        break;
    }
    case ClientAuthMethod::ClientSecretPost:
        if (spec.clientSecret.isEmpty())
            return Error{ErrorKind::InputUnreadable,
                         TokenRequestTr::tr("client_secret_post needs the client secret")};
        form.append({QStringLiteral("client_id"), spec.clientId});
        form.append({QStringLiteral("client_secret"), QString::fromUtf8(spec.clientSecret)});
        break;
    }
    request.body = formEncode(form);
    return request;
}

SubmissionStart tokenHistoryStart(const QString& profile, const TokenRequestSpec& spec,
                                  const TokenHttpRequest& request, bool tlsVerificationOff) {
    SubmissionStart s;
    s.profile = profile;
    s.method = "POST";
    s.url = request.url.toString();
    s.contentType = "application/x-www-form-urlencoded";
    s.requestJwt = request.body; // the request column holds the body as sent
    s.requestClaims = request.assertionClaims;
    s.clientId = spec.clientId;
    s.tlsVerificationOff = tlsVerificationOff;
    return s;
}

RegistrationOutcome tokenHistoryOutcome(const TokenResponse& response) {
    RegistrationOutcome o;
    o.httpStatus = response.httpStatus;
    if (response.ok) {
        o.kind = OutcomeKind::Accepted;
        o.format = BodyFormat::OtherJson;
        return o;
    }
    o.kind = response.error.isEmpty() ? OutcomeKind::Unexpected : OutcomeKind::Error;
    o.format = response.error.isEmpty() ? BodyFormat::Text : BodyFormat::Rfc7591Error;
    o.errorClass = response.error;
    o.code = response.error;
    o.text = response.errorDescription;
    o.explanation = response.explanation;
    o.likelyFix = response.likelyFix;
    return o;
}

QString TokenResult::refusalText() const {
    // The history's reason replaces the generic fix ("check the client_id, …"): it is the fix.
    if (refusalReason.isEmpty())
        return response.summaryWithFix();
    return TokenRequestTr::tr("%1; %2.").arg(response.summary(), refusalReason);
}

} // namespace dcr
