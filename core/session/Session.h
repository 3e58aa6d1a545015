#pragma once

#include "AppPaths.h"
#include "DiscoveryOutcome.h"
#include "LostRegistrations.h"
#include "PassphraseSource.h"
#include "RegisteredClient.h"
#include "SharedHistoryLink.h"
#include "SubmissionPlan.h"
#include "Submitter.h"
#include "TokenRequest.h"
#include "common/Notice.h"
#include "history/HistoryStore.h"
#include "jose/JwkSet.h"
#include "jose/KeyMaterial.h"
#include "registration/Preflight.h"
#include "registration/TokenResponse.h"
#include "sandbox/SandboxAspsp.h"
#include "sandbox/SandboxKit.h"
#include "transport/Profile.h"
#include "transport/TokenOrigin.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QSettings;

namespace dcr {

class EmbeddedSandboxes;
class HistoryReader;
class JwksCache;
class SessionDiscovery;
class KeyCache;
class SessionHistory;
class TokenSubmitter;

class RegistrationClient;
class SandboxServer;

// The one place both front ends call to plan, sign, send, record and manage clients. It owns the
// settings and profiles, the history, the key and certificate material loaded for this session
// (in memory only; passphrases come from the front end's PassphraseSource and are not kept),
// the embedded sandbox and the JWKS cache. No widgets.
class Session : public QObject {
    Q_OBJECT
public:
    // The two ready profiles on the embedded sandbox: the seed's contract (its name predates the
    // second one and is kept, as history rows name it) and OBIE DCR 3.3 with its token endpoint.
    static constexpr auto SandboxProfileName = "Local sandbox";
    static constexpr auto ObieSandboxProfileName = "Local sandbox (OBIE 3.3)";
    static constexpr auto OfbSandboxProfileName = "Local sandbox (Open Finance Brasil)";
    static constexpr auto CdrSandboxProfileName = "Local sandbox (CDR)";

    explicit Session(AppPaths paths, QObject* parent = nullptr);
    ~Session() override;

    // Opens the settings and the history, importing what older versions left in other folders.
    // What the user should know is returned; the session stays usable whatever happens (without
    // a history it refuses to send, because every attempt must be kept).
    Notices open();
    // The console (before open()): a shared history's first connection is made by the history
    // reader thread, so open() never waits on a connect; until it answers the history is "not
    // yet connected" and submissions go to the outbox (write-ahead holds there). dcrctl, a
    // command line that waits anyway, connects inside open() (the default).
    void setConnectHistoryInBackground(bool background) { m_connectInBackground = background; }
    // dcrctl submit --no-history (before open()): the history is not opened at all. Opening it
    // costs a file and its schema check, a reader thread and, for a team history, a server
    // connection, none of which an unrecorded send needs (#26); and a history that cannot be
    // opened must not stop a send the user asked not to record.
    void setHistoryWanted(bool wanted) { m_historyWanted = wanted; }
    void setPassphraseSource(PassphraseSource* source);
    // Tests (before open()): write the history as another person on another machine, as a
    // colleague's console would (default: this process's WriterIdentity::current()).
    void setHistoryWriter(const WriterIdentity& writer) { m_writer = writer; }

    const AppPaths& paths() const { return m_paths; }
    QSettings* settings() const { return m_settings.get(); }

    // --- profiles
    QList<Profile> profiles() const;
    std::optional<Profile> profile(const QString& name) const;
    Status saveProfile(const Profile& profile); // refused: a name with control characters
    void removeProfile(const QString& name);

    // --- the embedded sandboxes (profiles with embeddedSandbox), one per mode
    Status startSandbox(SandboxMode mode = SandboxMode::Seed);
    bool sandboxRunning(SandboxMode mode = SandboxMode::Seed) const;
    SandboxServer* sandbox(SandboxMode mode = SandboxMode::Seed) const;
    const std::optional<SandboxKit>& sandboxKit() const;

