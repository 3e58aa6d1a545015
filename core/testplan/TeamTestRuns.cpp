#include "TeamTestRuns.h"

#include "TestRunLookup.h"
#include "common/Utf8.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace dcr {

namespace {

struct TeamTestRunsTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::TeamTestRuns)
};

} // namespace

TeamRun teamRunOf(const TestRunSummary& summary) {
    TeamRun run;
    run.runId = summary.runId;
    run.started = summary.started;
    run.finished = summary.finished;
    run.plan = summary.planName;
    run.profile = summary.profile;
    run.target = summary.target;
    run.spec = summary.spec;
    run.passed = summary.count(Verdict::Passed);
    run.failed = summary.count(Verdict::Failed);
    run.skipped = summary.count(Verdict::Skipped);
    run.errors = summary.count(Verdict::Error);
    run.endNote = summary.endNote();
    run.summary = summary.toJson();
    return run;
}

Result<TestRunSummary> summaryOfTeamRun(const TeamRun& run) {
    auto summary = TestRunSummary::fromJson(run.summary);
    if (!summary)
        return Error{ErrorKind::JsonInvalid,
                     TeamTestRunsTr::tr("the team's test run %1 (shared by %2) cannot be "
                                        "read: %3")
                         .arg(run.runId, run.person(), summary.error().message)};
    // The columns are the history's word; the JSON is what the sharer's summary said.
    summary->runId = run.runId;
    summary->who = run.person();
    summary->origin = TestRunSummary::Origin::Team;
    return summary;
}

QList<TestRunSummary> summariesOfTeamRuns(const QList<TeamRun>& runs, QStringList* problems) {
    QList<TestRunSummary> out;
    for (const TeamRun& run : runs) {
        auto summary = summaryOfTeamRun(run);
        if (summary)
            out << *summary;
        else if (problems)
            *problems << summary.error().message;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.started < b.started; });
    return out;
}

Result<bool> shareTestRunWithTeam(Session& session, const TestRunSummary& summary) {
    return session.shareTestRun(teamRunOf(summary));
}

QList<TestRunSummary> mergeTestRuns(const QList<TestRunSummary>& local,
                                    const QList<TestRunSummary>& team) {
    QSet<QString> shared;
    for (const TestRunSummary& run : team)
        shared.insert(run.runId);
    QList<TestRunSummary> out = team;
    for (const TestRunSummary& run : local)
        if (!shared.contains(run.runId))
            out << run;
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.started < b.started; });
    return out;
}

Result<TestRunSummary> findLocalOrTeamRun(Session& session, const QString& idOrPath) {
    auto local = findTestRun(session.paths().testRunsDir, idOrPath);
    if (local || !session.hasTeamHistory())
        return local;
    auto team = session.teamRun(idOrPath);
    if (team)
        return summaryOfTeamRun(*team);
    if (team.error().kind != ErrorKind::StorageNotFound)
        return Error{team.error().kind,
                     TeamTestRunsTr::tr("%1, and the team history could not be asked: %2")
                         .arg(local.error().message, team.error().message)};
    return Error{ErrorKind::InputUnreadable,
                 TeamTestRunsTr::tr("%1, nor among the team's runs").arg(local.error().message)};
}

} // namespace dcr
