#include "HttpExchange.h"

#include "registration/SecretScanner.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dcr {

namespace {

const QString kMask = QString::fromUtf8(SecretScanner::mask());

// What "forget secrets" stores in place of a body whose secrets could not be located.
const QByteArray kForgottenUnmaskable =
    QByteArrayLiteral("[body removed when its secrets were forgotten: they could not be masked]");

QJsonValue maskValue(const QJsonValue& v, const QJsonValue& replacement = QJsonValue(kMask)) {
    return maskSecretFields(v, replacement);
}

std::optional<QJsonValue> parseJsonContainer(const QByteArray& bytes) {
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &e);
    if (e.error != QJsonParseError::NoError || (!doc.isObject() && !doc.isArray()))
        return std::nullopt;
    return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
}

QByteArray compact(const QJsonValue& v) {
    return v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
}

// The shared body of maskSecretsInBody and forgetSecretsInBody. JSON and a compact JWS are
// parsed and their secret fields hidden; anything else (JSON with text after it, a form, a body
// cut at the size limit, a JWS with '=' padding sent as text/plain) is scanned, and withheld as a
// whole where the scan cannot be sure.
QByteArray hideSecretsInBody(const QByteArray& body, const QByteArray& contentType,
                             const QJsonValue& replacement, const QString& signedNote) {
    const bool forget = replacement.isNull();
    const QByteArray& withheld = forget ? kForgottenUnmaskable : SecretScanner::withheldNotice();
    if (const auto json = parseJsonContainer(body))
        return compact(maskValue(*json, replacement));
    if (const auto jws = decodeCompactJws(body)) {
        QJsonObject shown{{QStringLiteral("jws_header"), maskValue(jws->header, replacement)},
                          {QStringLiteral("note"), signedNote}};
        if (const auto payload = parseJsonContainer(jws->payload))
            shown.insert(QStringLiteral("jws_payload"), maskValue(*payload, replacement));
        else
            // Not JSON: it could hold anything, so it is not shown.
            shown.insert(
                QStringLiteral("jws_payload"),
                QStringLiteral("(%1 bytes, not JSON, not shown)").arg(jws->payload.size()));
        return compact(shown);
    }
    if (isJwtMediaType(contentType) && !body.trimmed().isEmpty())
        // Labelled as a JWT but not one this can take apart (a JWE, a cut JWS): its base64url
        // may still decode to secrets, so it is not shown at all.
        return withheld;
    const auto scanned =
        SecretScanner::scan(body, forget ? SecretScanner::Mode::Forget : SecretScanner::Mode::Mask);
    return scanned.unsure ? withheld : scanned.text;
}

} // namespace

QByteArray maskSecretsInBody(const QByteArray& body, const QByteArray& contentType) {
    return hideSecretsInBody(
        body, contentType, QJsonValue(kMask),
        QStringLiteral("signed response body shown decoded with its secrets masked (its base64url "
                       "would reveal them); reveal secrets to see the JWS as received"));
}

QString maskedBodyForReading(const QByteArray& body, const QByteArray& contentType) {
    QByteArray masked = maskSecretsInBody(body, contentType);
    const QJsonDocument doc = QJsonDocument::fromJson(masked);
    if (!doc.isNull())
        masked = doc.toJson(QJsonDocument::Indented);
    return QString::fromUtf8(masked);
}

QByteArray forgetSecretsInBody(const QByteArray& body, const QByteArray& contentType) {
    return hideSecretsInBody(
        body, contentType, QJsonValue(QJsonValue::Null),
        QStringLiteral("the signed response body was replaced by its decoded payload when its "
                       "secrets were forgotten; its signature can no longer be checked"));
}

bool bodyHasSecrets(const QByteArray& body) {
    if (const auto json = parseJsonContainer(body))
        return holdsSecrets(*json);
    if (const auto jws = decodeCompactJws(body)) {
        if (const auto payload = parseJsonContainer(jws->payload))
            return holdsSecrets(*payload) || holdsSecrets(jws->header);
        return !SecretScanner::scan(jws->payload).clean() || holdsSecrets(jws->header);
    }
    return !SecretScanner::scan(body).clean();
}

