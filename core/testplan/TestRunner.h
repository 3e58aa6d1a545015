#pragma once

#include "TestPlan.h"
#include "TestRunSummary.h"
#include "session/Session.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace dcr {

struct TestRunOptions {
    QString spec;                    // empty: the profile's spec
    int timeoutSeconds = 30;         // per scenario (a replay's two sends share it)
    std::optional<JwsAlgorithm> alg; // the valid request's algorithm; empty: the profile's
};

// Runs a plan's scenarios in order against one profile through the Session (plan, then submit:
// every attempt is written to the history before it leaves, like any other send), tags each
// history row with the run id and scenario id, and judges each classified answer against the
// scenario's expectation for the spec. No widgets; the console and dcrctl drive it alike.
class TestRunner : public QObject {
    Q_OBJECT
public:
    // #26: a run keeps the details (request claims, response) of this many results in memory;
    // each later result's go to the run's spool on disk (ResultDetailsSpool) as the reports show
    // them, and the result in memory keeps the rest (verdict, texts, history ids). The history
    // keeps every exchange whole in any case.
    static constexpr int DetailedResultsInMemory = 100;

    explicit TestRunner(Session& session, QObject* parent = nullptr);
    // Tests: spool from a smaller number of results on.
    void setDetailedResultsInMemory(int count) { m_detailedResultsInMemory = count; }

    // Resolves the profile's signing key and target first: an error here means nothing was sent.
    // The draft is the user's valid request; each scenario mutates a fresh copy of it.
    Status start(const TestPlan& plan, const Profile& profile, const RegistrationRequest& draft,
                 const TestRunOptions& options = {});
    // Stops after cancelling the request in flight; the summary says it was cancelled.
    void cancel();
    bool isRunning() const { return m_running; }
    const TestRunSummary& summary() const { return m_summary; }
    // Why the finished run was not shared with the team history (empty: shared, or no team
    // history); the run is still saved in this machine's test-runs folder.
    QString shareProblem() const { return m_shareProblem; }
    // Why some results kept their details in memory after all (the spool could not be made or
    // written); empty when it worked or was not needed. Nothing is lost either way.
    QString spoolProblem() const { return m_spoolProblem; }
    // What of the spools that ended runs left behind in the test-runs folder could not be removed
    // when this run started (ResultDetailsSpool::sweepStale); empty when nothing was left over.
    QString sweepProblem() const { return m_sweepProblem; }

    // The history note and tags of a scenario's attempts, so a run can be found again
    // (dcrctl history list --filter RUN_ID).
    static QString historyNote(const QString& runId, const QString& scenarioId);
    static QStringList historyTags(const QString& runId, const QString& scenarioId);

signals:
    void progress(int done, int total, const dcr::ScenarioResult& result);
    void finished(const dcr::TestRunSummary& summary);

private:
    void runNext();
    void send();
    void onSubmissionFinished(quint64 id, const SubmissionResult& result);
    void onTimeout();
    // A lifecycle step (read, update, delete, read-after-delete, invalid-token): obtain the
    // bearer the profile's lifecycleAuth names, then plan it with Session::planClientOperation.
    void runStep(const TestScenario& scenario);
    void sendStep(const TestScenario& scenario, const QByteArray& bearer);
    // conformance-dcr DCR-001: GET the OpenID configuration (submitted and so kept in the
    // history like every attempt) and check its registration_endpoint.
    void runDiscovery();
    void judgeDiscovery(const DiscoveryOutcome& outcome);
    void failStep(const QString& reason);
    // No scenario so far got an answer: a transport failure now means the ASPSP cannot
    // be reached, and the rest would only wait for the same failure one by one.
    bool nothingAnswered() const;
    // Why an answer's registration_access_token is not the one issued at registration.
    std::optional<QString> ratRotation(const RegistrationOutcome& outcome) const;
    // Transport failures (timeouts included) at the end of the results, skipped ones ignored.
    int transportFailuresInARow() const;
    // #21.7: sets the stop reason after a transport failure when nothing has answered yet, or
    // when the ASPSP has failed kMaxConsecutiveTransportFailures times in a row.
    void stopIfTheAspspStoppedAnswering();
    void forgetClientSecret();
    void complete(ScenarioResult result);
    // The result as the run keeps it: whole, or (past DetailedResultsInMemory) compact with its
    // details in the spool.
    ScenarioResult kept(const ScenarioResult& result);
    // Where the run's spool goes and where ended runs' spools are swept: the test-runs folder.
    QString spoolDir() const;
    void finish();

    Session& m_session;
    TestPlan m_plan;
    ScenarioMaterial m_material;
    Profile m_profile;
    // The client the run's "register" step created; the later steps act on it.
    QString m_clientId;
    QUrl m_clientUri;
    // The client_secret the bank issued to that client in this run (client_secret_basic /
    // _post at the token endpoint). Memory only: never saved, cleared when the run ends.
    QByteArray m_clientSecret;
    // The registration_access_token the register step's answer carried (a secret: memory only,
    // never in a report), against which {"registration_access_token": "unchanged"} is judged.
    QString m_registrationAccessToken;
    // The bearer that authorised the last step: read-after-delete presents it again (a deleted
    // client can no longer get a client_credentials token).
    QByteArray m_lastBearer;
    // A token request in flight for the current step; its callback is
    // ignored once the step ended (timeout, cancel), which bumps the generation.
    bool m_awaitingCallback = false;
    quint64 m_tokenGeneration = 0;
    TestRunOptions m_options;
    TestRunSummary m_summary;
    QString m_shareProblem;
    QString m_spoolProblem;
    QString m_sweepProblem;
    int m_detailedResultsInMemory = DetailedResultsInMemory;
    bool m_running = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
    int m_index = 0;
    // The scenario in flight.
    std::optional<quint64> m_request;
    SubmissionPlan m_currentPlan;
    int m_sendsLeft = 0;
    ScenarioResult m_current;
    ScenarioExpectation m_expectation;
    QElapsedTimer m_clock;
    QTimer m_timeout;
};

} // namespace dcr
