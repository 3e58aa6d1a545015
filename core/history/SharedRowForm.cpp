#include "SharedRowForm.h"

#include "registration/RegistrationOutcome.h"

#include <QJsonDocument>

namespace dcr::shared_row_form {

namespace {

// A body whose secrets parsing cannot locate: not JSON and not a compact JWS with a JSON payload
// (an answer cut short at the size limit, JSON with bytes after it, a form, a JWE, a JWS with
// '=' padding sent as text/plain), yet a scan finds (or may find) a secret in it, in clear or in
// any base64 / base64url segment, or it claims to be a JWT. The shared database gets a
// placeholder instead of a scan's best effort; this machine keeps the body.
bool unmaskable(const QByteArray& body, const QByteArray& contentType) {
    if (body.isEmpty())
        return false;
    if (!QJsonDocument::fromJson(body).isNull())
        return false; // parsed: maskSecretsInBody masks its fields
    if (const auto jws = decodeCompactJws(body))
        if (!QJsonDocument::fromJson(jws->payload).isNull())
            return false;
    const QByteArray type = contentType.toLower();
    if (type.contains("jwt") || type.contains("jose"))
        return true;
    return bodyHasSecrets(body); // decodes base64 whatever the Content-Type
}

// Stored in the shared row, which everybody reads: the same words whoever wrote it (not tr()).
QByteArray withheldBody(const QString& holder) {
    return QStringLiteral("(body withheld from the shared history: it could not be parsed to mask "
                          "its secrets; kept on %1)")
        .arg(holder)
        .toUtf8();
}

} // namespace

bool carriesSecrets(const SubmissionRecord& r) {
    return bodyHasSecrets(r.requestJwt) || bodyHasSecrets(r.responseBody) ||
           unmaskable(r.requestJwt, r.contentType) ||
           unmaskable(r.responseBody, r.responseContentType());
}

SubmissionRecord of(const SubmissionRecord& full, const QString& holder) {
    SubmissionRecord s = full;
    bool masked = false;
    if (bodyHasSecrets(s.requestJwt)) {
        s.requestJwt = maskSecretsInBody(s.requestJwt, s.contentType);
        s.requestClaims =
            QJsonDocument::fromJson(maskSecretsInJson(QJsonDocument(s.requestClaims).toJson()))
                .object();
        masked = true;
    }
    if (bodyHasSecrets(s.responseBody)) {
        s.responseBody = maskSecretsInBody(s.responseBody, s.responseContentType());
        masked = true;
    }
    if (unmaskable(full.requestJwt, full.contentType)) {
        s.requestJwt = withheldBody(holder);
        s.requestClaims = {};
        masked = true;
    }
    if (unmaskable(full.responseBody, full.responseContentType())) {
        s.responseBody = withheldBody(holder);
        // The classification quotes an unexpected body's text: withheld with it.
        if (!s.errorText.isEmpty())
            s.errorText = QString::fromUtf8(withheldBody(holder));
        masked = true;
    }
    if (masked)
        s.secretsHolder = holder;
    return s;
}

} // namespace dcr::shared_row_form
