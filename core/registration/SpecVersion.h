#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace dcr {

// Which contract a registration request is checked against. The seed document is the API this
// tool was built for; UK OBIE DCR 3.1, 3.2 and 3.3 are what real ASPSPs implement, and they
// differ in claim names, formats and which claims are required. Open Finance Brasil (DCR 1.0, a
// JSON-body profile of RFC 7591/7592) and Australia's Consumer Data Right (a signed JWT body, an
// SSA from the CDR Register) are FAPI 1.0 ecosystems with their own directories and rules.
enum class SpecVersion { Seed, Obie31, Obie32, Obie33, Ofb, Cdr };

// "seed", "obie-3.1", "obie-3.2", "obie-3.3", "ofb", "cdr".
QString specVersionName(SpecVersion spec);
// Accepts the names above and the bare numbers "3.1", "3.2", "3.3" a Profile stores.
std::optional<SpecVersion> specVersionFromName(const QString& name);
const QList<SpecVersion>& allSpecVersions();
// "seed, obie-3.1, obie-3.2, obie-3.3, ofb, cdr": what messages about a bad spec name list.
QString specVersionNames();
// UK OBIE DCR 3.1-3.3.
inline bool isObie(SpecVersion spec) {
    return spec == SpecVersion::Obie31 || spec == SpecVersion::Obie32 ||
           spec == SpecVersion::Obie33;
}
// Every spec but the seed is a FAPI 1.0 Advanced ecosystem (OBIE, Brazil, CDR): FAPI checks are on
// by default there.
// The iss of the SSAs the spec's directory issues: "OpenBanking Ltd" (seed, OBIE), the Open
// Finance Brasil directory's production and sandbox issuers, "cdr-register" (the CDR Register).
QStringList specDirectoryIssuers(SpecVersion spec);
inline bool isFapiEcosystem(SpecVersion spec) {
    return spec != SpecVersion::Seed;
}

} // namespace dcr
