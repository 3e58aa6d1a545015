#include "Session.h"

#include "EcosystemPreset.h"
#include "EmbeddedSandboxes.h"
#include "KeyCache.h"
#include "LegacyImport.h"
#include "ProfilePublication.h"
#include "SessionDiscovery.h"
#include "SessionHistory.h"
#include "TokenSubmitter.h"

#include "common/PrivateFiles.h"
#include "history/HistoryReader.h"
#include "jose/Jwk.h"
#include "jose/Pkcs11Uri.h"
#include "registration/SpecVersion.h"
#include "sandbox/SandboxServer.h"
#include "transport/EndpointUrl.h"
#include "transport/ProfileTarget.h"
#include "transport/RegistrationClient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>

namespace dcr {

Session::Session(AppPaths paths, QObject* parent)
    : QObject(parent)
    , m_paths(std::move(paths))
    , m_client(new RegistrationClient(this))
    , m_tokens(new TokenSubmitter(m_client, this))
    , m_discovery(new SessionDiscovery(
          m_client, [this](const Profile& p) { return transportFor(p); },
          [this](const Profile& p) {
              SandboxServer* server = sandboxFor(p);
              return server ? server->baseUrl() : QUrl();
          },
          this))
    , m_keys(std::make_unique<KeyCache>())
    , m_sandboxes(std::make_unique<EmbeddedSandboxes>(m_paths.sandboxKitDir))
    , m_sessionHistory(new SessionHistory(this)) {}

Session::~Session() = default;

void Session::setPassphraseSource(PassphraseSource* source) {
    m_passphrases = source;
    m_keys->setPassphraseSource(source);
}

Notices Session::open() {
    Notices notices;
    // The settings hold the profiles (paths, URLs, choices): the owner's only, whatever the umask.
    // QSettings keeps the mode of the file it rewrites, so the file is made 0600 first.
    if (auto folder = makePrivateFolder(QFileInfo(m_paths.settingsFile).absolutePath()); !folder)
        notices << Notice{Notice::Level::Error, folder.error().message};
    else if (auto file = makePrivateFile(m_paths.settingsFile); !file)
        notices << Notice{Notice::Level::Error, file.error().message};
    m_settings = std::make_unique<QSettings>(m_paths.settingsFile, QSettings::IniFormat);
    LegacyImport::settings(m_paths.legacyConsoleSettingsFile, m_paths.settingsFile, *m_settings,
                           notices);
    ensureSandboxProfiles();

    if (m_paths.historyDbIsDefault && !historyLocationSetting().isEmpty())
        m_paths.historyDb = historyLocationSetting();
    connect(m_sessionHistory, &SessionHistory::changed, this, &Session::historyChanged);
    connect(m_sessionHistory, &SessionHistory::unsharedChanged, this, &Session::unsharedChanged);
    connect(m_sessionHistory, &SessionHistory::connectionChanged, this,
            &Session::historyConnectionChanged);
    connect(m_sessionHistory, &SessionHistory::notice, this, &Session::historyNotice);
    if (m_historyWanted) {
        m_sessionHistory->open(m_paths, m_connectInBackground, m_shareRetryMs, notices, m_writer);
        m_history = m_sessionHistory->store();
    }
    m_submitter = new Submitter(m_client, m_history, this);
    m_unrecorded = new Submitter(m_client, nullptr, this);
    m_tokens->setHistory(m_history);
    for (Submitter* submitter : {m_submitter, m_unrecorded})
        connect(submitter, &Submitter::finished, this, [this](quint64 id, SubmissionResult r) {
            if (m_history && !m_history->serverUnreachable())
                linkAlreadyRegistered(r.outcome, *m_history, r.plan);
            if (r.plan.operation == RegistrationOperation::Discovery)
                m_discovery->remember(DiscoveryOutcome::from(r.plan.url, r.exchange));
            emit submissionFinished(id, r);
            if (r.historyId != 0)
                emit historyChanged();
            m_sessionHistory->noteUnsharedChange();
        });
    return notices;
}

HistoryStore::Connection Session::historyConnection() const {
    return m_sessionHistory->connection();
}

QString Session::historyConnectionProblem() const {
    return m_sessionHistory->connectionProblem();
}

int Session::loginRetryMs() const {
    return m_sessionHistory->loginRetryMs();
}

HistoryReader* Session::historyReader() const {
    return m_sessionHistory->reader();
}

qint64 Session::unsharedCount() const {
    return m_sessionHistory->unsharedCount();
}

void Session::ensureSandboxProfiles() {
    EmbeddedSandboxes::ensureProfiles(
        *m_settings, m_paths.sandboxKitDir,
        {QString::fromLatin1(SandboxProfileName), QString::fromLatin1(ObieSandboxProfileName),
         QString::fromLatin1(OfbSandboxProfileName), QString::fromLatin1(CdrSandboxProfileName)});
}

QList<Profile> Session::profiles() const {
    return m_settings ? ProfileStore(*m_settings).all() : QList<Profile>();
}

std::optional<Profile> Session::profile(const QString& name) const {
    return m_settings ? ProfileStore(*m_settings).find(name) : std::nullopt;
}

Status Session::saveProfile(const Profile& profile) {
    if (auto saved = ProfileStore(*m_settings).save(profile); !saved)
        return saved;
    emit profilesChanged();
    return {};
}

void Session::removeProfile(const QString& name) {
    ProfileStore(*m_settings).remove(name);
    emit profilesChanged();
}

bool Session::sandboxRunning(SandboxMode mode) const {
    return m_sandboxes->running(mode);
}

SandboxServer* Session::sandbox(SandboxMode mode) const {
    return m_sandboxes->server(mode);
}

const std::optional<SandboxKit>& Session::sandboxKit() const {
    return m_sandboxes->kit();
}

SandboxServer* Session::sandboxFor(const Profile& profile) const {
    if (!profile.embeddedSandbox)
        return nullptr;
    return sandbox(profile.sandboxMode);
}

Status Session::startSandbox(SandboxMode mode) {
    return m_sandboxes->start(mode, *m_settings);
}

Result<KeyMaterial> Session::loadSigningKey(const QString& path, const QString& pkcs11Module,
                                            KeyPrompt keyPrompt) {
    return m_keys->signingKey(path, pkcs11Module, keyPrompt);
}

Result<SigningSetup> Session::signingSetup(const Profile& profile, std::optional<JwsAlgorithm> alg,
                                           KeyPrompt keyPrompt) {
    if (profile.signingKeyPath.isEmpty())
        return Error{ErrorKind::SessionNoSigningKey,
                     tr("profile \"%1\" has no signing key: load one or set it in the profile")
                         .arg(profile.name)};
    if (profile.embeddedSandbox)
        if (auto ok = startSandbox(profile.sandboxMode); !ok) // the kit holds the key
            return ok.error();
    auto material = loadSigningKey(profile.signingKeyPath, profile.pkcs11Module, keyPrompt);
    if (!material)
        return material.error();
    return signingSetupFor(material->privateKey, alg, profile.signingKid,
                           withoutPinValue(profile.signingKeyPath));
}

Result<TransportSettings> Session::transportFor(const Profile& profile) {
    // A name in its settings this version cannot read: nothing is sent under a guessed contract.
    if (auto readable = profile.readable(); !readable)
        return readable.error();
    // A number out of range would overflow the millisecond timeout: nothing is sent with it.
    if (profile.timeoutSeconds < Profile::MinTimeoutSeconds ||
        profile.timeoutSeconds > Profile::MaxTimeoutSeconds)
        return Error{ErrorKind::InputUnreadable,
                     tr("profile \"%1\": timeout_seconds must be a whole number of seconds from %2 "
                        "to %3; fix it in the profile (dcrctl profile add or the Profiles dialog)")
                         .arg(profile.name)
                         .arg(Profile::MinTimeoutSeconds)
                         .arg(Profile::MaxTimeoutSeconds)};
    if (profile.embeddedSandbox)
        if (auto ok = startSandbox(profile.sandboxMode); !ok) // the kit holds the certificates
            return ok.error();
    auto loaded = m_keys->transport(profile);
    if (!loaded)
        return loaded.error();
    TransportSettings settings = *loaded;
    settings.insecure = profile.insecure;
    settings.timeoutMs = profile.timeoutSeconds * 1000;
    settings.tlsPolicy = profile.usesFapi() ? TlsPolicy::Fapi : TlsPolicy::Standard;
    return settings;
}

QUrl Session::registrationEndpoint(const Profile& profile) const {
    if (SandboxServer* server = sandboxFor(profile))
        return QUrl(server->baseUrl().toString() + server->aspsp().registrationPath());
    return profile.registrationUrl;
}

PreflightOptions Session::preflightOptions(const Profile& profile,
                                           const SupportedValues& supported) {
    PreflightOptions options = preflightOptionsFor(profile, supported);
    // Only material already loaded: preflight never asks for a passphrase.
    if (auto loaded = m_keys->loadedTransport(profile))
        options.transportCertificate = loaded->clientCertificate;
    return options;
}

Result<RequestBodyFormat> Session::checkTarget(const Profile& profile) {
    return checkProfileTarget(profile);
}

Result<Target> Session::target(const Profile& profile) {
    if (auto readable = profile.readable(); !readable) // said as is, not as a certificate's
        return readable.error();
    auto transport = transportFor(profile);
    if (!transport)
        return Error{transport.error().kind,
                     tr("transport certificate: %1").arg(transport.error().message)};
    const auto format = checkTarget(profile);
    if (!format)
        return format.error();
    Target t;
    t.profileName = profile.name;
    t.endpoint = registrationEndpoint(profile);
    t.aud = profile.aud;
    t.contentType = profile.contentType;
    t.bodyFormat = *format;
    t.transport = *transport;
    // A registration carries the software statement and its answer a client_secret and a
    // registration access token: over plain HTTP both cross the network in clear (RFC 7591 §3:
    // the endpoint "MUST be protected by a transport-layer security mechanism"). Only a profile
    // marked insecure (a test bank) may use it.
    if (t.endpoint.scheme() == QLatin1String("http") && !profile.insecure)
        return Error{ErrorKind::InputUnreadable,
                     tr("%1 %2 is plain http: a registration and the secrets in its answer would "
                        "cross the network in clear (RFC 7591 §3 requires TLS); use https, or "
                        "mark the profile insecure if this is a test bank (dcrctl --insecure)")
                         .arg(profile.name.isEmpty()
                                  ? tr("the registration URL")
                                  : tr("profile \"%1\": the registration URL").arg(profile.name),
                              t.endpoint.toString())};
    return t;
}

std::function<QString(const QString&)> Session::softwareStatementMinter(const Profile& profile) {
    const SandboxMode mode = profile.sandboxMode;
    if (!profile.embeddedSandbox || (mode != SandboxMode::Ofb && mode != SandboxMode::Cdr))
        return {};
    if (auto ok = startSandbox(mode); !ok || !sandboxKit()) // the kit holds the directory key
        return {};
    // Only the kit's own SSA is refreshed: one the user brought (a foreign or deliberately stale
    // one, to see the sandbox refuse it) is sent as given.
    return [kit = *sandboxKit(), mode](const QString& current) {
        if (!kit.signedSoftwareStatement(current.toLatin1()))
            return current;
        const auto ssa = kit.mintSoftwareStatement(mode, QDateTime::currentDateTimeUtc());
        return ssa ? QString::fromLatin1(*ssa) : current;
    };
}

Result<SubmissionPlan> Session::planRegistration(const RegistrationRequest& given,
                                                 const Profile& profile, const ClaimsPolicy& policy,
                                                 std::optional<JwsAlgorithm> alg) {
    RegistrationRequest draft = given;
    if (const auto mint = softwareStatementMinter(profile);
        mint && draft.has(QStringLiteral("software_statement")))
        draft.setString(QStringLiteral("software_statement"), mint(draft.softwareStatement()));
    if (profile.bodyFormat == RequestBodyFormat::Json) {
        // RFC 7591 §3.1 metadata: nothing is signed, so no signing key (or passphrase) is asked.
        auto where = target(profile);
        if (!where)
            return where.error();
        return dcr::planJsonRegistration(draft, *where);
    }
    auto signing = signingSetup(profile, alg);
    if (!signing)
        return signing.error();
    auto where = target(profile);
    if (!where)
        return where.error();
    return dcr::planRegistration(draft, *signing, policy, *where, QDateTime::currentDateTimeUtc());
}

Status Session::requireHistory() const {
    if (!m_history && !m_historyWanted)
        return Error{ErrorKind::StorageUnavailable,
                     tr("the history was not opened for this command (--no-history)")};
    if (!m_history)
        return Error{ErrorKind::StorageUnavailable,
                     tr("the history at %1 is unavailable").arg(historyLocation())};
    return {};
}

Result<quint64> Session::submit(const SubmissionPlan& plan, bool record) {
    if (!m_submitter)
        return Error{ErrorKind::SessionNotReady, tr("the session is not open")};
    if (!record)
        return m_unrecorded->submit(plan);
    if (auto ok = requireHistory(); !ok)
        return Error{
            ok.error().kind,
            tr("not sent, because every attempt must be recorded and %1").arg(ok.error().message)};
    auto id = m_submitter->submit(plan);
    if (id)
        emit historyChanged(); // the "sending" row exists now
    return id;
}

Result<QList<LostRegistration>> Session::lostRegistrationsFor(const SubmissionPlan& plan) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return lostRegistrationsBefore(*m_history, plan);
}

