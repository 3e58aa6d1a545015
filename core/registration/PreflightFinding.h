#pragma once

#include <QList>
#include <QString>

namespace dcr {

enum class Severity { Error, Warning, Info };

QString severityName(Severity severity);

// One result of a preflight rule. `rule` is a stable id documented in the rule table of
// docs/reference.md; `claim` names the claim the finding is about (empty for request-wide
// findings).
struct PreflightFinding {
    Severity severity;
    QString rule;
    QString claim;
    QString message;
};

bool hasErrors(const QList<PreflightFinding>& findings);

} // namespace dcr
