#pragma once

#include "jose/Jws.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace dcr {

struct CompetentAuthorityAuthorisation {
    QString memberState;
    QStringList roles;
};

struct CompetentAuthorityClaim {
    QString authorityId;
    QString registrationId;
    QString status;
    QList<CompetentAuthorityAuthorisation> authorisations;
};

struct OrgContact {
    QString name;
    QString email;
    QString phone;
    QString type;
};

// A decoded Software Statement Assertion. Decoding does not verify the signature; that is a
// separate, explicit step (JwsVerifier), so an unverified SSA can still be read and shown.
class SoftwareStatement {
public:
    static Result<SoftwareStatement> decode(const QByteArray& jwt);
    static SoftwareStatement fromClaims(const QJsonObject& claims);

    const QJsonObject& claims() const { return m_claims; }
    const QJsonObject& header() const { return m_jws.header(); }
    const Jws& jws() const { return m_jws; }
    bool hasJws() const { return m_hasJws; }

    QString iss() const { return str("iss"); }
    std::optional<QDateTime> issuedAt() const;
    QString jti() const { return str("jti"); }
    QString softwareId() const { return str("software_id"); }
    QString softwareClientId() const { return str("software_client_id"); }
    QString clientName() const { return str("software_client_name"); }
    QString clientDescription() const { return str("software_client_description"); }
    QString clientUri() const { return str("software_client_uri"); }
    QString logoUri() const { return str("software_logo_uri"); }
    QString version() const;
    QString environment() const { return str("software_environment"); }
    QString mode() const { return str("software_mode"); }
    QStringList redirectUris() const { return list("software_redirect_uris"); }
    QStringList roles() const { return list("software_roles"); }
    QList<CompetentAuthorityClaim> competentAuthorityClaims() const;
    QString orgId() const { return str("org_id"); }
    QString orgName() const { return str("org_name"); }
    QString orgStatus() const { return str("org_status"); }
    QList<OrgContact> orgContacts() const;
    QString orgJwksEndpoint() const { return str("org_jwks_endpoint"); }
    QString orgJwksRevokedEndpoint() const { return str("org_jwks_revoked_endpoint"); }
    QString softwareJwksEndpoint() const { return str("software_jwks_endpoint"); }
    QString softwareJwksRevokedEndpoint() const { return str("software_jwks_revoked_endpoint"); }
    QString policyUri() const { return str("software_policy_uri"); }
    QString tosUri() const { return str("software_tos_uri"); }
    QString onBehalfOf() const { return str("software_on_behalf_of_org"); }

    QStringList unknownClaims() const;
    // Any claim as a list: an array of strings, or a space-separated string (scope).
    QStringList stringList(const QString& name) const { return list(name.toLatin1().constData()); }
    // A string claim; empty when absent or not a string.
    QString string(const QString& name) const { return m_claims.value(name).toString(); }

private:
    QString str(const char* name) const {
        return m_claims.value(QString::fromLatin1(name)).toString();
    }
    QStringList list(const char* name) const;

    Jws m_jws;
    bool m_hasJws = false;
    QJsonObject m_claims;
};

} // namespace dcr
