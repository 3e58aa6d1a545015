#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dcr {

enum class ClaimType { String, Integer, StringArray, SpaceSeparated };

// One claim of the registration request: the seed document's contract, widened where UK OBIE DCR
// 3.1-3.3 ASPSPs expect more (marked obie). The form, preflight and documentation all read this.
struct ClaimSpec {
    QString name;
    ClaimType type;
    bool required;
    QStringList allowed;  // empty: any value
    QString defaultValue; // as the seed states it; empty when none
    bool obie;            // not in the seed, added from OBIE DCR 3.1-3.3
    QString description;
};

const QList<ClaimSpec>& registrationClaimSpecs();
const ClaimSpec* findClaimSpec(const QString& name);

} // namespace dcr
