#include "SpecVersion.h"

namespace dcr {

QString specVersionName(SpecVersion spec) {
    switch (spec) {
    case SpecVersion::Seed:
        return QStringLiteral("seed");
    case SpecVersion::Obie31:
        return QStringLiteral("obie-3.1");
    case SpecVersion::Obie32:
        return QStringLiteral("obie-3.2");
    case SpecVersion::Obie33:
        return QStringLiteral("obie-3.3");
    case SpecVersion::Ofb:
        return QStringLiteral("ofb");
    case SpecVersion::Cdr:
        return QStringLiteral("cdr");
    }
    return {};
}

std::optional<SpecVersion> specVersionFromName(const QString& name) {
    const QString n = name.trimmed().toLower();
    for (SpecVersion spec : allSpecVersions()) {
        const QString full = specVersionName(spec);
        if (n == full || (isObie(spec) && n == full.mid(5)))
            return spec;
    }
    return std::nullopt;
}

QString specVersionNames() {
    QStringList names;
    for (SpecVersion spec : allSpecVersions())
        names << specVersionName(spec);
    return names.join(QStringLiteral(", "));
}

QStringList specDirectoryIssuers(SpecVersion spec) {
    switch (spec) {
    case SpecVersion::Ofb:
        // The Directory of Participants' SSA issuers as published: DCR 1.0 §9.2 "Open Finance
        // Open Finance Brasil production SSA issuer" (and sandbox), §8.1's example "Open Banking
        // Open Banking Brasil prod SSA issuer", and the pre-rename spellings. The texts disagree,
        // so ssa-issuer is a warning under ofb.
        return {QStringLiteral("Open Finance Open Finance Brasil production SSA issuer"),
                QStringLiteral("Open Finance Open Finance Brasil sandbox SSA issuer"),
                QStringLiteral("Open Banking Open Banking Brasil production SSA issuer"),
                QStringLiteral("Open Banking Open Banking Brasil sandbox SSA issuer"),
                QStringLiteral("Open Banking Open Banking Brasil prod SSA issuer")};
    case SpecVersion::Cdr:
        // CDR standards, SSA Definition: iss "Value: cdr-register."
        return {QStringLiteral("cdr-register")};
    default:
        return {QStringLiteral("OpenBanking Ltd")};
    }
}

const QList<SpecVersion>& allSpecVersions() {
    static const QList<SpecVersion> all = {SpecVersion::Seed,   SpecVersion::Obie31,
                                           SpecVersion::Obie32, SpecVersion::Obie33,
                                           SpecVersion::Ofb,    SpecVersion::Cdr};
    return all;
}

} // namespace dcr
