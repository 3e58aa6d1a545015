#pragma once

#include "TestRunSummary.h"
#include "history/TeamRun.h"
#include "session/Session.h"

namespace dcr {

// Test runs a team shares through its history (#25.4): a finished run's summary goes to the
// team history's test_runs table (masked as toJson masks it, and once more by the history), and
// the team's runs come back as summaries that name who ran them (the writer identity that shared
// them, not what the summary says). dcrctl test runs / diff and the console's Runs list use these.

// The row a summary is shared as (summary: toJson(), secrets masked).
TeamRun teamRunOf(const TestRunSummary& summary);
// A shared row as a summary: origin Team, who = the writer that shared it. An error names the run
// and what in its summary could not be read.
Result<TestRunSummary> summaryOfTeamRun(const TeamRun& run);
// Every readable row as a summary, oldest first (as loadTestRuns orders a folder); rows that
// cannot be read are left out and each adds a sentence to *problems.
QList<TestRunSummary> summariesOfTeamRuns(const QList<TeamRun>& runs,
                                          QStringList* problems = nullptr);
// Shares a finished run through the session's team history; false: the team already had it.
Result<bool> shareTestRunWithTeam(Session& session, const TestRunSummary& summary);
// This machine's runs and the team's in one list, oldest first: a run in both (this machine
// shared it) appears once, as the team's.
QList<TestRunSummary> mergeTestRuns(const QList<TestRunSummary>& local,
                                    const QList<TestRunSummary>& team);
// A run named by run id or file: this machine's folder first (findTestRun), then, when the
// session has a team history, the team's runs. The error says where it was looked for.
Result<TestRunSummary> findLocalOrTeamRun(Session& session, const QString& idOrPath);

} // namespace dcr
