#include "HttpExchange.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dcr {

namespace {

const QString kMask = QStringLiteral("••••••(masked)");

QJsonValue maskValue(const QJsonValue& v) {
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            it.value() = isSecretField(it.key()) && !it.value().isNull() ? QJsonValue(kMask)
                                                                         : maskValue(it.value());
        return o;
    }
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        for (auto it = a.begin(); it != a.end(); ++it)
            *it = maskValue(*it);
        return a;
    }
    return v;
}

QJsonArray headersJson(const HeaderList& headers, bool reveal) {
    QJsonArray out;
    for (const auto& [k, v] : headers)
        out.append(QJsonArray{QString::fromLatin1(k),
                              QString::fromLatin1(reveal ? v : maskHeaderValue(k, v))});
    return out;
}

} // namespace

bool isSecretField(const QString& name) {
    return name == QStringLiteral("client_secret") ||
           name == QStringLiteral("registration_access_token") ||
           name == QStringLiteral("access_token") || name == QStringLiteral("refresh_token");
}

QByteArray maskSecretsInJson(const QByteArray& body) {
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
    if (e.error != QJsonParseError::NoError || (!doc.isObject() && !doc.isArray()))
        return body;
    const QJsonValue masked =
        maskValue(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
    return masked.isObject() ? QJsonDocument(masked.toObject()).toJson(QJsonDocument::Compact)
                             : QJsonDocument(masked.toArray()).toJson(QJsonDocument::Compact);
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
    case ErrorKind::NetworkTimeout:
        return QStringLiteral("timeout");
    case ErrorKind::NetworkReset:
        return QStringLiteral("reset");
    case ErrorKind::NetworkOversize:
        return QStringLiteral("oversize");
    case ErrorKind::NetworkCancelled:
        return QStringLiteral("cancelled");
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
    QJsonObject request{{QStringLiteral("method"), QString::fromLatin1(method)},
                        {QStringLiteral("url"), url.toString()},
                        {QStringLiteral("headers"), headersJson(requestHeaders, revealSecrets)},
                        {QStringLiteral("body"), QString::fromUtf8(requestBody)}};
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
                 QString::fromUtf8(revealSecrets ? responseBody : maskSecretsInJson(responseBody))},
                {QStringLiteral("truncated"), truncated}});
    }
    if (!tlsProtocol.isEmpty())
        out.insert(QStringLiteral("tls"), QJsonObject{{QStringLiteral("protocol"), tlsProtocol},
                                                      {QStringLiteral("cipher"), tlsCipher},
                                                      {QStringLiteral("peer_chain"),
                                                       QJsonArray::fromStringList(peerChain)}});
    if (failure)
        out.insert(QStringLiteral("failure"),
                   QJsonObject{{QStringLiteral("class"), failureClassName(failure->kind)},
                               {QStringLiteral("kind"), errorKindName(failure->kind)},
                               {QStringLiteral("message"), failure->message}});
    return out;
}

} // namespace dcr
