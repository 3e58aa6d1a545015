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
    // The English text, marked with QT_TRANSLATE_NOOP in the table; description() translates it
    // when asked, so the table (built once) follows the language the program runs in.
    const char* descriptionSource;

    QString description() const;
};

const QList<ClaimSpec>& registrationClaimSpecs();
const ClaimSpec* findClaimSpec(const QString& name);

} // namespace dcr
