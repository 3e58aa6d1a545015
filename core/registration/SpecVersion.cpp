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

const QList<SpecVersion>& allSpecVersions() {
    static const QList<SpecVersion> all = {SpecVersion::Seed, SpecVersion::Obie31,
                                           SpecVersion::Obie32, SpecVersion::Obie33};
    return all;
}

} // namespace dcr
