#pragma once

#include "jose/Jws.h"
#include "jose/JwsSigner.h"
#include "jose/Key.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace dcr {

// The claims of a DCR registration request. The JSON object is the single source of truth, so
// claims this tool does not know are kept and round-trip untouched.
class RegistrationRequest {
public:
    RegistrationRequest() = default;
    explicit RegistrationRequest(QJsonObject claims)
        : m_claims(std::move(claims)) {}

    static Result<RegistrationRequest> fromJwt(const QByteArray& jwt);
    static Result<RegistrationRequest> fromJsonBytes(const QByteArray& json);

    const QJsonObject& claims() const { return m_claims; }
    QJsonObject& claims() { return m_claims; }

    QString string(const QString& name) const { return m_claims.value(name).toString(); }
    QStringList stringList(const QString& name) const;
    std::optional<qint64> integer(const QString& name) const;
    bool has(const QString& name) const { return m_claims.contains(name); }

    void setString(const QString& name, const QString& value);
    void setStringList(const QString& name, const QStringList& values);
    void setInteger(const QString& name, qint64 value) {
        m_claims.insert(name, static_cast<double>(value));
    }
    void remove(const QString& name) { m_claims.remove(name); }

    QString iss() const { return string(QStringLiteral("iss")); }
    QString aud() const { return string(QStringLiteral("aud")); }
    QString softwareId() const { return string(QStringLiteral("software_id")); }
    QString softwareStatement() const { return string(QStringLiteral("software_statement")); }
    QStringList redirectUris() const { return stringList(QStringLiteral("redirect_uris")); }
    QStringList grantTypes() const { return stringList(QStringLiteral("grant_types")); }
    QStringList scopes() const {
        return string(QStringLiteral("scope")).split(u' ', Qt::SkipEmptyParts);
    }
    // The effective value: the claim, or the seed's default when absent.
    QString tokenEndpointAuthMethod() const;

    // Claims not described by registrationClaimSpecs().
    QStringList unknownClaims() const;

    // The numbers a claims file gives for iat, exp and nbf, before they are signed and sent:
    // whole seconds from 0 to 253402300799 (9999-12-31). 1e300 or 1.5 is an error naming the
    // claim and the range (a deliberately wrong type, a string, is left to preflight).
    Status checkTimeClaims() const;

    // Sets iat to now, exp to now + lifetime and a fresh UUIDv4 jti, each only when absent.
    void fillTimesAndJti(const QDateTime& now, int lifetimeSeconds = 300);

    Result<QByteArray> sign(const Key& key, const JwsSigningOptions& options) const;
    QByteArray toJsonBytes() const;

private:
    QJsonObject m_claims;
};

QString newUuidV4();

} // namespace dcr
