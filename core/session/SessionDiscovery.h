#pragma once

#include "DiscoveryOutcome.h"
#include "SubmissionPlan.h"
#include "jose/JwkSet.h"
#include "transport/Profile.h"
#include "transport/TransportSettings.h"

#include <QHash>
#include <QObject>
#include <QUrl>

#include <functional>

namespace dcr {

class JwksCache;
class RegistrationClient;
struct HttpExchange;

// What the session fetches to learn about a bank rather than to register with it: its OpenID
// discovery document (remembered, because the endpoints it names are where a token may go) and
// JWKS, over the profile's transport or, for a bank's published keys, anonymously with verified
// TLS. Session owns one and forwards to it.
class SessionDiscovery : public QObject {
    Q_OBJECT
public:
    using TransportFor = std::function<Result<TransportSettings>(const Profile&)>;
    // The base URL of the embedded sandbox serving a profile; empty for a real bank.
    using SandboxBase = std::function<QUrl(const Profile&)>;

    // How long a fetched JWKS is reused before it is fetched again.
    static constexpr int JwksTtlSeconds = 5 * 60;

    SessionDiscovery(RegistrationClient* client, TransportFor transportFor, SandboxBase sandboxBase,
                     QObject* parent = nullptr);

    void fetchJwks(const Profile& profile, const QUrl& url,
                   std::function<void(const Result<JwkSet>&)> callback);
    void fetchJwksAnonymously(const QUrl& url, std::function<void(const Result<JwkSet>&)> callback);
    void fetchDiscovery(const Profile& profile,
                        std::function<void(const DiscoveryOutcome&)> callback);
    QUrl discoveryUrl(const Profile& profile) const;
    Result<SubmissionPlan> planDiscovery(const Profile& profile);
    // The registration endpoint and mTLS aliases of the discovery document fetched for the
    // profile in this session; empty when none was.
    QList<QUrl> discoveredEndpoints(const Profile& profile) const;

    // A discovery document fetched in this session (here, or as a submitted plan such as a test
    // plan's DCR-001) names endpoints a token may go to.
    void remember(const DiscoveryOutcome& outcome);

private:
    void whenFinished(quint64 request, std::function<void(const HttpExchange&)> done);

    RegistrationClient* m_client;
    TransportFor m_transportFor;
    SandboxBase m_sandboxBase;
    JwksCache* m_jwks;
    RegistrationClient* m_anonymousClient; // default TransportSettings, never a profile's
    JwksCache* m_anonymousJwks;
    QHash<QString, QList<QUrl>> m_discovered; // by discovery URL
};

} // namespace dcr
