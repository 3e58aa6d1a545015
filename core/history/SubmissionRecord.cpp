#include "SubmissionRecord.h"

#include "registration/SecretScanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace dcr {

namespace {

QString shellQuote(const QString& s) {
    QString out = s;
    out.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + out + u'\'';
}

} // namespace

SubmissionRecord SubmissionRecord::begun(const SubmissionStart& s, const WriterIdentity& writer,
                                         const QDateTime& now) {
    SubmissionRecord r;
    r.created = now;
    r.state = QStringLiteral("sending");
    r.outcome = QStringLiteral("sending");
    r.profile = s.profile;
    r.method = s.method;
    r.url = s.url;
    r.contentType = s.contentType;
    r.requestJwt = s.requestJwt;
    r.requestClaims = s.requestClaims;
    r.softwareId = s.softwareId;
    r.clientName = s.clientName;
    r.clientId = s.clientId;
    r.tlsVerificationOff = s.tlsVerificationOff;
    r.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    r.writerUser = writer.user;
    r.writerHost = writer.host;
    r.writerPid = writer.pid;
    r.writerProcess = writer.processKey;
    return r;
}

void SubmissionRecord::recordAnswer(const HttpExchange& e, const RegistrationOutcome* outcome,
                                    const QDateTime& now) {
    completed = now;
    state = QStringLiteral("completed");
    this->outcome =
        !e.failure && outcome ? outcomeKindName(outcome->kind) : QStringLiteral("transport");
    responseStatus = e.status;
    responseHeaders = e.responseHeaders;
    responseBody = e.responseBody;
    truncated = e.truncated;
    errorClass = outcome ? outcome->errorClass : QString();
    errorCode = outcome ? outcome->code : QString();
    errorText = outcome ? outcome->text : QString();
    failureClass = e.failure ? failureClassName(e.failure->kind) : QString();
    failureMessage = e.failure ? e.failure->message : QString();
    elapsedMs = e.elapsedMs;
    // Set when the row was begun (from the profile); the exchange can only confirm it.
    tlsVerificationOff = tlsVerificationOff || e.insecure;
    tlsSummary =
        e.tlsProtocol.isEmpty()
            ? QString()
            : QStringLiteral("%1 %2%3").arg(
                  e.tlsProtocol, e.tlsCipher,
                  e.insecure ? QStringLiteral(" (INSECURE: verification off)") : QString());
    if (!e.tlsWarning.isEmpty()) // #21.17: a weak suite is recorded with the exchange
        tlsSummary += QStringLiteral("; WARNING: ") + e.tlsWarning;
    // a read or delete names its client in the URL, not in the answer
    if (outcome && !outcome->clientId().isEmpty())
        clientId = outcome->clientId();
}