void Session::cancel(quint64 id) {
    m_client->cancel(id); // ids are unique across both submitters: they share the client
}

bool Session::isPending(quint64 id) const {
    return (m_submitter && m_submitter->isPending(id)) ||
           (m_unrecorded && m_unrecorded->isPending(id));
}

Status Session::setHistoryLocationSetting(const QString& location) {
    if (!m_settings)
        return Error{ErrorKind::SessionNotReady, tr("the session is not open")};
    const QString trimmed = location.trimmed();
    if (trimmed.isEmpty()) {
        m_settings->remove(QString::fromLatin1(HistoryLocationSetting));
        return {};
    }
    auto parsed = HistoryLocation::parse(trimmed);
    if (!parsed)
        return parsed.error();
    m_settings->setValue(QString::fromLatin1(HistoryLocationSetting), trimmed);
    m_settings->sync();
    return {};
}

QString Session::historyLocationSetting() const {
    return m_settings ? m_settings->value(QString::fromLatin1(HistoryLocationSetting)).toString()
                      : QString();
}

qint64 Session::shareHistoryOutbox() {
    return m_sessionHistory->shareOutbox();
}

Result<HistoryPage> Session::historyPage(const HistoryQuery& query,
                                         const std::optional<HistoryCursor>& after,
                                         int limit) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->page(query, after, limit);
}

