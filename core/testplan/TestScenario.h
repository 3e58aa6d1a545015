#pragma once

#include "ScenarioExpectation.h"
#include "ScenarioMutation.h"

#include <QMap>

namespace dcr {

// One negative (or positive) case of a test plan: a mutation of the user's valid request and
// what each spec expects the ASPSP to answer, with where the case comes from (a conformance
// tool id, a seed table row) and the passage that justifies the expectation.
struct TestScenario {
    QString id;     // unique in its plan: "DCR-004-expired", "seed-missing-iss"
    QString title;  // one line
    QString source; // "OBIE conformance-dcr DCR-004", "seed: Related Errors", ...
    QString quote;  // the spec passage the expectation rests on
    QList<ScenarioMutation> mutations;
    // Empty: one registration request (the valid one with the mutations above). Otherwise a
    // client lifecycle step (OBIE DCR 3.3 / RFC 7592), run on the client an earlier "register"
    // step of the same run created: register, read, update, delete, read-after-delete,
    // update-after-delete, invalid-token, read-without-scope (a client_credentials token asked
    // for "openid" only: the CDR's 403 for a token without cdr:registration); or "discovery",
    // which fetches the ASPSP's OpenID configuration and checks its registration_endpoint. Steps
    // take only client_certificate mutations (discovery none), except update, whose body takes
    // the request mutations too.
    QString step;
    // By spec family: "seed", "obie" (OBIE DCR 3.x / RFC 7591), "ofb" (Open Finance Brasil),
    // "cdr" (Australia's CDR) or "any" (the fallback).
    QMap<QString, ScenarioExpectation> expectations;

    // The expectation for a spec name (seed, obie-3.3, a profile's bare "3.1"): its family's,
    // else "any"; nullopt when the spec says nothing about this case (the scenario is skipped).
    std::optional<ScenarioExpectation> expectationFor(const QString& spec) const;
    bool isPositive() const;

    // Errors name the field ("mutations[1].claim", "expect.seed.status").
    static Result<TestScenario> fromJson(const QJsonValue& json);
    QJsonObject toJson() const;
};

// The step names a scenario may give, in the order a plan usually runs them.
const QStringList& lifecycleSteps();

// "seed", "obie", "ofb" or "cdr" for any spec name specVersionFromName accepts; empty when
// unknown.
QString specFamily(const QString& spec);

} // namespace dcr
