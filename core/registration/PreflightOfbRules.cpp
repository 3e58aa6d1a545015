#include "PreflightOfbRules.h"

#include "common/JsonInteger.h"
#include "jose/DistinguishedName.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace dcr::preflight {

namespace {

// User-facing text (finding messages), translated in the preflight's context.
struct PreflightOfbRulesTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Preflight)
};

const QString kSsa = QStringLiteral("software_statement");
// DCR 1.0 §7.1-3: "not more than 5 minutes prior to the request being received".
constexpr qint64 kSsaMaxAgeSeconds = 5 * 60;

void checkOfbSsa(const SoftwareStatement& ssa, const QDateTime& now, Collector& c) {
    if (ssa.hasJws()) {
        const QString alg = ssa.header().value(QStringLiteral("alg")).toString();
        if (alg != QStringLiteral("PS256"))
            c.add("ofb-ssa-alg", kSsa,
                  PreflightOfbRulesTr::tr(
                      "the SSA is signed with %1; the Directory of Participants signs with "
                      "PS256")
                      .arg(q(alg)));
    }
    const auto iat = jsonInteger(ssa.claims().value(QStringLiteral("iat")));
    if (!iat) {
        c.add("ofb-ssa-fresh", kSsa,
              PreflightOfbRulesTr::tr(
                  "the SSA has no iat; a Brazilian bank refuses an SSA whose issue time it "
                  "cannot check"));
        return;
    }
    const qint64 age = now.toSecsSinceEpoch() - *iat;
    if (age > kSsaMaxAgeSeconds)
        c.add("ofb-ssa-fresh", kSsa,
              PreflightOfbRulesTr::tr(
                  "the SSA was issued %1 s ago (iat %2), more than 5 minutes; fetch a fresh "
                  "one from the directory just before registering")
                  .arg(age)
                  .arg(when(*iat)));
}

void checkOfbJwks(const PreflightInput& in, Collector& c) {
    const QString jwksUri = QStringLiteral("jwks_uri");
    if (in.request.has(QStringLiteral("jwks")))
        c.add("ofb-jwks-by-value", QStringLiteral("jwks"),
              PreflightOfbRulesTr::tr(
                  "jwks (keys by value) is not accepted; give the SSA's software_jwks_uri as "
                  "jwks_uri"));
    const QString uri = in.request.claims().value(jwksUri).toString();
    if (uri.isEmpty()) {
        c.add("ofb-jwks-uri", jwksUri,
              PreflightOfbRulesTr::tr(
                  "jwks_uri is missing; Brazilian banks require the SSA's software_jwks_uri "
                  "there"));
        return;
    }
    if (!in.ssa)
        return;
    // Older directory SSAs (the DCR 1.0 §9.1 example's) name it software_jwks_endpoint.
    QString ssaClaim = QStringLiteral("software_jwks_uri");
    QString ssaUri = in.ssa->string(ssaClaim);
    if (ssaUri.isEmpty()) {
        ssaClaim = QStringLiteral("software_jwks_endpoint");
        ssaUri = in.ssa->string(ssaClaim);
    }
    if (ssaUri.isEmpty())
        c.add("ofb-jwks-uri", jwksUri,
              PreflightOfbRulesTr::tr(
                  "the SSA names no software_jwks_uri, so jwks_uri cannot be checked; a "
                  "directory SSA has one"));
    else if (uri != ssaUri)
        c.add("ofb-jwks-uri", jwksUri,
              PreflightOfbRulesTr::tr("jwks_uri %1 is not the SSA's %2 %3")
                  .arg(q(uri), ssaClaim, q(ssaUri)));
}

// The roles the SSA names, only the active ones when software_statement_roles says (§7.2: "The
// field software_statement_roles shall be used for validation and currently listed roles shall
// be active").
QStringList activeRoles(const SoftwareStatement& ssa) {
    const QJsonValue statementRoles =
        ssa.claims().value(QStringLiteral("software_statement_roles"));
    if (!statementRoles.isArray())
        return ssa.roles();
    QStringList out;
    for (const auto& item : statementRoles.toArray()) {
        const QJsonObject o = item.toObject();
        if (o.value(QStringLiteral("status")).toString() == QStringLiteral("Active"))
            out << o.value(QStringLiteral("role")).toString();
    }
    return out;
}