    // --- material, loaded once per session and kept in memory only
    // path may be a key file or an RFC 7512 pkcs11: URI (the PIN is asked like a passphrase;
    // pkcs11Module: the profile's module, empty for $DCR_PKCS11_MODULE or the p11-kit proxy).
    Result<KeyMaterial> loadSigningKey(const QString& path, const QString& pkcs11Module = {},
                                       KeyPrompt keyPrompt = KeyPrompt::Ask);
    // The key, algorithm and kid a profile signs with; alg empty: PS256, or ES256 for an EC key.
    Result<SigningSetup> signingSetup(const Profile& profile,
                                      std::optional<JwsAlgorithm> alg = std::nullopt,
                                      KeyPrompt keyPrompt = KeyPrompt::Ask);
    Result<TransportSettings> transportFor(const Profile& profile);
    // Where a profile's requests go, with its transport settings resolved. Refused: what
    // checkTarget refuses, and a plain http endpoint unless the profile is marked insecure.
    Result<Target> target(const Profile& profile);
    // The profile's body format, once its Content-Type fits it and its registration URL (unless
    // it is the embedded sandbox's) is a usable absolute URL: target()'s checks that need no
    // key, which dcrctl also makes on its options before anything is loaded.
    static Result<RequestBodyFormat> checkTarget(const Profile& profile);
    QUrl registrationEndpoint(const Profile& profile) const;
    // What preflight checks a profile's requests against: its spec, trusted directory, aud and
    // transport certificate (when loaded), and the ASPSP's advertised values.
    PreflightOptions preflightOptions(const Profile& profile, const SupportedValues& supported);

    // For a profile of the embedded Open Finance Brasil or CDR sandbox: mints a software
    // statement from the kit's directory at the moment it is called (a Brazilian bank accepts
    // one at most 5 minutes old, a CDR SSA expires after 10), which every send of the profile
    // puts in place of the draft's, as ClaimsPolicy refreshes iat, exp and jti. Empty for every
    // other profile: a real directory's SSA is the user's to fetch.
    std::function<QString(const QString& current)> softwareStatementMinter(const Profile& profile);

    // --- submissions
    Result<SubmissionPlan> planRegistration(const RegistrationRequest& draft,
                                            const Profile& profile, const ClaimsPolicy& policy,
                                            std::optional<JwsAlgorithm> alg = std::nullopt);
    // Earlier registrations of the plan's software_id at its URL whose answer was lost
    // (LostRegistrations.h): what both front ends warn of before sending it. Empty for anything
    // but a registration POST; refused without a history.
    Result<QList<LostRegistration>> lostRegistrationsFor(const SubmissionPlan& plan) const;
    // record = false only when the user asked not to keep this attempt (dcrctl --no-history).
    Result<quint64> submit(const SubmissionPlan& plan, bool record = true);
    void cancel(quint64 id);
    bool isPending(quint64 id) const;

    // --- registered clients and their lifecycle (OBIE DCR 3.3 / RFC 7592)
    Result<QList<RegisteredClient>> registeredClients(const QString& profile = {}) const;
    // Registrations of a profile (empty: all) whose answer was lost and never followed by an
    // answered one (dcrctl client list, beside the clients).
    Result<QList<LostRegistration>> lostRegistrations(const QString& profile = {}) const;
    std::optional<QByteArray> registrationAccessToken(const QString& profile,
                                                      const QString& clientId) const;
    QUrl tokenEndpoint(const Profile& profile) const;
    // A client_credentials request for the profile's client: token endpoint, scope, method and
    // (private_key_jwt) signing key from the profile unless given.
    Result<TokenRequestSpec> tokenRequestFor(const Profile& profile, const QString& clientId,
                                             std::optional<ClientAuthMethod> method = std::nullopt,
                                             const QByteArray& clientSecret = {});
    // Which bearer token authorises a registered client's read, update or delete: the one rule of
    // the console, dcrctl client and a test plan's lifecycle steps. A profile in rfc7592 mode
    // sends the registration_access_token the history holds for the client (RFC 7592 §3); any
    // other (OBIE DCR 3.3), or options.clientCredentials, fetches a client_credentials token
    // first. Refused: no such registration_access_token, no token endpoint, or a token request
    // the profile cannot make (its auth method, its signing key).
    Result<LifecycleBearer> lifecycleBearer(const Profile& profile, const QString& clientId,
                                            const LifecycleBearerOptions& options = {});
    // The bearer token in the token endpoint's answer to a lifecycleBearer's tokenRequest:
    // refused when nothing answered (the transport failure's kind) or no access token came back
    // (SessionTokenRefused).
    static Result<QByteArray> lifecycleAccessToken(const TokenResult& token);
    // Asks the token endpoint over the profile's transport (mutual TLS for tls_client_auth). Kept
    // in the history like every request (written before it leaves, completed with the answer);
    // record = false only when the user asked not to keep it (dcrctl client --no-history).
    void requestToken(const Profile& profile, const TokenRequestSpec& spec,
                      std::function<void(const TokenResult&)> callback, bool record = true);
    // What the history says about a client: its newest evidence among the rows before
    // `beforeRow` (0: all), nullopt when the history knows no answer about it.
    std::optional<ClientEvidence> clientEvidence(const QString& profile, const QString& clientId,
                                                 qint64 beforeRow = 0) const;
    // GET, PUT or DELETE a registered client: its registration_client_uri when the ASPSP gave
    // one, authorised with the given bearer token. A PUT sends requestBody (a plan's body) in the
    // profile's body format.
    Result<SubmissionPlan>
    planClientOperation(const Profile& profile, RegistrationOperation operation,
                        const QString& clientId, const QByteArray& accessToken,
                        const QByteArray& requestBody = {}, const QUrl& registrationClientUri = {});
    // Where a profile's bearer tokens may go (TokenOrigin.h): its registration endpoint's origin,
    // those of a discovery document fetched for it in this session, and the profile's own list.
    // planClientOperation refuses any other destination (the plan's refusal: recorded, not sent).
    TokenOrigins tokenOrigins(const Profile& profile) const;