Result<qint64> Session::historyCount(const HistoryQuery& query) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->count(query);
}

Result<SubmissionRecord> Session::historyRecord(qint64 id) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->get(id);
}

Status Session::removeHistory(const QList<qint64>& ids) {
    if (auto ok = requireHistory(); !ok)
        return ok;
    auto ok = m_history->remove(ids);
    emit historyChanged();
    return ok;
}

Status Session::setHistoryNote(qint64 id, const QString& note, const QStringList& tags) {
    if (auto ok = requireHistory(); !ok)
        return ok;
    auto ok = m_history->setNote(id, note, tags);
    emit historyChanged();
    return ok;
}

Status Session::forgetHistorySecrets(const QList<qint64>& ids) {
    if (auto ok = requireHistory(); !ok)
        return ok;
    auto ok = m_history->forgetSecrets(ids);
    emit historyChanged();
    return ok;
}

Result<QByteArray> Session::exportHistoryJson(const QList<qint64>& ids, bool revealSecrets) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->exportJson(ids, revealSecrets);
}

Result<QString> Session::exportHistoryCurl(const QList<qint64>& ids) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->exportCurl(ids);
}

Result<QList<RegisteredClient>> Session::registeredClients(const QString& profile) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    auto rows = m_history->clientRecords(profile);
    if (!rows)
        return rows.error();
    return deriveRegisteredClients(*rows);
}

