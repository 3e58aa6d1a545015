#include "JsonRegistrationBody.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

namespace dcr {

namespace {

// User-facing text, translated in this file's context.
struct JsonRegistrationBodyTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::JsonRegistrationBody)
};

} // namespace

const QStringList& JsonRegistrationBody::jwtOnlyClaims() {
    static const QStringList names = {QStringLiteral("iss"), QStringLiteral("aud"),
                                      QStringLiteral("iat"), QStringLiteral("exp"),
                                      QStringLiteral("jti")};
    return names;
}

bool JsonRegistrationBody::isJwtOnlyClaim(const QString& name) {
    return jwtOnlyClaims().contains(name);
}

QJsonObject JsonRegistrationBody::metadata(const QJsonObject& claims) {
    QJsonObject out = claims;
    for (const QString& name : jwtOnlyClaims())
        out.remove(name);
    return out;
}

QByteArray JsonRegistrationBody::encode(const QJsonObject& claims) {
    return QJsonDocument(metadata(claims)).toJson(QJsonDocument::Compact);
}

Result<QJsonObject> JsonRegistrationBody::decode(const QByteArray& body) {
    if (body.trimmed().isEmpty())
        return Error{ErrorKind::InputEmpty,
                     JsonRegistrationBodyTr::tr(
                         "the JSON registration body is empty (RFC 7591 §3.1 sends the "
                         "client metadata as a JSON object)")};
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{ErrorKind::InputUnreadable,
                     JsonRegistrationBodyTr::tr(
                         "the JSON registration body is not valid JSON: %1 at offset %2")
                         .arg(error.errorString())
                         .arg(error.offset)};
    if (!doc.isObject())
        return Error{
            ErrorKind::InputUnreadable,
            JsonRegistrationBodyTr::tr("the JSON registration body is not a JSON object (RFC 7591 "
                                       "§3.1: the client metadata as top-level members)")};
    return doc.object();
}

} // namespace dcr
