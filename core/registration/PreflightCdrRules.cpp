#include "PreflightCdrRules.h"

#include "common/JsonInteger.h"

#include <QJsonArray>

#include <QCoreApplication>

namespace dcr::preflight {

namespace {

// User-facing text (finding messages), translated in the preflight's context.
struct PreflightCdrRulesTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Preflight)
};

const QString kSsa = QStringLiteral("software_statement");

// The SSA Definition table's Required claims.
const QStringList& requiredSsaClaims() {
    static const QStringList all = {QStringLiteral("iss"),
                                    QStringLiteral("iat"),
                                    QStringLiteral("exp"),
                                    QStringLiteral("jti"),
                                    QStringLiteral("org_id"),
                                    QStringLiteral("org_name"),
                                    QStringLiteral("client_name"),
                                    QStringLiteral("client_description"),
                                    QStringLiteral("client_uri"),
                                    QStringLiteral("redirect_uris"),
                                    QStringLiteral("logo_uri"),
                                    QStringLiteral("jwks_uri"),
                                    QStringLiteral("revocation_uri"),
                                    QStringLiteral("recipient_base_uri"),
                                    QStringLiteral("software_id"),
                                    QStringLiteral("software_roles"),
                                    QStringLiteral("scope")};
    return all;
}

bool present(const QJsonValue& v) {
    if (v.isUndefined() || v.isNull())
        return false;
    if (v.isString())
        return !v.toString().trimmed().isEmpty();
    if (v.isArray())
        return !v.toArray().isEmpty();
    return true;
}

void checkCdrSsa(const SoftwareStatement& ssa, Collector& c) {
    // "As per [FAPI-1.0-Advanced], SSAs are signed by the CDR Register using PS256."
    if (ssa.hasJws()) {
        const QString alg = ssa.header().value(QStringLiteral("alg")).toString();
        if (alg != QStringLiteral("PS256"))
            c.add("cdr-ssa-alg", kSsa,
                  PreflightCdrRulesTr::tr(
                      "the SSA is signed with %1; the CDR Register signs SSAs with PS256")
                      .arg(q(alg)));
    }
    QStringList missing;
    for (const QString& name : requiredSsaClaims())
        if (!present(ssa.claims().value(name)))
            missing << name;
    if (!missing.isEmpty())
        c.add("cdr-ssa-required-claims", kSsa,
              PreflightCdrRulesTr::tr(
                  "the SSA lacks %1, required in a CDR Register SSA (SSA Definition)")
                  .arg(missing.join(QStringLiteral(", "))));
    const QString role = ssa.string(QStringLiteral("software_roles"));
    if (!role.isEmpty() && role != QStringLiteral("data-recipient-software-product"))
        c.add("cdr-ssa-software-roles", kSsa,
              PreflightCdrRulesTr::tr("the SSA's software_roles is %1; the CDR uses only "
                                      "\"data-recipient-software-product\"")
                  .arg(q(role)));
    // "Software Statements are issued with a 10 minute expiry time."
    const auto iat = jsonInteger(ssa.claims().value(QStringLiteral("iat")));
    const auto exp = jsonInteger(ssa.claims().value(QStringLiteral("exp")));
    if (iat && exp && *exp - *iat > 600)
        c.add("cdr-ssa-lifetime", kSsa,
              PreflightCdrRulesTr::tr(
                  "the SSA is valid for %1 s (iat to exp); the CDR Register issues SSAs "
                  "with a 10 minute expiry")
                  .arg(*exp - *iat));
    const QStringList scopes = ssa.stringList(QStringLiteral("scope"));
    if (present(ssa.claims().value(QStringLiteral("scope"))) &&
        !scopes.contains(QStringLiteral("cdr:registration")))
        c.add("cdr-ssa-scope-registration", kSsa,
              PreflightCdrRulesTr::tr(
                  "the SSA's scope lacks cdr:registration; without it no token can read, "
                  "update or delete the registration"));
}