Result<QList<LostRegistration>> Session::lostRegistrations(const QString& profile) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return readLostRegistrations(*m_history, LostRegistrationScope{profile, {}, {}});
}

std::optional<QByteArray> Session::registrationAccessToken(const QString& profile,
                                                           const QString& clientId) const {
    if (!m_history)
        return std::nullopt;
    auto rows = m_history->clientRecords(profile);
    if (!rows)
        return std::nullopt;
    return newestRegistrationAccessToken(*rows, profile, clientId);
}

QUrl Session::tokenEndpoint(const Profile& profile) const {
    if (!profile.tokenEndpoint.isEmpty())
        return profile.tokenEndpoint;
    if (SandboxServer* server = sandboxFor(profile))
        return server->aspsp().tokenEndpoint();
    return {};
}

Result<TokenRequestSpec> Session::tokenRequestFor(const Profile& profile, const QString& clientId,
                                                  std::optional<ClientAuthMethod> method,
                                                  const QByteArray& clientSecret) {
    if (auto readable = profile.readable(); !readable) // e.g. its token_auth_method
        return readable.error();
    TokenRequestSpec spec;
    spec.tokenEndpoint = tokenEndpoint(profile);
    spec.clientId = clientId;
    spec.method = method.value_or(profile.tokenAuthMethod);
    spec.scopes = profile.tokenScope.split(u' ', Qt::SkipEmptyParts);
    // The CDR's data holder refuses a management token without cdr:registration (403).
    if (profile.lifecycleAuth == LifecycleAuth::Cdr &&
        !spec.scopes.contains(cdrRegistrationScope()))
        spec.scopes << cdrRegistrationScope();
    spec.clientSecret = clientSecret;
    if (spec.method == ClientAuthMethod::PrivateKeyJwt) {
        auto signing = signingSetup(profile);
        if (!signing)
            return signing.error();
        spec.signing = *signing;
    }
    return spec;
}