void checkOfbScopes(const PreflightInput& in, Collector& c) {
    if (!in.ssa || !in.request.has(QStringLiteral("scope")))
        return;
    const QStringList roles = activeRoles(*in.ssa);
    QStringList allowed;
    for (const QString& role : roles)
        allowed << ofbScopesForRole(role);
    for (const QString& scope : in.request.scopes())
        if (!allowed.contains(scope))
            c.add("ofb-scope-roles", QStringLiteral("scope"),
                  PreflightOfbRulesTr::tr(
                      "scope %1 is not allowed by the SSA's active regulatory roles [%2]")
                      .arg(q(scope), roles.join(QStringLiteral(", "))));
}

// The attribute types of a DN string as written (before '='), split at unescaped ',' and '+'.
QList<std::pair<QString, QString>> writtenAttributes(const QString& dn) {
    QList<std::pair<QString, QString>> out;
    QString current;
    auto flush = [&] {
        const qsizetype eq = current.indexOf(u'=');
        if (eq > 0)
            out.append({current.left(eq).trimmed(), current.mid(eq + 1).trimmed()});
        current.clear();
    };
    for (qsizetype i = 0; i < dn.size(); ++i) {
        const QChar ch = dn.at(i);
        if (ch == u'\\' && i + 1 < dn.size()) {
            current += ch;
            current += dn.at(++i);
        } else if (ch == u',' || ch == u'+') {
            flush();
        } else {
            current += ch;
        }
    }
    flush();
    return out;
}

void checkOfbSubjectDn(const PreflightInput& in, Collector& c) {
    const QString claim = QStringLiteral("tls_client_auth_subject_dn");
    for (const char* san : {"tls_client_auth_san_dns", "tls_client_auth_san_uri",
                            "tls_client_auth_san_ip", "tls_client_auth_san_email"})
        if (in.request.has(QString::fromLatin1(san)))
            c.add("ofb-tls-san", QString::fromLatin1(san),
                  PreflightOfbRulesTr::tr(
                      "%1 is not accepted: only tls_client_auth_subject_dn names the "
                      "certificate")
                      .arg(QString::fromLatin1(san)));
    const QString dn = in.request.claims().value(claim).toString();
    if (dn.isEmpty())
        return;
    // §7.1.2: businessCategory 2.5.4.15, jurisdictionCountryName 1.3.6.1.4.1.311.60.2.1.3,
    // serialNumber 2.5.4.5 and organizationIdentifier 2.5.4.97 as dotted OIDs "without adding the
    // prefix OID" with "=#" and the hex value.
    static const QMap<QString, QString> named = {
        {QStringLiteral("businesscategory"), QStringLiteral("2.5.4.15")},
        {QStringLiteral("jurisdictioncountryname"), QStringLiteral("1.3.6.1.4.1.311.60.2.1.3")},
        {QStringLiteral("jurisdictionc"), QStringLiteral("1.3.6.1.4.1.311.60.2.1.3")},
        {QStringLiteral("serialnumber"), QStringLiteral("2.5.4.5")},
        {QStringLiteral("organizationidentifier"), QStringLiteral("2.5.4.97")}};
    const QStringList ofbOids = named.values();
    for (const auto& [type, value] : writtenAttributes(dn)) {
        const QString lower = type.toLower();
        if (named.contains(lower))
            c.add("ofb-subject-dn-oid-form", claim,
                  PreflightOfbRulesTr::tr(
                      "%1 must be written as %2=#<hex of its DER value>, not by name")
                      .arg(type, named.value(lower)));
        else if (lower.startsWith(QStringLiteral("oid.")))
            c.add("ofb-subject-dn-oid-form", claim,
                  PreflightOfbRulesTr::tr("%1: OIDs are written without the \"OID.\" prefix")
                      .arg(type));
        else if (ofbOids.contains(type) && !value.startsWith(u'#'))
            c.add("ofb-subject-dn-oid-form", claim,
                  PreflightOfbRulesTr::tr(
                      "%1=%2: the value must be \"#\" and the hex of its DER encoding")
                      .arg(type, value));
    }
    if (!in.ssa)
        return;
    const auto parsed = DistinguishedName::parse(dn);
    if (!parsed)
        return; // subject-dn-syntax reports it
    const QString uidOid = QStringLiteral("0.9.2342.19200300.100.1.1");
    for (const auto& rdn : parsed->rdns())
        for (const auto& attribute : rdn)
            if (attribute.oid == uidOid && attribute.value != in.ssa->softwareId())
                c.add("ofb-subject-dn-uid", claim,
                      PreflightOfbRulesTr::tr("the DN's UID %1 is not the SSA's software_id %2")
                          .arg(q(attribute.value), q(in.ssa->softwareId())));
}

