#pragma once

#include "common/Notice.h"
#include "registration/BankCheck.h"
#include "registration/InspectionTarget.h"
#include "registration/RequestInspection.h"
#include "session/LostRegistrationCheck.h"
#include "session/Session.h"
#include "testplan/TestPlan.h"
#include "testplan/TestRunner.h"

#include <QObject>

#include <functional>
#include <optional>

class QTimer;

namespace dcr::ui {

// The console's state over the session, without widgets: which profile is selected, the request
// being composed, the signing algorithm, what discovery said. Signing, sending, storing and
// fetching are the session's; widgets observe this object and call it.
class ConsoleController : public QObject {
    Q_OBJECT
public:
    explicit ConsoleController(Session* session, QObject* parent = nullptr);

    // Opens the session and selects the last profile. Its heavy part (creating or loading the
    // sandbox kit, starting the embedded sandbox, loading keys) runs from the event loop after
    // this returns, so the window shows first; profileReady() follows.
    // profile: the one to start on (empty: the last one used).
    void start(const QString& profile = {});
    Session* session() const { return m_session; }

    // --- profiles
    QList<Profile> profiles() const { return m_session->profiles(); }
    // The selected profile as used now (a key loaded by hand replaces the profile's).
    const Profile& currentProfile() const { return m_profile; }
    bool isProfileReady() const { return m_ready; }
    void selectProfile(const QString& name);
    Status saveProfile(const Profile& profile); // the session's refusal (a name's control char)
    void removeProfile(const QString& name);
    QUrl endpoint() const { return m_session->registrationEndpoint(m_profile); }
    const std::optional<SandboxKit>& sandboxKit() const { return m_session->sandboxKit(); }
    bool sandboxRunning() const;

    // --- keys (the session keeps them in memory only)
    Status loadSigningKey(const QString& path);
    // prompt Never: a locked key is not unlocked (what the compose view shows never asks).
    Result<SigningSetup> signingSetup(KeyPrompt prompt = KeyPrompt::Ask);
    QString signingKeySource() const { return m_profile.signingKeyPath; }
    std::optional<JwsAlgorithm> signingAlgorithm() const { return m_alg; }
    void setSigningAlgorithm(JwsAlgorithm alg);
    Result<TransportSettings> transport() { return m_session->transportFor(m_profile); }

    // --- the request being composed
    const RegistrationRequest& request() const { return m_request; }
    void setRequest(const RegistrationRequest& request);
    RegistrationRequest defaultRequest() const;
    void setRequestLifetime(int seconds) { m_lifetime = seconds; }
    int requestLifetime() const { return m_lifetime; }
    ClaimsPolicy claimsPolicy() const;
    void setSupportedValues(const SupportedValues& values);
    const SupportedValues& supportedValues() const { return m_supported; }

    // What the composed request would look like if sent now, signed once, and what preflight
    // finds in that very token. (Send plans again: iat, exp and jti belong to the moment.)
    // What the form would send now: a signed JWT, or (json profiles) the RFC 7591 JSON body.
    struct Preview {
        Result<QByteArray> token{ErrorKind::SessionNoSigningKey, QString()};
        RequestBodyFormat format = RequestBodyFormat::Jwt;
        RequestInspection inspection;
    };
    Preview preview();
    // The profile's body format (json: nothing to sign, no signing key needed).
    RequestBodyFormat bodyFormat() const;

    // --- sending: plan once (one signature), look at it, send exactly it
    Result<SubmissionPlan> planSend();
    RequestInspection inspectPlan(const SubmissionPlan& plan) const;
    // Where a Send is, from the moment it is pressed until its answer (or until nothing is
    // sent). Checking: the history is being looked at, on its reader's thread, for an earlier
    // attempt of the same registration whose answer was lost (issue #25.2), and the user asked
    // about what was found; Sending: the request is in flight. Both are busy: Send is off and
    // Cancel applies (a cancelled check sends nothing).
    enum class SendState { Idle, Checking, Sending };
    Q_ENUM(SendState)
    SendState sendState() const { return m_sendState; }
    bool isSending() const { return m_sendState != SendState::Idle; }
    // Sends a plan after the lost-answer check (LostRegistrationCheck, the rule dcrctl follows
    // too): when it finds an attempt, or the history could not be read, confirm(warning)
    // decides; declined, nothing is sent. Checking from this call on; a send that then cannot
    // start is a notice and sendFailed().
    Status send(const SubmissionPlan& plan, std::function<bool(const Notice&)> confirm);
    void cancelSend();
    bool canSend() const {
        return m_ready && !isSending() && !isTestRunning() && m_session->hasHistory();
    }