Result<LifecycleBearer> Session::lifecycleBearer(const Profile& profile, const QString& clientId,
                                                 const LifecycleBearerOptions& options) {
    if (auto readable = profile.readable(); !readable) // no token under a guessed method
        return readable.error();
    LifecycleBearer bearer;
    if (!options.clientCredentials && profile.lifecycleAuth == LifecycleAuth::Rfc7592) {
        const auto token = registrationAccessToken(profile.name, clientId);
        if (!token || token->isEmpty())
            return Error{ErrorKind::InputUnreadable,
                         tr("no registration_access_token for client %1 in the history of "
                            "profile \"%2\"")
                             .arg(clientId, profile.name)};
        bearer.registrationAccessToken = *token;
        return bearer;
    }
    if (tokenEndpoint(profile).isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     tr("the profile has no token endpoint for the client_credentials token (give "
                        "one, or authorise the lifecycle with the registration access token)")};
    auto spec = tokenRequestFor(profile, clientId, options.method, options.clientSecret);
    if (!spec)
        return Error{spec.error().kind, tr("no token request: %1").arg(spec.error().message)};
    bearer.tokenRequest = *spec;
    if (options.scopes)
        bearer.tokenRequest->scopes = *options.scopes;
    return bearer;
}

Result<QByteArray> Session::lifecycleAccessToken(const TokenResult& token) {
    if (!token.exchange.completed())
        return Error{token.exchange.failure->kind,
                     tr("token request failed: %1").arg(token.exchange.failure->message)};
    if (!token.response.ok || token.response.accessToken.isEmpty())
        return Error{
            ErrorKind::SessionTokenRefused,
            token.refusalReason.isEmpty()
                ? tr("no access token: %1").arg(token.response.summary())
                : tr("no access token: %1; %2").arg(token.response.summary(), token.refusalReason)};
    return token.response.accessToken;
}

void Session::requestToken(const Profile& profile, const TokenRequestSpec& spec,
                           std::function<void(const TokenResult&)> callback, bool record) {
    auto fail = [this, callback](const Error& e) {
        TokenResult result;
        result.exchange.failure = e;
        QTimer::singleShot(0, this, [callback, result] { callback(result); });
    };
    auto transport = transportFor(profile);
    if (!transport)
        return fail(Error{transport.error().kind,
                          tr("transport certificate: %1").arg(transport.error().message)});
    auto request = buildTokenRequest(spec, QDateTime::currentDateTimeUtc());
    if (!request)
        return fail(request.error());
    // Write-ahead, as every request: never one the history does not hold.
    auto sent = m_tokens->submit(
        profile.name, spec, *request, *transport, record,
        [this, callback, profile = profile.name, clientId = spec.clientId](TokenResult result) {
            if (result.historyId != 0) {
                emit historyChanged();
                m_sessionHistory->noteUnsharedChange();
            }
            if (result.exchange.completed() && !result.response.ok)
                result.refusalReason =
                    tokenRefusalReason(clientEvidence(profile, clientId, result.historyId));
            callback(result);
        });
    if (!sent)
        return fail(sent.error());
}

std::optional<ClientEvidence>
Session::clientEvidence(const QString& profile, const QString& clientId, qint64 beforeRow) const {
    if (!m_history)
        return std::nullopt;
    auto rows = m_history->clientRecords(profile);
    return rows ? newestClientEvidence(*rows, clientId, beforeRow) : std::nullopt;
}

