#include "SessionDiscovery.h"

#include "transport/JwksCache.h"
#include "transport/RegistrationClient.h"

#include <QCoreApplication>
#include <QTimer>

namespace dcr {

namespace {

// User-facing text, in the session's translation context.
struct SessionDiscoveryTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Session)
};

} // namespace

SessionDiscovery::SessionDiscovery(RegistrationClient* client, TransportFor transportFor,
                                   SandboxBase sandboxBase, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_transportFor(std::move(transportFor))
    , m_sandboxBase(std::move(sandboxBase))
    , m_jwks(new JwksCache(m_client, JwksTtlSeconds, this))
    , m_anonymousClient(new RegistrationClient(this))
    , m_anonymousJwks(new JwksCache(m_anonymousClient, JwksTtlSeconds, this)) {}

void SessionDiscovery::remember(const DiscoveryOutcome& outcome) {
    if (!outcome.ok())
        return;
    QList<QUrl> endpoints{outcome.document->registrationEndpoint};
    endpoints << outcome.document->mtlsEndpointAliases;
    m_discovered.insert(outcome.url.toString(), endpoints);
}

QList<QUrl> SessionDiscovery::discoveredEndpoints(const Profile& profile) const {
    return m_discovered.value(discoveryUrl(profile).toString());
}

void SessionDiscovery::fetchJwks(const Profile& profile, const QUrl& url,
                                 std::function<void(const Result<JwkSet>&)> callback) {
    // Without the profile's transport (say, its key needs a passphrase the user declined) the
    // JWKS is still fetched, with default TLS settings.
    auto transport = m_transportFor(profile);
    m_client->setTransport(transport ? *transport : TransportSettings());
    m_jwks->fetch(url, std::move(callback));
}

void SessionDiscovery::fetchJwksAnonymously(const QUrl& url,
                                            std::function<void(const Result<JwkSet>&)> callback) {
    // Set on every fetch, not only once: the default is the point, whatever set it before.
    m_anonymousClient->setTransport(TransportSettings());
    m_anonymousJwks->fetch(url, std::move(callback));
}

QUrl SessionDiscovery::discoveryUrl(const Profile& profile) const {
    if (const QUrl base = m_sandboxBase(profile); !base.isEmpty())
        return QUrl(base.toString() + QStringLiteral("/.well-known/openid-configuration"));
    return profile.discoveryUrl;
}

Result<SubmissionPlan> SessionDiscovery::planDiscovery(const Profile& profile) {
    const QUrl url = discoveryUrl(profile);
    if (url.isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     SessionDiscoveryTr::tr(
                         "the profile has no discovery URL (give its OpenID configuration URL, "
                         "https://…/.well-known/openid-configuration)")};
    if (!url.isValid() || url.isRelative())
        return Error{
            ErrorKind::InputUnreadable,
            SessionDiscoveryTr::tr("the profile's discovery URL \"%1\" is not an absolute URL%2")
                .arg(url.toString(),
                     url.isValid() ? QString() : QStringLiteral(": ") + url.errorString())};
    // Never a request without the profile's client identity when it cannot be loaded.
    auto transport = m_transportFor(profile);
    if (!transport)
        return transport.error();
    SubmissionPlan plan;
    plan.operation = RegistrationOperation::Discovery;
    plan.profile = profile.name;
    plan.method = "GET";
    plan.url = url;
    plan.headers = {{"Accept", "application/json"}};
    plan.transport = *transport;
    return plan;
}

void SessionDiscovery::fetchDiscovery(const Profile& profile,
                                      std::function<void(const DiscoveryOutcome&)> callback) {
    auto plan = planDiscovery(profile);
    if (!plan) {
        DiscoveryOutcome none;
        none.error = plan.error();
        QTimer::singleShot(0, this, [callback, none] { callback(none); });
        return;
    }
    const QUrl url = plan->url;
    m_client->setTransport(plan->transport);
    whenFinished(m_client->send(plan->method, url, plan->headers),
                 [this, callback, url](const HttpExchange& e) {
                     const DiscoveryOutcome outcome = DiscoveryOutcome::from(url, e);
                     remember(outcome);
                     callback(outcome);
                 });
}

void SessionDiscovery::whenFinished(quint64 request,
                                    std::function<void(const HttpExchange&)> done) {
    auto* context = new QObject(this);
    connect(m_client, &RegistrationClient::finished, context,
            [request, context, done](quint64 id, const HttpExchange& e) {
                if (id != request)
                    return;
                context->deleteLater();
                done(e);
            });
}

} // namespace dcr
