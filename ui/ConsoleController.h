#pragma once

#include "history/HistoryStore.h"
#include "jose/KeyMaterial.h"
#include "registration/RequestInspection.h"
#include "sandbox/SandboxServer.h"
#include "transport/JwksCache.h"
#include "transport/Profile.h"
#include "transport/Submitter.h"

#include <QObject>
#include <QSettings>

#include <functional>
#include <memory>

namespace dcr::ui {

struct ConsolePaths {
    QString settingsFile;
    QString historyDb;
    QString sandboxKitDir;
    static ConsolePaths defaults();
};

// The console's state and actions, without widgets: profiles (with the embedded sandbox),
// the signing key, the request being composed, its token and preflight, sending and history.
// Widgets observe it and call it; they never sign, send or query SQL themselves.
class ConsoleController : public QObject {
    Q_OBJECT
public:
    static constexpr auto SandboxProfileName = "Local sandbox";

    explicit ConsoleController(const ConsolePaths& paths, QObject* parent = nullptr);
    ~ConsoleController() override;

    // Opens history, settings and (for the sandbox profile) the in-process sandbox.
    // Problems are reported through notice(); the console still opens.
    void start();

    // Asks the user for a passphrase (the UI installs a dialog; tests a stub). Empty = cancelled.
    using PassphraseProvider = std::function<QByteArray(const QString& what)>;
    void setPassphraseProvider(PassphraseProvider provider) { m_passphrase = std::move(provider); }

    // --- profiles
    QList<Profile> profiles() const;
    const Profile& currentProfile() const { return m_profile; }
    void selectProfile(const QString& name);
    void saveProfile(const Profile& profile);
    void removeProfile(const QString& name);
    QUrl endpoint() const;
    SandboxServer* sandbox() const { return m_sandbox.get(); }
    const std::optional<SandboxKit>& sandboxKit() const { return m_kit; }

    // --- keys (kept in memory only)
    Status loadSigningKey(const QString& path);
    const Key& signingKey() const { return m_signingKey; }
    QString signingKid() const;
    QString signingKeySource() const { return m_signingKeySource; }
    JwsAlgorithm signingAlgorithm() const { return m_alg; }
    void setSigningAlgorithm(JwsAlgorithm alg);
    // The transport certificate of the current profile (loads it, asking for a passphrase if
    // needed).
    Result<TransportSettings> transport();
    Certificate transportCertificate();

    // --- the request
    const RegistrationRequest& request() const { return m_request; }
    void setRequest(const RegistrationRequest& request);
    RegistrationRequest defaultRequest() const;
    void setRequestLifetime(int seconds) { m_lifetime = seconds; }
    int requestLifetime() const { return m_lifetime; }
    // The request with iat/exp refreshed to now and aud from the profile when missing.
    RegistrationRequest requestToSend() const;
    Result<QByteArray> signedToken() const;
    RequestInspection inspect() const;
    void setSsaVerificationKey(const std::optional<VerificationKey>& key) {
        m_ssaKey = key;
        emit requestChanged();
    }
    void setSupportedValues(const SupportedValues& values) {
        m_supported = values;
        emit requestChanged();
    }
    const SupportedValues& supportedValues() const { return m_supported; }

    // Inspecting a received request (bank staff): its token as received.
    Result<RequestInspection>
    inspectReceived(const QByteArray& jwt, const std::optional<VerificationKey>& requestKey) const;

    // --- sending
    Status send();
    Status sendRecorded(const SubmissionRecord& record); // "send again" from history
    void cancelSend();
    bool isSending() const { return m_inFlight != 0; }

    // --- discovery
    void fetchDiscovery();

    HistoryStore* history() const { return m_history.get(); }
    QSettings* settings() const { return m_settings.get(); }
    RegistrationClient* client() const { return m_client; }
    JwksCache* jwksCache() const { return m_jwks; }

signals:
    void profilesChanged();
    void profileChanged();
    void requestChanged();
    void signingKeyChanged();
    void sendStarted();
    void sendFinished(const dcr::SubmissionResult& result);
    void historyChanged();
    void discoveryFetched(const QString& summary);
    void notice(const QString& message, bool isError);

private:
    void ensureSandboxProfile();
    Status startSandbox();
    void onSubmitted(quint64 id, const SubmissionResult& result);

    ConsolePaths m_paths;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<HistoryStore> m_history;
    std::optional<SandboxKit> m_kit;
    std::unique_ptr<SandboxServer> m_sandbox;
    RegistrationClient* m_client;
    Submitter* m_submitter = nullptr;
    JwksCache* m_jwks;
    Profile m_profile;
    std::optional<TransportSettings> m_transport;
    Key m_signingKey;
    QString m_signingKeySource;
    JwsAlgorithm m_alg = JwsAlgorithm::PS256;
    RegistrationRequest m_request;
    int m_lifetime = 300;
    std::optional<VerificationKey> m_ssaKey;
    SupportedValues m_supported;
    PassphraseProvider m_passphrase;
    quint64 m_inFlight = 0;
    quint64 m_discoveryRequest = 0;
};

} // namespace dcr::ui