    // --- inspecting a received request (bank staff): its token as received, checked against an
    // InspectionTarget (a spec guessed from the request until one is chosen; the bank's id),
    // never against the profile. Its SSA is verified only with a key given for it.
    // Starts inspecting jwt (a refusal leaves the state as it was).
    Result<RequestInspection> startInspection(const QByteArray& jwt);
    void endInspection();
    bool isInspecting() const { return !m_received.isEmpty(); }
    const QByteArray& receivedRequest() const { return m_received; }
    const InspectionTarget& inspectionTarget() const { return m_target; }
    void setInspectionTarget(const InspectionTarget& target);
    // The checks run now (their clock is now): for every change of target, profile or SSA key.
    Result<RequestInspection> inspection() const;
    // "As the bank": the checks a bank runs on that inspection (BankSideChecks), now.
    QList<BankCheck> bankChecks(const RequestInspection& inspection) const;
    // Reads a transport certificate (PEM, DER, PKCS#12 without passphrase) and compares the
    // request's subject DN with it from now on; a file without a certificate is refused (and said
    // in a notice), the target left as it was.
    Status useTransportCertificate(const QString& path);
    // Fetches the inspected SSA's software_jwks_endpoint (https only; through the session's
    // transport, with its timeouts and size caps) and checks the request's signature against it
    // from then on. Only ever on a person's click: opening a request never fetches anything.
    // A refusal or failed fetch is said in a notice.
    Status fetchSoftwareJwks();

    // --- the SSA's signature: one key in use (the inspection's, or the composer's), one verdict
    void setSsaVerificationKey(const std::optional<VerificationKey>& key);
    SignatureVerdict ssaVerdict(const Jws& ssa) const;

    // --- the profile's registered clients: read, update (the form's claims), delete, token
    // Reads them from the history on its reader thread (never on the window's): clientsLoading()
    // now, clientsLoaded() or clientsFailed() later; a newer refresh supersedes an older one.
    void refreshClients();
    bool isLoadingClients() const { return m_clientsTicket != 0; }
    // Authorises as the profile says (OBIE: a client_credentials token first; RFC 7592: the
    // registration_access_token from the history), then sends like Send does.
    void manageClient(RegistrationOperation operation, const QString& clientId);
    void requestClientToken(const QString& clientId);

    // --- QA test plans (the built-in plan until another is opened), run on the current profile
    // against the composed request
    const TestPlan& testPlan() const { return m_plan; }
    Status loadTestPlan(const QString& path);
    Status runTestPlan(const QStringList& scenarioIds);
    void cancelTestRun() { m_runner->cancel(); }
    bool isTestRunning() const { return m_runner->isRunning(); }
    // The finished runs kept in the data folder (every session's), oldest first.
    QList<TestRunSummary> savedTestRuns() const {
        return loadTestRuns(m_session->paths().testRunsDir);
    }
    // On a team history: asks the history reader thread for the team's runs; testRunsLoaded
    // follows with this machine's runs and the team's merged (oldest first), or teamRunsFailed.
    // Without a team history nothing is asked and false is answered.
    bool refreshTeamRuns();
    bool isLoadingTeamRuns() const { return m_teamRunsTicket != 0; }

