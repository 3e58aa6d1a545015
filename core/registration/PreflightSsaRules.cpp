#include "PreflightSsaRules.h"

#include "common/JsonInteger.h"

#include <QCoreApplication>

namespace dcr::preflight {

namespace {

// User-facing text (finding messages), translated in the preflight's context.
struct PreflightSsaRulesTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Preflight)
};

} // namespace

void checkSsa(const PreflightInput& in, const QDateTime& now, Collector& c) {
    const QString claim = QStringLiteral("software_statement");
    if (!in.ssaDecodeError.isEmpty()) {
        c.add("ssa-decode", claim,
              PreflightSsaRulesTr::tr("the software statement cannot be decoded: %1")
                  .arg(in.ssaDecodeError));
        return;
    }
    if (!in.ssa)
        return;
    const SoftwareStatement& ssa = *in.ssa;
    if (!c.options.trustedDirectoryIssuers().contains(ssa.iss()))
        c.add(
            "ssa-issuer", claim,
            PreflightSsaRulesTr::tr("the SSA is issued by %1, not a trusted directory (%2)")
                .arg(q(ssa.iss()), c.options.trustedDirectoryIssuers().join(QStringLiteral(", "))));
    if (ssa.hasJws()) {
        const QString alg = ssa.header().value(QStringLiteral("alg")).toString();
        if (alg.startsWith(QStringLiteral("HS")))
            c.add("ssa-alg", claim,
                  PreflightSsaRulesTr::tr(
                      "the SSA is signed with %1, a shared secret; an OB Directory SSA "
                      "is signed with the directory's private key (PS256)")
                      .arg(alg));
    }
    const qint64 t = now.toSecsSinceEpoch();
    const int skew = c.options.clockSkewSeconds;
    const auto iat = jsonInteger(ssa.claims().value(QStringLiteral("iat")));
    if (iat && *iat > t + skew)
        c.add("ssa-iat-future", claim,
              PreflightSsaRulesTr::tr("the SSA's iat %1 is in the future").arg(when(*iat)));
    const auto exp = jsonInteger(ssa.claims().value(QStringLiteral("exp")));
    if (exp && *exp < t - skew)
        c.add("ssa-expired", claim,
              PreflightSsaRulesTr::tr("the SSA expired at %1").arg(when(*exp)));
    if (ssa.orgStatus() != QStringLiteral("Active"))
        c.add(
            "ssa-org-status", claim,
            ssa.orgStatus().isEmpty()
                ? PreflightSsaRulesTr::tr("the SSA has no org_status; ASPSPs register only Active "
                                          "organisations")
                : PreflightSsaRulesTr::tr("the SSA's org_status is %1, not Active; ASPSPs refuse "
                                          "inactive organisations")
                      .arg(q(ssa.orgStatus())));
    for (const auto& authority : ssa.competentAuthorityClaims())
        if (authority.status != QStringLiteral("Active"))
            c.add("ssa-authority-status", claim,
                  PreflightSsaRulesTr::tr(
                      "the competent authority claim %1/%2 has status %3, not Active")
                      .arg(authority.authorityId, authority.registrationId, q(authority.status)));
    const bool sandboxSsa =
        ssa.environment().compare(QStringLiteral("sandbox"), Qt::CaseInsensitive) == 0 ||
        ssa.mode().compare(QStringLiteral("Test"), Qt::CaseInsensitive) == 0;
    const bool productionSsa =
        ssa.environment().compare(QStringLiteral("production"), Qt::CaseInsensitive) == 0 ||
        ssa.mode().compare(QStringLiteral("Live"), Qt::CaseInsensitive) == 0;
    if (c.options.environment == TargetEnvironment::Production && sandboxSsa)
        c.add("ssa-environment", claim,
              PreflightSsaRulesTr::tr(
                  "the SSA is for the sandbox (software_environment %1, software_mode "
                  "%2); a production ASPSP refuses it")
                  .arg(q(ssa.environment()), q(ssa.mode())));
    if (c.options.environment == TargetEnvironment::Sandbox && productionSsa && !sandboxSsa)
        c.add("ssa-environment", claim,
              PreflightSsaRulesTr::tr(
                  "the SSA is for production (software_environment %1, software_mode "
                  "%2) but the target is a sandbox")
                  .arg(q(ssa.environment()), q(ssa.mode())));
    // The words are the verdict's own (SignatureVerdict::text), as the SSA tab and dcrctl show it.
    switch (in.ssaSignature.state) {
    case SignatureVerdict::State::NotVerified:
        c.add("ssa-signature-unverified", claim,
              PreflightSsaRulesTr::tr(
                  "the SSA's signature is %1; give the directory's JWKS or shared secret to "
                  "check it")
                  .arg(in.ssaSignature.text()));
        break;
    case SignatureVerdict::State::Invalid:
        c.add("ssa-signature-invalid", claim,
              PreflightSsaRulesTr::tr("the SSA's signature is %1").arg(in.ssaSignature.text()));
        break;
    case SignatureVerdict::State::Valid:
        break;
    }
}

} // namespace dcr::preflight
