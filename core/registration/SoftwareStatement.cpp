#include "SoftwareStatement.h"

#include "common/JsonInteger.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>

namespace dcr {

namespace {

// User-facing text, translated in this file's context.
struct SoftwareStatementTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::SoftwareStatement)
};

} // namespace

Result<SoftwareStatement> SoftwareStatement::decode(const QByteArray& jwt) {
    auto jws = Jws::parse(jwt);
    if (!jws)
        return Error{jws.error().kind,
                     SoftwareStatementTr::tr("software statement: ") + jws.error().message};
    SoftwareStatement ssa = fromClaims(jws->claims());
    ssa.m_jws = *jws;
    ssa.m_hasJws = true;
    return ssa;
}

SoftwareStatement SoftwareStatement::fromClaims(const QJsonObject& claims) {
    SoftwareStatement ssa;
    ssa.m_claims = claims;
    return ssa;
}

std::optional<QDateTime> SoftwareStatement::issuedAt() const {
    const auto seconds = jsonInteger(m_claims.value(QStringLiteral("iat")));
    if (!seconds)
        return std::nullopt;
    return QDateTime::fromSecsSinceEpoch(*seconds, Qt::UTC);
}

QString SoftwareStatement::version() const {
    // Directories have issued it as a string ("2.2") and as a number (2.2).
    const QJsonValue v = m_claims.value(QStringLiteral("software_version"));
    return v.isDouble() ? QString::number(v.toDouble()) : v.toString();
}

QStringList SoftwareStatement::list(const char* name) const {
    QStringList out;
    const QJsonValue v = m_claims.value(QString::fromLatin1(name));
    if (v.isString())
        return v.toString().split(u' ', Qt::SkipEmptyParts);
    for (const auto& item : v.toArray())
        out << item.toString();
    return out;
}

QList<CompetentAuthorityClaim> SoftwareStatement::competentAuthorityClaims() const {
    QList<CompetentAuthorityClaim> out;
    const QJsonValue v = m_claims.value(QStringLiteral("organisation_competent_authority_claims"));
    // Seen both as an array of claims and as a single object.
    const QJsonArray items = v.isObject() ? QJsonArray{v} : v.toArray();
    for (const auto& item : items) {
        const QJsonObject o = item.toObject();
        CompetentAuthorityClaim claim{o.value(QStringLiteral("authority_id")).toString(),
                                      o.value(QStringLiteral("registration_id")).toString(),
                                      o.value(QStringLiteral("status")).toString(),
                                      {}};
        for (const auto& a : o.value(QStringLiteral("authorisations")).toArray()) {
            const QJsonObject ao = a.toObject();
            QStringList roles;
            for (const auto& r : ao.value(QStringLiteral("roles")).toArray())
                roles << r.toString();
            claim.authorisations << CompetentAuthorityAuthorisation{
                ao.value(QStringLiteral("member_state")).toString(), roles};
        }
        out << claim;
    }
    return out;
}

QList<OrgContact> SoftwareStatement::orgContacts() const {
    QList<OrgContact> out;
    for (const auto& item : m_claims.value(QStringLiteral("org_contacts")).toArray()) {
        const QJsonObject o = item.toObject();
        out << OrgContact{o.value(QStringLiteral("name")).toString(),
                          o.value(QStringLiteral("email")).toString(),
                          o.value(QStringLiteral("phone")).toString(),
                          o.value(QStringLiteral("type")).toString()};
    }
    return out;
}

QStringList SoftwareStatement::unknownClaims() const {
    static const QSet<QString> known = {QStringLiteral("iss"),
                                        QStringLiteral("iat"),
                                        QStringLiteral("exp"),
                                        QStringLiteral("jti"),
                                        QStringLiteral("software_id"),
                                        QStringLiteral("software_client_id"),
                                        QStringLiteral("software_client_name"),
                                        QStringLiteral("software_client_description"),
                                        QStringLiteral("software_client_uri"),
                                        QStringLiteral("software_logo_uri"),
                                        QStringLiteral("software_version"),
                                        QStringLiteral("software_environment"),
                                        QStringLiteral("software_mode"),
                                        QStringLiteral("software_redirect_uris"),
                                        QStringLiteral("software_roles"),
                                        QStringLiteral("organisation_competent_authority_claims"),
                                        QStringLiteral("org_id"),
                                        QStringLiteral("org_name"),
                                        QStringLiteral("org_status"),
                                        QStringLiteral("org_contacts"),
                                        QStringLiteral("org_jwks_endpoint"),
                                        QStringLiteral("org_jwks_revoked_endpoint"),
                                        QStringLiteral("software_jwks_endpoint"),
                                        QStringLiteral("software_jwks_revoked_endpoint"),
                                        QStringLiteral("software_policy_uri"),
                                        QStringLiteral("software_tos_uri"),
                                        QStringLiteral("software_on_behalf_of_org"),
                                        QStringLiteral("ob_registry_tos")};
    QStringList out;
    for (auto it = m_claims.begin(); it != m_claims.end(); ++it)
        if (!known.contains(it.key()))
            out << it.key();
    return out;
}

} // namespace dcr
