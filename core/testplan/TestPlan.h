#pragma once

#include "TestScenario.h"

namespace dcr {

// A QA test plan: scenarios run in order against one ASPSP. Plans are JSON files
// ({"name": ..., "scenarios": [...]}); the built-in plan covers the UK conformance tool's
// single-request cases, the seed's Related Errors for the required claims and the SSA and
// transport negatives that need no extra infrastructure.
struct TestPlan {
    QString name;
    QList<TestScenario> scenarios;

    // Errors name the scenario (index and id) and the field:
    // "scenario #3 (seed-missing-iss): mutations[0].claim: ...".
    static Result<TestPlan> fromJson(const QByteArray& json);
    // A plan file over MaxPlanSize is refused as a whole, never parsed from a cut prefix.
    static constexpr qsizetype MaxPlanSize = 4 * 1024 * 1024;
    static Result<TestPlan> load(const QString& path);
    static const TestPlan& builtIn();
    QJsonObject toJson() const;
};

} // namespace dcr