Result<SubmissionPlan>
Session::planClientOperation(const Profile& profile, RegistrationOperation operation,
                             const QString& clientId, const QByteArray& accessToken,
                             const QByteArray& requestBody, const QUrl& registrationClientUri) {
    auto where = target(profile);
    if (!where)
        return where.error();
    QUrl uri = registrationClientUri;
    if (uri.isEmpty())
        if (auto clients = registeredClients(profile.name))
            for (const auto& c : *clients)
                if (c.clientId == clientId)
                    uri = c.registrationClientUri;
    QByteArray body = requestBody;
    // RFC 7592 §2.2 (the update names its client_id) for a signed body too; a JSON body gets it
    // in planClientOperation.
    if (operation == RegistrationOperation::Update &&
        profile.lifecycleAuth == LifecycleAuth::Rfc7592 &&
        where->bodyFormat != RequestBodyFormat::Json) {
        auto named = updateJwtWithClientId(
            requestBody, clientId, [&](JwsAlgorithm alg) { return signingSetup(profile, alg); });
        if (!named)
            return named.error();
        body = *named;
    }
    auto plan = dcr::planClientOperation(operation, clientId, uri, accessToken, body, *where);
    // The one origin rule of every client operation (console, dcrctl client, a test run's
    // lifecycle steps): a refused plan is still submitted, so the attempt is recorded, but
    // nothing leaves.
    if (plan && !accessToken.isEmpty())
        if (auto allowed = checkTokenDestination(plan->url, tokenOrigins(profile)); !allowed)
            plan->refusal = allowed.error();
    return plan;
}

TokenOrigins Session::tokenOrigins(const Profile& profile) const {
    TokenOrigins origins;
    origins.registrationEndpoint = registrationEndpoint(profile);
    origins.discovered = m_discovery->discoveredEndpoints(profile);
    origins.allowed = profile.tokenOrigins;
    origins.insecure = profile.insecure;
    return origins;
}

void Session::fetchJwks(const Profile& profile, const QUrl& url,
                        std::function<void(const Result<JwkSet>&)> callback) {
    m_discovery->fetchJwks(profile, url, std::move(callback));
}

void Session::fetchJwksAnonymously(const QUrl& url,
                                   std::function<void(const Result<JwkSet>&)> callback) {
    m_discovery->fetchJwksAnonymously(url, std::move(callback));
}

QUrl Session::discoveryUrl(const Profile& profile) const {
    return m_discovery->discoveryUrl(profile);
}

Result<SubmissionPlan> Session::planDiscovery(const Profile& profile) {
    return m_discovery->planDiscovery(profile);
}

void Session::fetchDiscovery(const Profile& profile,
                             std::function<void(const DiscoveryOutcome&)> callback) {
    m_discovery->fetchDiscovery(profile, std::move(callback));
}

// --- what a team shares

Result<bool> Session::shareTestRun(const TeamRun& run) {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->shareTestRun(run);
}

Result<QList<TeamRun>> Session::teamRuns(int limit) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->teamRuns(limit);
}

Result<TeamRun> Session::teamRun(const QString& runId) const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->teamRun(runId);
}

Result<QStringList> Session::publishProfile(const QString& name, bool replace) {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    const auto local = profile(name);
    if (!local)
        return Error{ErrorKind::SessionUnknownProfile,
                     tr("there is no local profile \"%1\" to publish").arg(name)};
    auto form = ProfilePublication::publishable(*local);
    if (!form)
        return form.error();
    TeamProfile published;
    published.name = name;
    published.profile = form->json;
    if (auto ok = m_history->publishProfile(published, replace); !ok)
        return ok.error();
    return form->removed;
}

Result<QList<TeamProfile>> Session::teamProfiles() const {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    return m_history->teamProfiles();
}

Result<Profile> Session::importTeamProfile(const QString& name, const QString& asName) {
    if (auto ok = requireHistory(); !ok)
        return ok.error();
    auto published = m_history->teamProfile(name);
    if (!published)
        return published.error();
    return importTeamProfile(*published, asName);
}

Result<Profile> Session::importTeamProfile(const TeamProfile& published, const QString& asName) {
    const QString name = asName.isEmpty() ? published.name : asName;
    if (name.trimmed().isEmpty())
        return Error{ErrorKind::InputUnreadable, tr("an imported profile needs a name")};
    if (profile(name))
        return Error{ErrorKind::InputUnreadable,
                     tr("a local profile \"%1\" exists already and is not overwritten; import the "
                        "team's profile under another name (dcrctl: --as NEW)")
                         .arg(name)};
    auto imported = ProfilePublication::imported(published.profile, name);
    if (!imported)
        return imported.error();
    if (auto ok = saveProfile(*imported); !ok)
        return ok.error();
    return imported;
}

} // namespace dcr