    // --- what a team shares (a shared history only; the actions are disabled otherwise)
    bool hasTeamHistory() const { return m_session->hasTeamHistory(); }
    // Returns what was stripped (a pkcs11: URI's PIN attribute); refused: a secret, a name the
    // team has (unless replace), the server away.
    Result<QStringList> publishProfile(const QString& name, bool replace) {
        return m_session->publishProfile(name, replace);
    }
    // Asks the reader thread for the published profiles: teamProfilesLoaded or
    // teamProfilesFailed follows.
    void refreshTeamProfiles();
    Result<Profile> importTeamProfile(const TeamProfile& published, const QString& asName) {
        return m_session->importTeamProfile(published, asName);
    }

    // --- fetches over the profile's transport
    void fetchDiscovery();
    void fetchJwks(const QUrl& url, std::function<void(const Result<JwkSet>&)> callback);

signals:
    void profilesChanged();
    // Another profile was chosen (once, before its preparation; profileChanged follows, again
    // when it is ready). A notice of the last profile no longer applies; the new one's own
    // notices come after this.
    void profileSelected();
    void profileChanged();
    void profileReady();
    void requestChanged();
    void signingKeyChanged();
    void sendStateChanged(dcr::ui::ConsoleController::SendState state);
    void sendStarted();
    // A send that send() could not start once the history had answered.
    void sendFailed(const QString& why);
    void sendFinished(const dcr::SubmissionResult& result);
    void sendEnabledChanged(bool enabled);
    void discoveryFetched(const dcr::DiscoveryOutcome& outcome);
    void notice(const dcr::Notice& notice);
    void tokenReceived(const dcr::TokenResult& result);
    void testRunStarted(int total);
    void testProgress(int done, int total, const dcr::ScenarioResult& result);
    void testRunFinished(const dcr::TestRunSummary& summary);
    void clientsLoading();
    // lost: the profile's registrations whose answer was lost (LostRegistrations.h).
    void clientsLoaded(const QList<dcr::RegisteredClient>& clients,
                       const QList<dcr::LostRegistration>& lost);
    void clientsFailed(const QString& message);
    void testRunsLoaded(const QList<dcr::TestRunSummary>& runs);
    void teamRunsFailed(const QString& message);
    void teamProfilesLoaded(const QList<dcr::TeamProfile>& profiles);
    void teamProfilesFailed(const QString& message);
    // The inspected request's checks have new inputs (target, profile, SSA key): run them again.
    void inspectionChanged();
    // The key the SSA's signature is verified with changed: every verdict shown is stale.
    void ssaVerificationChanged();

private:
    void prepareProfile();
    InspectionOptions inspectionOptions() const;
    Preflight preflight() const;
    void setReady(bool ready);
    void updateSendEnabled();
    void setSendState(SendState state);
    void onLostChecked(const SubmissionPlan& plan,
                       const std::function<bool(const Notice&)>& confirm,
                       const LostRegistrationCheck::Finding& finding);
    // Sends now, unchecked: a registration after its check, a client's lifecycle operation.
    Status submit(const SubmissionPlan& plan);
    void onSubmissionFinished(quint64 id, const SubmissionResult& result);
    void onHistoryAnswer(const HistoryAnswer& answer);

    Session* m_session;
    TestRunner* m_runner;
    QTimer* m_clientsRefresh; // coalesces the history's changes into one Clients read
    LostRegistrationCheck* m_lostCheck;
    TestPlan m_plan = TestPlan::builtIn();
    Profile m_profile;
    bool m_ready = false;
    std::optional<JwsAlgorithm> m_alg;
    RegistrationRequest m_request;
    int m_lifetime = 300;
    std::optional<VerificationKey> m_ssaKey;        // composing: the profile's directory key
    std::optional<VerificationKey> m_inspectSsaKey; // inspecting: only what the user gave
    QByteArray m_received;                          // the inspected request, as received
    InspectionTarget m_target;
    std::optional<JwkSet> m_softwareJwks; // fetched on request for the inspected SSA
    SupportedValues m_supported;
    SendState m_sendState = SendState::Idle;
    quint64 m_inFlight = 0; // the submission while Sending
    bool m_lastSendEnabled = false;
    quint64 m_clientsTicket = 0;
    quint64 m_teamRunsTicket = 0;
    quint64 m_teamProfilesTicket = 0;
};

} // namespace dcr::ui
