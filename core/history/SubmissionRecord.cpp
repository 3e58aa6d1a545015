#include "SubmissionRecord.h"

#include <QJsonArray>

namespace dcr {

namespace {

QString shellQuote(const QString& s) {
    QString out = s;
    out.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + out + u'\'';
}

} // namespace

QByteArray SubmissionRecord::displayedResponseBody(bool revealSecrets) const {
    return revealSecrets ? responseBody : maskSecretsInJson(responseBody);
}

QJsonObject SubmissionRecord::toJson(bool revealSecrets) const {
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
                               {QStringLiteral("jwt"), QString::fromLatin1(requestJwt)},
                               {QStringLiteral("claims"), requestClaims}}},
                  {QStringLiteral("software_id"), softwareId},
                  {QStringLiteral("client_name"), clientName},
                  {QStringLiteral("elapsed_ms"), elapsedMs},
                  {QStringLiteral("note"), note},
                  {QStringLiteral("tags"), QJsonArray::fromStringList(tags)}};
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
        o.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("class"), errorClass},
                                                      {QStringLiteral("code"), errorCode},
                                                      {QStringLiteral("text"), errorText}});
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
    if (!requestJwt.isEmpty())
        parts << QStringLiteral("--data-binary ") + shellQuote(QString::fromLatin1(requestJwt));
    parts << shellQuote(url);
    return parts.join(QStringLiteral(" \\\n  "));
}

} // namespace dcr