void checkOfbWebhooks(const PreflightInput& in, Collector& c) {
    const QString claim = QStringLiteral("webhook_uris");
    if (!in.request.has(claim) || !in.ssa)
        return;
    const QStringList ours = in.request.stringList(claim);
    const QStringList ssas = in.ssa->stringList(QStringLiteral("software_api_webhook_uris"));
    if (ours != ssas)
        c.add("ofb-webhook-uris", claim,
              PreflightOfbRulesTr::tr(
                  "webhook_uris [%1] is not exactly the SSA's software_api_webhook_uris [%2]; "
                  "the bank answers 400 invalid_webhook_uris")
                  .arg(ours.join(QStringLiteral(", ")), ssas.join(QStringLiteral(", "))));
}

void checkOfbEncryption(const RegistrationRequest& request, Collector& c) {
    // OFB security profile §6.2.1: "shall use RSA-OAEP with A256GCM".
    const std::pair<const char*, const char*> pairs[] = {
        {"request_object_encryption_alg", "request_object_encryption_enc"},
        {"id_token_encrypted_response_alg", "id_token_encrypted_response_enc"},
        {"userinfo_encrypted_response_alg", "userinfo_encrypted_response_enc"},
        {"authorization_encrypted_response_alg", "authorization_encrypted_response_enc"}};
    for (const auto& [algName, encName] : pairs) {
        const QString alg = request.claims().value(QString::fromLatin1(algName)).toString();
        const QString enc = request.claims().value(QString::fromLatin1(encName)).toString();
        if (!alg.isEmpty() && alg != QStringLiteral("RSA-OAEP"))
            c.add("ofb-jwe-alg", QString::fromLatin1(algName),
                  PreflightOfbRulesTr::tr("%1 %2 is not RSA-OAEP")
                      .arg(QString::fromLatin1(algName), q(alg)));
        if (!enc.isEmpty() && enc != QStringLiteral("A256GCM"))
            c.add("ofb-jwe-alg", QString::fromLatin1(encName),
                  PreflightOfbRulesTr::tr("%1 %2 is not A256GCM")
                      .arg(QString::fromLatin1(encName), q(enc)));
    }
}

} // namespace

QStringList ofbScopesForRole(const QString& role) {
    const auto s = [](const char* text) {
        return QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts);
    };
    if (role == QStringLiteral("DADOS"))
        return s("openid accounts credit-cards-accounts consents customers invoice-financings "
                 "financings loans unarranged-accounts-overdraft resources credit-fixed-incomes "
                 "exchanges bank-fixed-incomes variable-incomes treasure-titles funds "
                 "credit-portability");
    if (role == QStringLiteral("PAGTO"))
        return s("openid payments consents resources recurring-payments nrp-consents");
    if (role == QStringLiteral("CONTA") || role == QStringLiteral("CCORR"))
        return s("openid");
    return {};
}

void checkOfb(const PreflightInput& in, const QDateTime& now, Collector& c) {
    if (c.spec() != SpecVersion::Ofb)
        return;
    if (in.ssa)
        checkOfbSsa(*in.ssa, now, c);
    checkOfbJwks(in, c);
    checkOfbScopes(in, c);
    checkOfbSubjectDn(in, c);
    checkOfbWebhooks(in, c);
    checkOfbEncryption(in.request, c);
}

} // namespace dcr::preflight
