#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace dcr {

class ResultDetailsSpool;
struct ShownScenario;

// Where a report streamed piece by piece goes (a file, stdout); an error stops the report.
using ByteSink = std::function<Status(const QByteArray&)>;

enum class Verdict {
    Passed,  // the answer met the expectation
    Failed,  // the ASPSP answered otherwise
    Skipped, // the spec names no expectation for this case
    Error,   // no answer to judge: transport failure, timeout, cancel, or the request could not
             // be made
};
QString verdictName(Verdict verdict); // "passed", "failed", "skipped", "error"

// One scenario's result, with what is needed to show it later: the request's claims, the
// response and the history rows (every attempt, including a replay's first send).
struct ScenarioResult {
    QString scenarioId;
    QString title;
    QString source;
    QString mutations; // described, "; "-separated
    Verdict verdict = Verdict::Skipped;
    QString expected; // ScenarioExpectation::describe()
    QString got;      // describeOutcome(), or the failure
    QString reason;   // why it failed (empty when passed)
    QList<qint64> historyIds;
    QJsonObject requestClaims;
    QByteArray requestContentType;
    int httpStatus = 0;
    QByteArray responseContentType;
    QByteArray responseBody; // as received; masked whenever shown (toJson, reports)
    // No answer because of the network: refused, reset, TLS failure or a timeout (not a cancel).
    bool transportFailure = false;
    // The run was cancelled while this scenario was under way: it was not played to its end, so
    // its Error verdict judges nothing (a comparison treats it as not played). Saved as
    // "cancelled".
    bool cancelled = false;
    qint64 elapsedMs = 0;
    // A long run's result past the first TestRunner::DetailedResultsInMemory (#26): its details
    // (requestClaims, the response) are not in memory but at this index of the summary's spool,
    // as the reports show them. -1: the details are here.
    int spooled = -1;

    // The ASPSP answered: an HTTP status, or a judged TLS refusal (a "refused" expectation met).
    bool answered() const;

    QJsonObject toJson() const; // secrets masked
    // From toJson's output (a saved run): what it shows is what comes back, masked.
    static Result<ScenarioResult> fromJson(const QJsonObject& o);
};

// A run of a plan against one ASPSP.
struct TestRunSummary {
    // The most scenarios a saved run may say it planned (a plan of more is refused on load).
    static constexpr int MaxPlannedScenarios = 100000;

    QString runId;
    QString planName;
    QString profile;
    QString spec;
    // Where the requests went (the registration endpoint, without user info); empty in runs
    // saved before it was kept.
    QString target;
    QDateTime started;
    QDateTime finished;
    bool cancelled = false;
    // Why the run ended before its last scenario (besides a cancel), as a bare reason ("the ASPSP
    // could not be reached (…)"): endNote() and every report put "stopped: " before it once.
    QString stopReason;
    // The run's profile did not verify the ASPSP's TLS certificate (#21.15): every report says
    // so, as every history row of the run does.
    bool tlsVerificationOff = false;
    QList<ScenarioResult> results;
    // How many scenarios the run set out to play (results has fewer when it was cancelled or
    // stopped). Runs saved before it was kept read back as results.size().
    int planned = 0;
    QString who; // user@host that ran it: saved runs are shared by everyone using the data folder
    // Where this summary came from: this machine's test-runs folder, or a team history (which
    // also keeps the runs this machine shared). Not saved.
    enum class Origin { Local, Team };
    Origin origin = Origin::Local;
    // The details of the results whose `spooled` is set (TestRunner writes them there as a long
    // run goes); null when every result holds its own. Not saved: the saved run holds them all.
    std::shared_ptr<ResultDetailsSpool> spool;

    int count(Verdict verdict) const;
    // How the run ended when not at its last scenario: "cancelled", "stopped: <stopReason>", or
    // an empty string.
    QString endNote() const;
    // True when every judged scenario met its expectation (skips allowed) and the run ran
    // to its end.
    bool allMet() const;
    // True when the run stopped because the ASPSP could not be reached (nothing answered) or
    // stopped answering (transport failures in a row): its last scenario is a transport failure
    // and a stop reason says why. dcrctl exits 3.
    bool unreachable() const;
    // The exit code of a run (dcrctl test run, dcr-console --run-plan): 0 all met, 1 not,
    // 3 unreachable (common/ExitCode.h).
    int exitCode() const;
    // A result as the reports show it: from memory, or read back from the spool.
    Result<ShownScenario> shown(const ScenarioResult& result) const;
    // The whole run in memory (a team history's copy, tests); a long run is better streamed with
    // writeJson. A result whose spooled details cannot be read back keeps its compact fields
    // and says why under "details_unavailable".
    QJsonObject toJson() const; // secrets masked
    // The same bytes as QJsonDocument(toJson()).toJson(), put out one result at a time: a
    // report of thousands of scenarios never sits whole in memory.
    Status writeJson(const ByteSink& put) const;
    static Result<TestRunSummary> fromJson(const QJsonObject& o);

private:
    QJsonObject toJsonWithoutResults() const;
};

// user@host of this process, for TestRunSummary::who.
QString testRunner();

// Finished runs are kept as <dir>/<started, UTC>-<run id>.json (toJson: masked), so they can be
// re-opened after a restart (console past runs, dcrctl test runs).
Status saveTestRun(const QString& dir, const TestRunSummary& summary);
// Oldest first; unreadable files are skipped (a half-copied folder must not hide the others).
QList<TestRunSummary> loadTestRuns(const QString& dir);

} // namespace dcr
