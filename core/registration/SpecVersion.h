#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dcr {

// Which contract a registration request is checked against. The seed document is the API this
// tool was built for; UK OBIE DCR 3.1, 3.2 and 3.3 are what real ASPSPs implement, and they
// differ in claim names, formats and which claims are required.
enum class SpecVersion { Seed, Obie31, Obie32, Obie33 };

// "seed", "obie-3.1", "obie-3.2", "obie-3.3".
QString specVersionName(SpecVersion spec);
// Accepts the names above and the bare numbers "3.1", "3.2", "3.3" a Profile stores.
std::optional<SpecVersion> specVersionFromName(const QString& name);
const QList<SpecVersion>& allSpecVersions();
inline bool isObie(SpecVersion spec) {
    return spec != SpecVersion::Seed;
}

} // namespace dcr
