#include "PreflightFinding.h"

#include <algorithm>

namespace dcr {

QString severityName(Severity severity) {
    switch (severity) {
    case Severity::Error:
        return QStringLiteral("error");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Info:
        return QStringLiteral("info");
    }
    return {};
}

bool hasErrors(const QList<PreflightFinding>& findings) {
    return std::any_of(findings.begin(), findings.end(),
                       [](const auto& f) { return f.severity == Severity::Error; });
}

} // namespace dcr
