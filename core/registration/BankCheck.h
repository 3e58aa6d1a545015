#pragma once

#include <QString>
#include <QStringList>

namespace dcr {

// One check a bank runs on a registration request it received, in the inspector's "As the bank"
// group: what was checked, how it came out, what was found, and the rule it applies, quoted from
// the text it comes from (the seed document, RFC 7519 / 7591 / 8705), so the person who
// reads the outcome can read the rule beside it.
struct BankCheck {
    enum class Outcome { Passed, Warning, Failed, NotChecked };

    QString id;    // stable: "bank-ssa-age", "bank-redirect-uris", …
    QString title; // "SSA age (iat, exp)"
    Outcome outcome = Outcome::NotChecked;
    QStringList details; // what was found, or what is missing to check it
    QString rule;        // the quoted passage and its source

    // "passed", "warning", "failed", "not checked"
    static QString outcomeName(Outcome outcome);
    bool failed() const { return outcome == Outcome::Failed; }
};

} // namespace dcr
