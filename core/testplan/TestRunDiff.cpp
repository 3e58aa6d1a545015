#include "TestRunDiff.h"

#include "TestRunLookup.h"
#include "common/ExitCode.h"
#include "common/Utf8.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>

#include <algorithm>

namespace dcr {

namespace {

struct TestRunDiffTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::TestRunDiff)
};

// Each scenario id's first played result: a plan's ids are unique, and a hand-edited file that
// repeats one is compared on its first. The scenario a cancel cut short was not played to its end
// (its Error judges nothing): it counts as not played, never as a new failure.
QHash<QString, const ScenarioResult*> byScenarioId(const TestRunSummary& run) {
    QHash<QString, const ScenarioResult*> index;
    for (const ScenarioResult& r : run.results)
        if (!r.cancelled && !index.contains(r.scenarioId))
            index.insert(r.scenarioId, &r);
    return index;
}

QStringList notesOn(const TestRunSummary& before, const TestRunSummary& after) {
    QStringList notes;
    if (before.spec != after.spec)
        notes << TestRunDiffTr::tr(
                     "The runs were judged under different specs (%1, %2): an expectation may "
                     "differ between them.")
                     .arg(before.spec, after.spec);
    if (before.planName != after.planName)
        notes << TestRunDiffTr::tr("The runs played different plans (%1, %2).")
                     .arg(before.planName, after.planName);
    for (const TestRunSummary* run : {&before, &after})
        if (!run->endNote().isEmpty())
            notes << TestRunDiffTr::tr(
                         "Run %1 did not play its plan to the end (%2): the scenarios it did not "
                         "reach show as added or removed.")
                         .arg(run->runId, run->endNote());
    return notes;
}

} // namespace

TestRunDiff::RunInfo TestRunDiff::RunInfo::of(const TestRunSummary& summary) {
    return {summary.runId,   summary.planName,  summary.profile,           summary.spec,
            summary.started, summary.endNote(), summary.tlsVerificationOff};
}

QJsonObject TestRunDiff::RunInfo::toJson() const {
    QJsonObject o{{s("run_id"), runId},
                  {s("plan"), planName},
                  {s("profile"), profile},
                  {s("spec"), spec},
                  {s("started"), started.toUTC().toString(Qt::ISODateWithMs)},
                  {s("tls_verification_off"), tlsVerificationOff}};
    if (!endNote.isEmpty())
        o.insert(s("end_note"), endNote);
    return o;
}

TestRunDiff TestRunDiff::compare(const TestRunSummary& before, const TestRunSummary& after) {
    TestRunDiff diff;
    diff.m_before = RunInfo::of(before);
    diff.m_after = RunInfo::of(after);
    diff.m_notes = notesOn(before, after);
    const auto beforeIds = byScenarioId(before);
    const auto afterIds = byScenarioId(after);
    for (const ScenarioResult& r : after.results)
        if (afterIds.value(r.scenarioId) == &r)
            diff.m_changes << ScenarioChange::between(beforeIds.value(r.scenarioId), &r);
    for (const ScenarioResult& r : before.results)
        if (beforeIds.value(r.scenarioId) == &r && !afterIds.contains(r.scenarioId))
            diff.m_changes << ScenarioChange::between(&r, nullptr);
    return diff;
}

Result<TestRunDiff> TestRunDiff::compareSaved(const QString& dir, const QString& before,
                                              const QString& after) {
    return compareFound([&dir](const QString& idOrPath) { return findTestRun(dir, idOrPath); },
                        before, after);
}

Result<TestRunDiff> TestRunDiff::compareFound(const Finder& find, const QString& before,
                                              const QString& after) {
    auto beforeRun = find(before);
    if (!beforeRun)
        return beforeRun.error();
    auto afterRun = find(after);
    if (!afterRun)
        return afterRun.error();
    return compare(*beforeRun, *afterRun);
}

QList<ScenarioChange> TestRunDiff::changes(ChangeKind kind) const {
    QList<ScenarioChange> selected;
    std::copy_if(m_changes.begin(), m_changes.end(), std::back_inserter(selected),
                 [kind](const ScenarioChange& c) { return c.kind == kind; });
    return selected;
}

int TestRunDiff::count(ChangeKind kind) const {
    return static_cast<int>(
        std::count_if(m_changes.begin(), m_changes.end(),
                      [kind](const ScenarioChange& c) { return c.kind == kind; }));
}

bool TestRunDiff::hasNewFailures() const {
    return std::any_of(m_changes.begin(), m_changes.end(),
                       [](const ScenarioChange& c) { return c.isNewFailure(); });
}

int TestRunDiff::exitCode() const {
    return hasNewFailures() ? ExitNegative : ExitOk;
}

QJsonObject TestRunDiff::toJson() const {
    QJsonObject counts;
    QJsonArray changes;
    for (ChangeKind kind : AllChangeKinds)
        counts.insert(changeKindName(kind), count(kind));
    for (const ScenarioChange& c : m_changes)
        changes.append(c.toJson());
    return {{s("before"), m_before.toJson()},
            {s("after"), m_after.toJson()},
            {s("counts"), counts},
            {s("new_failures"), hasNewFailures()},
            {s("notes"), QJsonArray::fromStringList(m_notes)},
            {s("changes"), changes}};
}

} // namespace dcr
