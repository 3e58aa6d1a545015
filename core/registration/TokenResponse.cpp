#include "TokenResponse.h"

#include "SecretScanner.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace dcr {

namespace {

// User-facing text, translated in this file's context.
struct TokenResponseTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::TokenResponse)
};

struct TokenErrorInfo {
    const char* code;
    const char* explanation;
    const char* likelyFix;
};

// RFC 6749 §5.2, in the words a user needs.
constexpr TokenErrorInfo kTokenErrors[] = {
    {"invalid_request",
     QT_TRANSLATE_NOOP("dcr::TokenResponse",
                       "the token request is malformed: a parameter is missing, repeated or "
                       "not understood"),
     QT_TRANSLATE_NOOP(
         "dcr::TokenResponse",
         "check grant_type=client_credentials and the client authentication parameters")},
    {"invalid_client",
     QT_TRANSLATE_NOOP("dcr::TokenResponse",
                       "client authentication failed: unknown client, wrong method, or a "
                       "credential the server does not accept"),
     QT_TRANSLATE_NOOP(
         "dcr::TokenResponse",
         "check the client_id, that the method is the one registered (token_endpoint_auth_method), "
         "the client assertion's aud/iss/sub/exp/kid, or the transport certificate for "
         "tls_client_auth")},
    {"invalid_grant",
     QT_TRANSLATE_NOOP("dcr::TokenResponse",
                       "the grant is invalid, expired or was issued to another client"),
     QT_TRANSLATE_NOOP("dcr::TokenResponse", "request a new grant")},
    {"unauthorized_client",
     QT_TRANSLATE_NOOP("dcr::TokenResponse",
                       "this client may not use the client_credentials grant"),
     QT_TRANSLATE_NOOP("dcr::TokenResponse",
                       "register the client with grant_types including client_credentials")},
    {"unsupported_grant_type",
     QT_TRANSLATE_NOOP("dcr::TokenResponse", "the server does not support this grant type"),
     QT_TRANSLATE_NOOP("dcr::TokenResponse",
                       "check the ASPSP's discovery document (grant_types_supported)")},
    {"invalid_scope",
     QT_TRANSLATE_NOOP("dcr::TokenResponse",
                       "a requested scope is unknown, malformed or not allowed for this client"),
     QT_TRANSLATE_NOOP(
         "dcr::TokenResponse",
         "request only scopes the client was registered with and the SSA's roles allow")},
};

QString masked(const QByteArray& token) {
    if (token.isEmpty())
        return {};
    return TokenResponseTr::tr("•••• (%1 characters, masked)").arg(token.size());
}

} // namespace

TokenResponse parseTokenResponse(int httpStatus, const HeaderList& headers,
                                 const QByteArray& body) {
    Q_UNUSED(headers)
    TokenResponse r;
    r.httpStatus = httpStatus;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject o = doc.object();
    if (httpStatus == 200) {
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            r.problems << TokenResponseTr::tr(
                "the body is not a JSON object (RFC 6749 §5.1 requires "
                "application/json)");
        } else {
            r.accessToken = o.value(QStringLiteral("access_token")).toString().toUtf8();
            r.tokenType = o.value(QStringLiteral("token_type")).toString();
            r.scope = o.value(QStringLiteral("scope")).toString();
            const QJsonValue expires = o.value(QStringLiteral("expires_in"));
            if (expires.isDouble())
                r.expiresIn = static_cast<qint64>(expires.toDouble());
            if (r.accessToken.isEmpty())
                r.problems << TokenResponseTr::tr("no access_token (RFC 6749 §5.1: REQUIRED)");
            if (r.tokenType.isEmpty())
                r.problems << TokenResponseTr::tr("no token_type (RFC 6749 §5.1: REQUIRED)");
        }
        r.ok = r.problems.isEmpty();
        if (!r.ok) {
            r.explanation =
                TokenResponseTr::tr("the token endpoint answered 200 but not with a usable "
                                    "token: %1")
                    .arg(r.problems.join(QStringLiteral("; ")));
            r.likelyFix =
                TokenResponseTr::tr("check the token endpoint URL (a proxy or login page may "
                                    "have answered)");
        }
        return r;
    }
    r.error = o.value(QStringLiteral("error")).toString();
    // The server's words are printed: a secret quoted in them is masked like one in a body.
    r.errorDescription =
        SecretScanner::maskText(o.value(QStringLiteral("error_description")).toString());
    for (const auto& info : kTokenErrors)
        if (r.error == QLatin1String(info.code)) {
            r.explanation = TokenResponseTr::tr(info.explanation);
            r.likelyFix = TokenResponseTr::tr(info.likelyFix);
        }
    if (r.explanation.isEmpty()) {
        r.explanation =
            r.error.isEmpty()
                ? TokenResponseTr::tr("HTTP %1 without an RFC 6749 error object").arg(httpStatus)
                : TokenResponseTr::tr(
                      "the server answered with error \"%1\", which RFC 6749 §5.2 does "
                      "not define")
                      .arg(r.error);
        r.likelyFix = TokenResponseTr::tr("read the response body and the server's documentation");
    }
    return r;
}

QString TokenResponse::summary() const {
    if (ok)
        return TokenResponseTr::tr("Token issued (HTTP %1, %2%3%4)")
            .arg(httpStatus)
            .arg(tokenType,
                 expiresIn >= 0 ? TokenResponseTr::tr(", expires in %1 s").arg(expiresIn)
                                : QString(),
                 scope.isEmpty() ? QString() : TokenResponseTr::tr(", scope \"%1\"").arg(scope));
    return TokenResponseTr::tr("Token refused (HTTP %1%2): %3")
        .arg(httpStatus)
        .arg(error.isEmpty() ? QString() : QStringLiteral(", ") + error, explanation);
}

QString TokenResponse::summaryWithFix() const {
    const QString head = summary();
    if (ok || likelyFix.isEmpty())
        return head;
    return TokenResponseTr::tr("%1. Likely fix: %2.").arg(head, likelyFix);
}

QJsonObject TokenResponse::toJson(bool revealToken) const {
    QJsonObject o{{QStringLiteral("ok"), ok}, {QStringLiteral("http_status"), httpStatus}};
    if (ok) {
        o.insert(QStringLiteral("access_token"),
                 revealToken ? QString::fromUtf8(accessToken) : masked(accessToken));
        o.insert(QStringLiteral("token_type"), tokenType);
        if (expiresIn >= 0)
            o.insert(QStringLiteral("expires_in"), expiresIn);
        if (!scope.isEmpty())
            o.insert(QStringLiteral("scope"), scope);
    } else {
        o.insert(QStringLiteral("error"), error);
        o.insert(QStringLiteral("error_description"), errorDescription);
        o.insert(QStringLiteral("explanation"), explanation);
        o.insert(QStringLiteral("likely_fix"), likelyFix);
        if (!problems.isEmpty())
            o.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problems));
    }
    return o;
}

} // namespace dcr
