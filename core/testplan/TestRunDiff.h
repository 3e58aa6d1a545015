#pragma once

#include "ScenarioChange.h"

#include <QStringList>

#include <functional>

namespace dcr {

// Two runs compared scenario by scenario (by scenario id): what newly fails, what newly passes,
// what still fails, which answers changed, which scenarios were added or removed, and what stayed
// the same. "before" is the reference run (last week's, the good one), "after" the one under
// review. A tester reads it to tell the ASPSP what regressed between two of its releases.
class TestRunDiff {
public:
    // What the comparison says about each run, without its results.
    struct RunInfo {
        QString runId;
        QString planName;
        QString profile;
        QString spec;
        QDateTime started;
        QString endNote; // TestRunSummary::endNote(): cancelled or stopped
        bool tlsVerificationOff = false;
        static RunInfo of(const TestRunSummary& summary);
        QJsonObject toJson() const;
    };

    // The changes come in the after run's order, then the removed ones in the before run's.
    static TestRunDiff compare(const TestRunSummary& before, const TestRunSummary& after);
    // Two saved runs of dir, each named by run id or the path of a saved run file
    // (findTestRun); the error names the one that was not found.
    static Result<TestRunDiff> compareSaved(const QString& dir, const QString& before,
                                            const QString& after);
    // Two runs found by a finder (findLocalOrTeamRun: this machine's or the team's).
    using Finder = std::function<Result<TestRunSummary>(const QString& idOrPath)>;
    static Result<TestRunDiff> compareFound(const Finder& find, const QString& before,
                                            const QString& after);

    const RunInfo& before() const { return m_before; }
    const RunInfo& after() const { return m_after; }
    const QList<ScenarioChange>& changes() const { return m_changes; }
    QList<ScenarioChange> changes(ChangeKind kind) const;
    int count(ChangeKind kind) const;
    // Why the comparison may mislead: the runs used different specs or plans, or one of them did
    // not run to its end (its missing scenarios show as added or removed). Translated.
    const QStringList& notes() const { return m_notes; }

    // Something fails now that did not before: a newly failing scenario, or an added one that
    // fails. Still-failing scenarios are no news.
    bool hasNewFailures() const;
    // dcrctl test diff's exit code: 1 with new failures, else 0 (common/ExitCode.h).
    int exitCode() const;

    QJsonObject toJson() const; // secrets masked

private:
    RunInfo m_before;
    RunInfo m_after;
    QList<ScenarioChange> m_changes;
    QStringList m_notes;
};

} // namespace dcr