namespace {

QJsonArray headersJson(const HeaderList& headers, bool reveal) {
    QJsonArray out;
    for (const auto& [k, v] : headers)
        out.append(QJsonArray{QString::fromLatin1(k),
                              QString::fromLatin1(reveal ? v : maskHeaderValue(k, v))});
    return out;
}

} // namespace

QByteArray maskSecretsInJson(const QByteArray& body) {
    const auto json = parseJsonContainer(body);
    return json ? compact(maskValue(*json)) : maskSecretsInBody(body, {});
}

QByteArray maskHeaderValue(const QByteArray& name, const QByteArray& value) {
    if (name.compare("authorization", Qt::CaseInsensitive) == 0) {
        const qsizetype space = value.indexOf(' ');
        return (space > 0 ? value.left(space + 1) : QByteArray()) + kMask.toUtf8();
    }
    return value;
}

QString failureClassName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::NetworkDns:
        return QStringLiteral("dns");
    case ErrorKind::NetworkConnectionRefused:
        return QStringLiteral("connection-refused");
    case ErrorKind::NetworkTls:
        return QStringLiteral("tls");
    case ErrorKind::NetworkTlsRefused:
        return QStringLiteral("tls-refused");
    case ErrorKind::NetworkTimeout:
        return QStringLiteral("timeout");
    case ErrorKind::NetworkReset:
        return QStringLiteral("reset");
    case ErrorKind::NetworkOversize:
        return QStringLiteral("oversize");
    case ErrorKind::NetworkCancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::NetworkOriginRefused:
        return QStringLiteral("origin-refused");
    default:
        return QStringLiteral("network");
    }
}

QString HttpExchange::responseHeader(const QByteArray& name) const {
    for (const auto& [k, v] : responseHeaders)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return QString::fromLatin1(v);
    return {};
}

QJsonObject HttpExchange::toJson(bool revealSecrets) const {
    // A request body is exported as sent unless it carries a secret (an RFC 7592 update may
    // repeat client_secret), so that the exchange can still be replayed.
    const QByteArray requestType = [this] {
        for (const auto& [k, v] : requestHeaders)
            if (k.compare("content-type", Qt::CaseInsensitive) == 0)
                return v;
        return QByteArray();
    }();
    const bool maskRequest = !revealSecrets && bodyHasSecrets(requestBody);
    QJsonObject request{{QStringLiteral("method"), QString::fromLatin1(method)},
                        {QStringLiteral("url"), url.toString()},
                        {QStringLiteral("headers"), headersJson(requestHeaders, revealSecrets)},
                        {QStringLiteral("body"),
                         QString::fromUtf8(maskRequest ? maskSecretsInBody(requestBody, requestType)
                                                       : requestBody)}};
    QJsonObject out{{QStringLiteral("request"), request},
                    {QStringLiteral("started"), started.toString(Qt::ISODateWithMs)},
                    {QStringLiteral("elapsed_ms"), elapsedMs},
                    {QStringLiteral("insecure"), insecure}};
    if (status != 0) {
        out.insert(
            QStringLiteral("response"),
            QJsonObject{
                {QStringLiteral("status"), status},
                {QStringLiteral("reason"), QString::fromLatin1(reason)},
                {QStringLiteral("headers"), headersJson(responseHeaders, revealSecrets)},
                {QStringLiteral("body"),
                 QString::fromUtf8(
                     revealSecrets ? responseBody
                                   : maskSecretsInBody(responseBody,
                                                       responseHeader("content-type").toLatin1()))},
                {QStringLiteral("truncated"), truncated}});
    }
    if (!tlsProtocol.isEmpty()) {
        QJsonObject tls{{QStringLiteral("protocol"), tlsProtocol},
                        {QStringLiteral("cipher"), tlsCipher},
                        {QStringLiteral("peer_chain"), QJsonArray::fromStringList(peerChain)}};
        if (!tlsWarning.isEmpty())
            tls.insert(QStringLiteral("warning"), tlsWarning);
        out.insert(QStringLiteral("tls"), tls);
    }
    if (failure)
        out.insert(QStringLiteral("failure"),
                   QJsonObject{{QStringLiteral("class"), failureClassName(failure->kind)},
                               {QStringLiteral("kind"), errorKindName(failure->kind)},
                               {QStringLiteral("message"), failure->message}});
    return out;
}

} // namespace dcr