    // --- history: the session owns storage; front ends ask here
    bool hasHistory() const { return m_history != nullptr; }
    // The same queries on their own thread and connection, for views that must not wait.
    HistoryReader* historyReader() const;
    // The console's History location setting (a file or postgresql:// URL; empty: the default).
    // Checked before it is saved (a password in a URL is refused); --history-db and
    // DCR_HISTORY_DB win over it; it applies from the next start of each program.
    static constexpr auto HistoryLocationSetting = "history/location";
    Status setHistoryLocationSetting(const QString& location);
    QString historyLocationSetting() const;
    // Where the history is, as it may be shown (a password typed into a URL is hidden).
    QString historyLocation() const { return HistoryLocation::redacted(m_paths.historyDb); }
    Result<HistoryPage> historyPage(const HistoryQuery& query,
                                    const std::optional<HistoryCursor>& after = std::nullopt,
                                    int limit = 50) const;
    Result<qint64> historyCount(const HistoryQuery& query = {}) const;
    Result<SubmissionRecord> historyRecord(qint64 id) const;
    Status removeHistory(const QList<qint64>& ids);
    Status setHistoryNote(qint64 id, const QString& note, const QStringList& tags);
    Status forgetHistorySecrets(const QList<qint64>& ids);
    Result<QByteArray> exportHistoryJson(const QList<qint64>& ids, bool revealSecrets) const;
    Result<QString> exportHistoryCurl(const QList<qint64>& ids) const;
    // A shared history: submissions kept on this machine because its server was unreachable
    // ("N submissions not yet shared"); they are uploaded when it returns (tried every
    // ShareRetryMs and after each submission). Always 0 for a SQLite history.
    static constexpr int ShareRetryMs = SharedHistoryLink::ShareRetryMs;
    // Tests shorten it (before open()).
    void setShareRetryMs(int ms) { m_shareRetryMs = ms; }
    // A shared history's link to its server, as the session last learnt it (always Connected on
    // SQLite), and why it is not connected, as the user should read it.
    HistoryStore::Connection historyConnection() const;
    // While the login is refused: how long after the last refusal the next probe waits (it
    // doubles with each refusal, from ShareRetryMs up to MaxLoginRetryMs). 0 otherwise.
    static constexpr int MaxLoginRetryMs = SharedHistoryLink::MaxLoginRetryMs;
    int loginRetryMs() const;
    QString historyConnectionProblem() const;
    qint64 unsharedCount() const;
    // A shared history: where this machine keeps the clear secrets of its rows (the desktop
    // keychain, or the local file when no keychain service runs). Empty for a SQLite history.
    QString historySecretStore() const {
        return m_history ? m_history->localSecretStore() : QString();
    }
    // A shared history: waits at most timeoutMs for the desktop keychain to take the secrets
    // written (and delete those forgotten) in this session; dcrctl calls it before it exits.
    // Runs the event loop: only at a program's top level, never inside another call.
    Status flushHistorySecrets(int timeoutMs) {
        return m_history ? m_history->flushSecrets(timeoutMs) : Status{};
    }
    // Tries to upload the outbox now; returns what is still not shared.
    qint64 shareHistoryOutbox();

