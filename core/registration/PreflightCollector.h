#pragma once

// What every preflight rule group shares: the collector findings go to, and small helpers for
// their messages. Internal to the registration floor (Preflight.cpp and its Preflight*Rules).

#include "Preflight.h"

namespace dcr::preflight {

// Finds the rule's severity under the spec being checked; rules that do not apply to it (or FAPI
// rules with FAPI off) produce nothing, so every check can simply report.
struct Collector {
    const PreflightOptions& options;
    QList<PreflightFinding> findings;

    std::optional<Severity> severityOf(const char* rule) const;
    void add(const char* rule, const QString& claim, const QString& message);
    // For the few rules whose severity depends on the request (iss-software-id).
    void addAs(Severity severity, const char* rule, const QString& claim, const QString& message);
    bool obie() const { return isObie(options.spec); }
    bool json() const { return options.bodyFormat == RequestBodyFormat::Json; }
    SpecVersion spec() const { return options.spec; }
};

// A value quoted in a message: "value".
QString q(const QString& s);
// Seconds since the epoch as an ISO date in UTC.
QString when(qint64 s);
// The CIBA grant type (OBIE 3.3), allowed in grant_types and checked for its metadata.
QString cibaGrantType();

} // namespace dcr::preflight