void checkCdrScope(const PreflightInput& in, Collector& c) {
    if (!in.request.has(QStringLiteral("scope")))
        return;
    const QStringList ssaScopes =
        in.ssa ? in.ssa->stringList(QStringLiteral("scope")) : QStringList();
    QStringList outside;
    for (const QString& scope : in.request.scopes())
        if (!ssaScopes.contains(scope))
            outside << scope;
    c.add("cdr-scope-in-request", QStringLiteral("scope"),
          outside.isEmpty() || !in.ssa
              ? PreflightCdrRulesTr::tr(
                    "scope is not a CDR registration claim: the data holder takes the SSA's "
                    "scope and ignores this one")
              : PreflightCdrRulesTr::tr(
                    "scope is not a CDR registration claim and names %1, which the SSA does "
                    "not; the data holder takes the SSA's scope")
                    .arg(outside.join(QStringLiteral(", "))));
}

void checkCdrFlow(const RegistrationRequest& request, Collector& c) {
    const QStringList responseTypes = request.stringList(QStringLiteral("response_types"));
    const bool hybrid = responseTypes.contains(QStringLiteral("code id_token"));
    const bool code = responseTypes.contains(QStringLiteral("code"));
    if (hybrid)
        c.add("cdr-response-types-code-only", QStringLiteral("response_types"),
              PreflightCdrRulesTr::tr(
                  "\"code id_token\" (the hybrid flow) is retired: from 12 May 2025 data "
                  "recipients use only \"code\""));
    const QString encAlg = QStringLiteral("id_token_encrypted_response_alg");
    const QString encEnc = QStringLiteral("id_token_encrypted_response_enc");
    if (hybrid && (!request.has(encAlg) || !request.has(encEnc)))
        c.add("cdr-id-token-encryption", encAlg,
              PreflightCdrRulesTr::tr("the hybrid flow needs id_token_encrypted_response_alg and "
                                      "id_token_encrypted_response_enc"));
    if (!hybrid && (request.has(encAlg) || request.has(encEnc)))
        c.add("cdr-id-token-encryption", encAlg,
              PreflightCdrRulesTr::tr(
                  "ID token encryption is only for the hybrid flow (\"code id_token\"); leave "
                  "id_token_encrypted_response_alg/enc out with \"code\""));
    const QString jarm = QStringLiteral("authorization_signed_response_alg");
    const QString jarmAlg = request.claims().value(jarm).toString();
    if (code && jarmAlg.isEmpty())
        c.add("cdr-jarm-signed-alg", jarm,
              PreflightCdrRulesTr::tr(
                  "response_types \"code\" needs authorization_signed_response_alg (PS256 or "
                  "ES256)"));
    else if (!jarmAlg.isEmpty() && jarmAlg != QStringLiteral("PS256") &&
             jarmAlg != QStringLiteral("ES256"))
        c.add("cdr-jarm-signed-alg", jarm,
              PreflightCdrRulesTr::tr(
                  "authorization_signed_response_alg %1 is not PS256 or ES256 (none is not "
                  "allowed)")
                  .arg(q(jarmAlg)));
    if (request.has(QStringLiteral("authorization_encrypted_response_enc")) &&
        !request.has(QStringLiteral("authorization_encrypted_response_alg")))
        c.add("cdr-jarm-enc-pair", QStringLiteral("authorization_encrypted_response_alg"),
              PreflightCdrRulesTr::tr("authorization_encrypted_response_enc needs "
                                      "authorization_encrypted_response_alg"));
}

} // namespace

void checkCdr(const PreflightInput& in, Collector& c) {
    if (c.spec() != SpecVersion::Cdr)
        return;
    if (in.ssa)
        checkCdrSsa(*in.ssa, c);
    checkCdrScope(in, c);
    checkCdrFlow(in.request, c);
}

} // namespace dcr::preflight