QByteArray SubmissionRecord::responseContentType() const {
    for (const auto& [k, v] : responseHeaders)
        if (k.compare("content-type", Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

QByteArray SubmissionRecord::displayedResponseBody(bool revealSecrets) const {
    return revealSecrets ? responseBody : maskSecretsInBody(responseBody, responseContentType());
}

QString SubmissionRecord::displayedErrorText(bool revealSecrets) const {
    return revealSecrets ? errorText : SecretScanner::maskText(errorText);
}

QJsonObject SubmissionRecord::toJson(bool revealSecrets) const {
    // The request is exported as sent unless it carries a secret (an RFC 7592 update may repeat
    // client_secret).
    const bool maskRequest = !revealSecrets && bodyHasSecrets(requestJwt);
    const QByteArray jwt = maskRequest ? maskSecretsInBody(requestJwt, contentType) : requestJwt;
    const QJsonObject claims =
        maskRequest
            ? QJsonDocument::fromJson(maskSecretsInJson(QJsonDocument(requestClaims).toJson()))
                  .object()
            : requestClaims;
    QJsonArray headers;
    for (const auto& [k, v] : responseHeaders)
        headers.append(QJsonArray{QString::fromLatin1(k), QString::fromLatin1(v)});
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("created"), created.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("state"), state},
                  {QStringLiteral("profile"), profile},
                  {QStringLiteral("outcome"), outcome},
                  {QStringLiteral("request"),
                   QJsonObject{{QStringLiteral("method"), QString::fromLatin1(method)},
                               {QStringLiteral("url"), url},
                               {QStringLiteral("content_type"), QString::fromLatin1(contentType)},
                               {QStringLiteral("jwt"), QString::fromUtf8(jwt)},
                               {QStringLiteral("claims"), claims}}},
                  {QStringLiteral("software_id"), softwareId},
                  {QStringLiteral("client_name"), clientName},
                  {QStringLiteral("elapsed_ms"), elapsedMs},
                  {QStringLiteral("note"), note},
                  {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                  // On every row, true or false: an export must say whether the ASPSP's
                  // certificate was checked, not leave it to a TLS summary that may be empty.
                  {QStringLiteral("tls_verification_off"), tlsVerificationOff}};
    if (completed.isValid())
        o.insert(QStringLiteral("completed"), completed.toString(Qt::ISODateWithMs));
    if (responseStatus != 0)
        o.insert(QStringLiteral("response"),
                 QJsonObject{{QStringLiteral("status"), responseStatus},
                             {QStringLiteral("headers"), headers},
                             {QStringLiteral("body"),
                              QString::fromUtf8(displayedResponseBody(revealSecrets))},
                             {QStringLiteral("truncated"), truncated}});
    if (!errorClass.isEmpty() || !errorText.isEmpty())
        o.insert(QStringLiteral("error"),
                 QJsonObject{{QStringLiteral("class"), errorClass},
                             {QStringLiteral("code"), errorCode},
                             {QStringLiteral("text"), displayedErrorText(revealSecrets)}});
    if (!failureClass.isEmpty())
        o.insert(QStringLiteral("failure"),
                 QJsonObject{{QStringLiteral("class"), failureClass},
                             {QStringLiteral("message"), failureMessage}});
    if (!tlsSummary.isEmpty())
        o.insert(QStringLiteral("tls"), tlsSummary);
    if (!clientId.isEmpty())
        o.insert(QStringLiteral("client_id"), clientId);
    if (secretsForgotten)
        o.insert(QStringLiteral("secrets_forgotten"), true);
    if (!writerUser.isEmpty())
        o.insert(QStringLiteral("writer"), writer());
    if (secretsElsewhere)
        o.insert(QStringLiteral("secrets_held_by"), secretsHolder);
    if (unshared)
        o.insert(QStringLiteral("not_yet_shared"), true);
    return o;
}

QString SubmissionRecord::toCurl() const {
    QStringList parts{
        QStringLiteral("curl -i"), QStringLiteral("-X ") + QString::fromLatin1(method),
        QStringLiteral("--cert \"${DCR_TRANSPORT_CERT:?path to the transport certificate}\""),
        QStringLiteral("--key \"${DCR_TRANSPORT_KEY:?path to the transport key}\""),
        QStringLiteral("--cacert \"${DCR_CA_BUNDLE:?path to the ASPSP CA bundle}\"")};
    if (!contentType.isEmpty())
        parts << QStringLiteral("-H ") + shellQuote(QStringLiteral("Content-Type: ") +
                                                    QString::fromLatin1(contentType));
    parts << QStringLiteral("-H 'Accept: application/json'");
    if (bodyHasSecrets(requestJwt))
        // A replay script is copied around: a request that carries a secret (an RFC 7592 update
        // may repeat client_secret) is left for the user to supply.
        parts << QStringLiteral("--data-binary \"${DCR_REQUEST_JWT:?the request carried a secret "
                                "and is not exported; set it to the signed request}\"");
    else if (!requestJwt.isEmpty())
        // A JWT is ASCII and a JSON body UTF-8: written out as UTF-8, the script sends the
        // recorded bytes (Latin-1 would double-encode non-ASCII JSON).
        parts << QStringLiteral("--data-binary ") + shellQuote(QString::fromUtf8(requestJwt));
    parts << shellQuote(url);
    return parts.join(QStringLiteral(" \\\n  "));
}

} // namespace dcr
