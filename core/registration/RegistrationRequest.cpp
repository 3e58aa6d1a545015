#include "RegistrationRequest.h"

#include "ClaimSpec.h"

#include "common/JsonInteger.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace dcr {

namespace {

// User-facing text, translated in this file's context.
struct RegistrationRequestTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::RegistrationRequest)
};

} // namespace

Result<RegistrationRequest> RegistrationRequest::fromJwt(const QByteArray& jwt) {
    auto jws = Jws::parse(jwt);
    if (!jws)
        return jws.error();
    return RegistrationRequest(jws->claims());
}

Result<RegistrationRequest> RegistrationRequest::fromJsonBytes(const QByteArray& json) {
    auto object = parseJsonObject(json, RegistrationRequestTr::tr("the claims file"));
    if (!object)
        return object.error();
    return RegistrationRequest(*object);
}

QStringList RegistrationRequest::stringList(const QString& name) const {
    QStringList out;
    const QJsonValue v = m_claims.value(name);
    if (v.isString())
        return {v.toString()};
    for (const auto& item : v.toArray())
        out << item.toString();
    return out;
}

std::optional<qint64> RegistrationRequest::integer(const QString& name) const {
    return jsonInteger(m_claims.value(name));
}

void RegistrationRequest::setString(const QString& name, const QString& value) {
    if (value.isEmpty())
        m_claims.remove(name);
    else
        m_claims.insert(name, value);
}

void RegistrationRequest::setStringList(const QString& name, const QStringList& values) {
    if (values.isEmpty())
        m_claims.remove(name);
    else
        m_claims.insert(name, QJsonArray::fromStringList(values));
}

QString RegistrationRequest::tokenEndpointAuthMethod() const {
    const QString value = string(QStringLiteral("token_endpoint_auth_method"));
    return value.isEmpty() ? QStringLiteral("client_secret_basic") : value;
}

QStringList RegistrationRequest::unknownClaims() const {
    QStringList out;
    for (auto it = m_claims.begin(); it != m_claims.end(); ++it)
        if (!findClaimSpec(it.key()))
            out << it.key();
    return out;
}

Status RegistrationRequest::checkTimeClaims() const {
    constexpr qint64 latest = 253402300799; // 9999-12-31T23:59:59Z
    for (const char* name : {"iat", "exp", "nbf"}) {
        const QJsonValue v = m_claims.value(QLatin1String(name));
        if (!v.isDouble())
            continue;
        const auto seconds = jsonInteger(v);
        if (!seconds || *seconds < 0 || *seconds > latest)
            return Error{
                ErrorKind::InputUnreadable,
                RegistrationRequestTr::tr("the claims file: %1: %2 is out of range: whole seconds "
                                          "since 1970 from 0 to %3 (9999-12-31)")
                    .arg(QLatin1String(name), v.toVariant().toString())
                    .arg(latest)};
    }
    return {};
}

void RegistrationRequest::fillTimesAndJti(const QDateTime& now, int lifetimeSeconds) {
    const qint64 t = now.toSecsSinceEpoch();
    if (!has(QStringLiteral("iat")))
        setInteger(QStringLiteral("iat"), t);
    if (!has(QStringLiteral("exp")))
        setInteger(QStringLiteral("exp"), t + lifetimeSeconds);
    if (!has(QStringLiteral("jti")))
        setString(QStringLiteral("jti"), newUuidV4());
}

Result<QByteArray> RegistrationRequest::sign(const Key& key,
                                             const JwsSigningOptions& options) const {
    return JwsSigner::signClaims(m_claims, key, options);
}

QByteArray RegistrationRequest::toJsonBytes() const {
    return QJsonDocument(m_claims).toJson(QJsonDocument::Indented);
}

QString newUuidV4() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace dcr