    // --- what a team shares besides history rows (#25.4): a shared (PostgreSQL) history only
    // Whether the history is a team history (whether or not its server answers now): what the
    // console's team actions are enabled by.
    bool hasTeamHistory() const { return m_history && m_history->isShared(); }
    // Shares a finished run's summary (TeamEvidence: masked once more, stamped with this
    // session's writer identity); false: the team already had it.
    Result<bool> shareTestRun(const TeamRun& run);
    // The newest runs the team shares; dcrctl's reads (the console asks historyReader()).
    Result<QList<TeamRun>> teamRuns(int limit = 200) const;
    Result<TeamRun> teamRun(const QString& runId) const;
    // Publishes a local profile (ProfilePublication: secrets stripped or refused); returns what
    // was stripped. A name the team already has is refused unless replace.
    Result<QStringList> publishProfile(const QString& name, bool replace = false);
    Result<QList<TeamProfile>> teamProfiles() const;
    // Saves a published profile as a local one named asName (empty: its published name). Never
    // overwrites: a local profile of that name is refused, and the error says to pick another.
    Result<Profile> importTeamProfile(const QString& name, const QString& asName = {});
    // The same for a published profile already read (the console reads them on its reader thread).
    Result<Profile> importTeamProfile(const TeamProfile& published, const QString& asName);

    // --- fetches over the profile's transport; callbacks run later from the event loop
    void fetchJwks(const Profile& profile, const QUrl& url,
                   std::function<void(const Result<JwkSet>&)> callback);
    // A JWKS at a URL taken from a received file (an SSA's software_jwks_endpoint): nothing of a
    // profile is used for a URL a stranger chose. Default TLS (the system's CAs, as Qt's default
    // configuration holds them), verification on whatever any profile says, no client certificate
    // (so no passphrase prompt, no embedded sandbox started), the default timeout and size caps.
    // Its own client and cache, so an answer fetched over a profile's transport is never reused.
    void fetchJwksAnonymously(const QUrl& url, std::function<void(const Result<JwkSet>&)> callback);
    // Looks the configuration up (the form's supported values); not kept in the history.
    void fetchDiscovery(const Profile& profile,
                        std::function<void(const DiscoveryOutcome&)> callback);
    // Where a profile's OpenID configuration is: the embedded sandbox's own, or the profile's.
    QUrl discoveryUrl(const Profile& profile) const;
    // The same GET as a plan to submit() and so to keep in the history (a test plan's DCR-001).
    Result<SubmissionPlan> planDiscovery(const Profile& profile);

signals:
    void submissionFinished(quint64 id, const dcr::SubmissionResult& result);
    void historyChanged();
    // The number of submissions not yet shared changed (0: everything is on the server).
    void unsharedChanged(qint64 count);
    void historyConnectionChanged();
    // What the user should know that happened after open(): the shared history connected, was
    // found away, refused the login, or an old history was imported once it connected.
    void historyNotice(const dcr::Notice& notice);
    void profilesChanged();

private:
    void ensureSandboxProfiles();
    Status requireHistory() const;
    // Calls done with the exchange of the client's request once it finished.

    AppPaths m_paths;
    PassphraseSource* m_passphrases = nullptr;
    std::unique_ptr<QSettings> m_settings;
    HistoryStore* m_history = nullptr; // SessionHistory's store, once open
    SandboxServer* sandboxFor(const Profile& profile) const;
    RegistrationClient* m_client;
    Submitter* m_submitter = nullptr;  // records every attempt
    Submitter* m_unrecorded = nullptr; // --no-history
    TokenSubmitter* m_tokens;          // records every token request
    SessionDiscovery* m_discovery;     // discovery documents and JWKS
    bool m_connectInBackground = false;
    bool m_historyWanted = true;
    WriterIdentity m_writer;
    int m_shareRetryMs = ShareRetryMs;
    std::unique_ptr<KeyCache> m_keys;
    std::unique_ptr<EmbeddedSandboxes> m_sandboxes;
    SessionHistory* m_sessionHistory;
};

} // namespace dcr
