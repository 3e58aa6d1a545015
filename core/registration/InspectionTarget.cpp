#include "InspectionTarget.h"

#include "SoftwareStatement.h"

#include "PreflightCollector.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace dcr {

namespace {

struct InspectionTargetTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::InspectionTarget)
};

// The first backchannel_* claim, or the CIBA grant type: only OBIE 3.3 defines them.
QString cibaEvidence(const RegistrationRequest& request) {
    const QJsonObject claims = request.claims();
    for (auto it = claims.begin(); it != claims.end(); ++it)
        if (it.key().startsWith(QStringLiteral("backchannel_")))
            return it.key();
    if (claims.value(QStringLiteral("grant_types")).toArray().contains(preflight::cibaGrantType()))
        return InspectionTargetTr::tr("the CIBA grant type");
    return {};
}

} // namespace

SpecGuess guessSpec(const RegistrationRequest& request) {
    // The SSA's issuer names the ecosystem outright: the CDR Register, or Brazil's directory.
    if (const auto ssa = SoftwareStatement::decode(request.softwareStatement().toLatin1())) {
        for (SpecVersion spec : {SpecVersion::Cdr, SpecVersion::Ofb})
            if (specDirectoryIssuers(spec).contains(ssa->iss()))
                return {spec,
                        InspectionTargetTr::tr("the SSA's issuer \"%1\", the %2 directory")
                            .arg(ssa->iss(), spec == SpecVersion::Cdr
                                                 ? InspectionTargetTr::tr("CDR Register")
                                                 : InspectionTargetTr::tr("Open Finance Brasil"))};
    }
    if (const QString ciba = cibaEvidence(request); !ciba.isEmpty())
        return {SpecVersion::Obie33,
                InspectionTargetTr::tr("%1, CIBA metadata that only OBIE 3.3 defines").arg(ciba)};
    if (request.has(QStringLiteral("tls_client_auth_dn")))
        return {
            SpecVersion::Obie31,
            InspectionTargetTr::tr("tls_client_auth_dn, OBIE 3.1's name for the subject DN claim")};
    if (request.has(QStringLiteral("jti")))
        return {SpecVersion::Obie33,
                InspectionTargetTr::tr(
                    "its jti, which OBIE requires and the seed does not define (3.3, the "
                    "latest; without CIBA claims 3.2 checks the same)")};
    if (request.has(QStringLiteral("tls_client_auth_subject_dn")))
        return {SpecVersion::Obie33,
                InspectionTargetTr::tr(
                    "tls_client_auth_subject_dn, a claim OBIE defines from 3.2 and the seed "
                    "does not")};
    return {SpecVersion::Seed,
            InspectionTargetTr::tr(
                "what it lacks: no jti, which OBIE 3.2 and 3.3 require, and no claim only OBIE "
                "defines")};
}

InspectionTarget InspectionTarget::guessedFor(const RegistrationRequest& request) {
    const SpecGuess guess = guessSpec(request);
    InspectionTarget target;
    target.spec = guess.spec;
    target.guessedFrom = guess.reason;
    return target;
}

QString InspectionTarget::describe() const {
    const QString spec =
        isGuess() ? InspectionTargetTr::tr("%1 (guessed from %2)")
                        .arg(specVersionName(this->spec), guessedFrom)
                  : InspectionTargetTr::tr("%1 (chosen)").arg(specVersionName(this->spec));
    const QString aud = bankId.isEmpty()
                            ? InspectionTargetTr::tr("aud not compared: no bank id given")
                            : InspectionTargetTr::tr("aud must be \"%1\"").arg(bankId);
    const QString checked = InspectionTargetTr::tr("Checked against %1; %2").arg(spec, aud);
    if (transportCertificate.isNull())
        return checked;
    return InspectionTargetTr::tr("%1; subject DN compared with %2")
        .arg(checked, certificateSource);
}

PreflightOptions InspectionTarget::preflightOptions() const {
    PreflightOptions options;
    options.spec = spec;
    options.expectedAud = bankId;
    options.transportCertificate = transportCertificate;
    options.bodyFormat = RequestBodyFormat::Jwt; // a received request is a signed JWT
    return options;
}

} // namespace dcr
