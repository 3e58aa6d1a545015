#include "Session.h"

#include "EcosystemPreset.h"
#include "KeyUnlocker.h"

#include "common/PrivateFiles.h"
#include "jose/Jwk.h"
#include "jose/Pkcs11Uri.h"
#include "jose/TokenKeys.h"
#include "registration/SpecVersion.h"
#include "sandbox/SandboxServer.h"
#include "transport/EndpointUrl.h"
#include "transport/JwksCache.h"
#include "transport/RegistrationClient.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <algorithm>

namespace dcr {

namespace {

QString stamp() {
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

QString transportCacheKey(const Profile& profile) {
    return profile.transportCertPath + u'\n' + profile.transportKeyPath + u'\n' +
           profile.caBundlePath;
}

bool samePath(const QString& a, const QString& b) {
    const QFileInfo fa(a), fb(b);
    if (fa.exists() && fb.exists())
        return fa.canonicalFilePath() == fb.canonicalFilePath();
    return fa.absoluteFilePath() == fb.absoluteFilePath();
}

} // namespace

Session::Session(AppPaths paths, QObject* parent)
    : QObject(parent)
    , m_paths(std::move(paths))
    , m_client(new RegistrationClient(this))
    , m_jwks(new JwksCache(m_client, 300, this)) {}

Session::~Session() = default;

Notices Session::open() {
    Notices notices;
    // The settings hold the profiles (paths, URLs, choices): the owner's only, whatever the umask.
    // QSettings keeps the mode of the file it rewrites, so the file is made 0600 first.
    if (auto folder = makePrivateFolder(QFileInfo(m_paths.settingsFile).absolutePath()); !folder)
        notices << Notice{Notice::Level::Error, folder.error().message};
    else if (auto file = makePrivateFile(m_paths.settingsFile); !file)
        notices << Notice{Notice::Level::Error, file.error().message};
    m_settings = std::make_unique<QSettings>(m_paths.settingsFile, QSettings::IniFormat);
    importLegacySettings(notices);
    ensureSandboxProfiles();

    if (m_paths.historyDbIsDefault && !historyLocationSetting().isEmpty())
        m_paths.historyDb = historyLocationSetting();
    HistoryOptions historyOptions;
    historyOptions.localPath = m_paths.localHistoryDb;
    // Once a shared server is away, only the reader thread tries it again (see below).
    historyOptions.reconnectInline = false;
    historyOptions.connectAtOpen = !m_connectInBackground;
    auto store = HistoryStore::open(m_paths.historyDb, historyOptions);
    if (store) {
        m_history = std::move(store.value());
        m_reader = new HistoryReader(m_paths.historyDb, historyOptions, this);
        m_connection = m_history->connection();
        m_connectionProblem = m_history->connectionProblem();
        if (!m_history->recoveryNotice().isEmpty())
            notices << Notice{Notice::Level::Error, m_history->recoveryNotice()};
        if (auto n = newlyInterrupted())
            notices << *n;
        // Not connected yet: the import waits for the connection rather than failing now.
        m_importAfterConnect = m_connection == HistoryStore::Connection::NotYetConnected;
        if (!m_importAfterConnect)
            importLegacyHistory(notices);
    } else {
        notices << Notice{Notice::Level::Error,
                          tr("The history at %1 is unavailable, so sending is disabled: %2")
                              .arg(historyLocation(), store.error().message)};
    }
    m_submitter = new Submitter(m_client, m_history.get(), this);
    m_unrecorded = new Submitter(m_client, nullptr, this);
    for (Submitter* submitter : {m_submitter, m_unrecorded})
        connect(submitter, &Submitter::finished, this,
                [this](quint64 id, const SubmissionResult& r) {
                    if (r.plan.operation == RegistrationOperation::Discovery)
                        rememberDiscovery(DiscoveryOutcome::from(r.plan.url, r.exchange));
                    emit submissionFinished(id, r);
                    if (r.historyId != 0)
                        emit historyChanged();
                    noteUnsharedChange();
                });
    if (m_history && m_history->isShared())
        watchSharedHistory(notices);
    return notices;
}

// A connect to a silent host waits connect_timeout: the reader thread probes (at once when the
// console opened without connecting, then every ShareRetryMs while the server is not connected),
// and the session reconnects (quickly, then) and shares the outbox when the server answered.
void Session::watchSharedHistory(Notices& notices) {
    shareHistoryOutbox();
    connect(m_reader, &HistoryReader::answered, this, &Session::onProbeAnswered);
    auto* retry = new QTimer(this);
    connect(retry, &QTimer::timeout, this, [this] {
        if (!m_history->serverUnreachable()) {
            if (m_unshared > 0)
                shareHistoryOutbox();
            return;
        }
        const bool waitingAfterRefusal = m_connection == HistoryStore::Connection::LoginRefused &&
                                         m_sinceLoginRefused.isValid() &&
                                         m_sinceLoginRefused.elapsed() < m_loginRetryMs;
        if (!waitingAfterRefusal)
            probeSharedHistory();
    });
    retry->start(m_shareRetryMs);
    if (m_connection == HistoryStore::Connection::NotYetConnected)
        probeSharedHistory();
    if (m_unshared > 0)
        notices << Notice{Notice::Level::Warning,
                          m_connection == HistoryStore::Connection::LoginRefused
                              ? tr("%n submission(s) not yet shared: they are kept on this "
                                   "machine until the login to the shared history at %1 works.",
                                   nullptr, static_cast<int>(m_unshared))
                                    .arg(historyLocation())
                              : tr("%n submission(s) not yet shared: they are kept on this "
                                   "machine until the shared history at %1 is reachable.",
                                   nullptr, static_cast<int>(m_unshared))
                                    .arg(historyLocation())};
}

// One probe at a time: a newer one supersedes the one in flight in the reader's lane, so on a
// server slower to answer than the retry interval (a scram login under load) no answer would ever
// arrive. A probe unanswered for ProbeAnswerMs (the reader answers every request, this is a
// guard) no longer holds the next one back.
void Session::probeSharedHistory() {
    if (m_probeStarted.isValid() && m_probeStarted.elapsed() < ProbeAnswerMs)
        return;
    m_probeStarted.start();
    m_reader->requestProbe(QStringLiteral("probe"));
}

void Session::onProbeAnswered(const HistoryAnswer& a) {
    if (a.lane != QStringLiteral("probe"))
        return;
    m_probeStarted.invalidate();
    if (a.error && a.error->kind == ErrorKind::StorageLoginRefused) {
        m_loginRetryMs = std::clamp(2 * m_loginRetryMs, m_shareRetryMs, MaxLoginRetryMs);
        m_sinceLoginRefused.start();
    } else {
        m_loginRetryMs = 0;
    }
    if (a.error) {
        setHistoryConnection(a.error->kind == ErrorKind::StorageLoginRefused
                                 ? HistoryStore::Connection::LoginRefused
                                 : HistoryStore::Connection::Unreachable,
                             a.error->message);
        return;
    }
    if (m_history->serverUnreachable()) {
        if (auto ok = m_history->reconnect(); !ok) {
            // The server answered the probe, yet this connection failed (the schema, say): it
            // is not usable, whatever the store's own connection says.
            const auto state = m_history->connection() == HistoryStore::Connection::Connected
                                   ? HistoryStore::Connection::Unreachable
                                   : m_history->connection();
            setHistoryConnection(state, ok.error().message);
            return;
        }
        // The first successful connection swept this user's stale rows on the server (after
        // any number of failed probes).
        if (auto n = newlyInterrupted())
            emit historyNotice(*n);
    }
    if (m_importAfterConnect) {
        m_importAfterConnect = false;
        Notices imported;
        importLegacyHistory(imported);
        for (const Notice& n : imported)
            emit historyNotice(n);
    }
    // Uploaded before the views hear of the connection, so that they read the whole history.
    shareHistoryOutbox();
    setHistoryConnection(HistoryStore::Connection::Connected, {});
    emit historyChanged();
}

std::optional<Notice> Session::newlyInterrupted() {
    const int total = m_history ? m_history->interruptedOnOpen() : 0;
    const int fresh = total - m_interruptedReported;
    m_interruptedReported = total;
    if (fresh <= 0)
        return std::nullopt;
    return Notice{Notice::Level::Warning,
                  tr("%n submission(s) were still being sent when DCR Console last stopped; they "
                     "are kept as \"interrupted\".",
                     nullptr, fresh)};
}

void Session::setHistoryConnection(HistoryStore::Connection connection, const QString& problem) {
    if (connection == m_connection && problem == m_connectionProblem)
        return;
    const HistoryStore::Connection before = m_connection;
    m_connection = connection;
    m_connectionProblem = problem;
    emit historyConnectionChanged();
    if (connection == before)
        return; // the same state in other words (a refused port, then a timeout): no new notice
    switch (connection) {
    case HistoryStore::Connection::LoginRefused:
        emit historyNotice({Notice::Level::Error, HistoryStore::outageNotice(connection, problem)});
        break;
    case HistoryStore::Connection::Unreachable:
        emit historyNotice(
            {Notice::Level::Warning, HistoryStore::outageNotice(connection, problem)});
        break;
    case HistoryStore::Connection::Connected:
        if (before != HistoryStore::Connection::NotYetConnected)
            emit historyNotice(
                {Notice::Level::Info,
                 tr("Connected to the shared history at %1.").arg(historyLocation())});
        break;
    case HistoryStore::Connection::NotYetConnected:
        break;
    }
}

// Versions before the shared session kept the console's settings (and its profiles) in the data
// folder. They are merged into the shared file: a profile or value already there wins.
void Session::importLegacySettings(Notices& notices) {
    const QString legacyPath = m_paths.legacyConsoleSettingsFile;
    if (legacyPath.isEmpty() || !QFile::exists(legacyPath) ||
        samePath(legacyPath, m_paths.settingsFile))
        return;
    int imported = 0;
    {
        QSettings legacy(legacyPath, QSettings::IniFormat);
        ProfileStore current(*m_settings);
        for (const Profile& p : ProfileStore(legacy).all())
            if (!current.find(p.name)) {
                if (auto saved = current.save(p); !saved) {
                    notices << Notice{Notice::Level::Error,
                                      tr("A profile of the older DCR Console was not imported: %1")
                                          .arg(saved.error().message)};
                    continue;
                }
                ++imported;
            }
        for (const QString& key : legacy.allKeys())
            if (!key.startsWith(QStringLiteral("profiles")) && !m_settings->contains(key))
                m_settings->setValue(key, legacy.value(key));
        m_settings->sync();
    }
    const QString moved = legacyPath + QStringLiteral(".imported-") + stamp();
    QFile::rename(legacyPath, moved);
    notices << Notice{Notice::Level::Info,
                      tr("Imported %n profile(s) and the settings of an older DCR Console from %1 "
                         "(kept as %2).",
                         nullptr, imported)
                          .arg(legacyPath, moved)};
}

// dcrctl once kept a history of its own. Its rows are copied into the shared history in one
// transaction; only then is the old file renamed, so a failure loses nothing and is retried on
// the next start.
void Session::importLegacyHistory(Notices& notices) {
    const QString legacyPath = m_paths.legacyCliHistoryDb;
    if (legacyPath.isEmpty() || !QFile::exists(legacyPath) ||
        samePath(legacyPath, m_paths.historyDb))
        return;
    auto rows = m_history->importFrom(legacyPath);
    if (!rows) {
        notices << Notice{Notice::Level::Error,
                          tr("The old dcrctl history at %1 could not be imported (it was left "
                             "untouched and is tried again next time): %2")
                              .arg(legacyPath, rows.error().message)};
        return;
    }
    const QString suffix = QStringLiteral(".imported-") + stamp();
    for (const QString& extra : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        if (QFile::exists(legacyPath + extra))
            QFile::rename(legacyPath + extra, legacyPath + suffix + extra);
    notices << Notice{
        Notice::Level::Info,
        tr("Imported %n submission(s) from the old dcrctl history at %1 (kept as %2).", nullptr,
           static_cast<int>(*rows))
            .arg(legacyPath, legacyPath + suffix)};
    emit historyChanged();
}

void Session::ensureSandboxProfiles() {
    ProfileStore store(*m_settings);
    const QDir kit(m_paths.sandboxKitDir);
    auto sandboxProfile = [&kit](const char* name) {
        Profile p;
        p.name = QString::fromLatin1(name);
        p.embeddedSandbox = true;
        p.aud = QStringLiteral("dcrSandboxAspsp");
        p.directoryIssuer = QStringLiteral("DCR Sandbox Directory");
        p.transportCertPath = kit.filePath(QStringLiteral("tpp-transport.pem"));
        p.transportKeyPath = kit.filePath(QStringLiteral("tpp-transport-key.pem"));
        p.caBundlePath = kit.filePath(QStringLiteral("ca.pem"));
        p.signingKeyPath = kit.filePath(QStringLiteral("tpp-signing-key.pem"));
        return p;
    };
    auto seed = store.find(QString::fromLatin1(SandboxProfileName));
    if (!seed || (seed->embeddedSandbox && seed->specVersion == QStringLiteral("3.1"))) {
        // New, or written by a version that had no spec names (its "3.1" was never read).
        Profile p = sandboxProfile(SandboxProfileName);
        p.registrationUrl =
            QUrl(QStringLiteral("https://localhost") + SandboxAspsp::seedRegisterPath());
        p.specVersion = QStringLiteral("seed");
        p.sandboxMode = QStringLiteral("seed");
        static_cast<void>(store.save(p)); // a fixed, printable name
    }
    if (!store.find(QString::fromLatin1(ObieSandboxProfileName))) {
        Profile p = sandboxProfile(ObieSandboxProfileName);
        p.registrationUrl = QUrl(QStringLiteral("https://localhost/register"));
        p.specVersion = QStringLiteral("obie-3.3");
        p.sandboxMode = QStringLiteral("obie");
        p.lifecycleAuth = QStringLiteral("obie");
        p.tokenAuthMethod = QStringLiteral("tls_client_auth"); // as the demo client registers
        static_cast<void>(store.save(p));                      // a fixed, printable name
    }
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
    return m_sandboxes.count(mode) > 0;
}

SandboxServer* Session::sandbox(SandboxMode mode) const {
    auto it = m_sandboxes.find(mode);
    return it == m_sandboxes.end() ? nullptr : it->second.get();
}

SandboxServer* Session::sandboxFor(const Profile& profile) const {
    if (!profile.embeddedSandbox)
        return nullptr;
    return sandbox(sandboxModeFromName(profile.sandboxMode).value_or(SandboxMode::Seed));
}

Status Session::startSandbox(SandboxMode mode) {
    if (sandboxRunning(mode))
        return {};
    if (!m_kit) {
        auto kit = SandboxKit::loadOrCreate(m_paths.sandboxKitDir);
        if (!kit)
            return kit.error();
        m_kit = *kit;
    }
    // The sandbox keeps the port of its last start when it is free, so that its URL, and with it
    // the history's URLs and filters, stay the same from one session to the next.
    const QString portKey = mode == SandboxMode::Seed ? QStringLiteral("sandbox/port")
                                                      : QStringLiteral("sandbox/port-obie");
    const auto preferred = static_cast<quint16>(m_settings->value(portKey).toUInt());
    auto server = std::make_unique<SandboxServer>(*m_kit, mode);
    auto port = server->start(preferred);
    if (!port && preferred != 0) {
        // A fresh server: the failed listen must not leave anything behind in the new one.
        server = std::make_unique<SandboxServer>(*m_kit, mode);
        port = server->start(0); // taken by someone else: any free port
    }
    if (!port)
        return port.error();
    m_sandboxes[mode] = std::move(server);
    m_settings->setValue(portKey, *port);
    m_settings->sync();
    return {};
}

Result<KeyMaterial> Session::loadSigningKey(const QString& path, const QString& pkcs11Module,
                                            KeyPrompt keyPrompt) {
    if (auto it = m_signingKeys.constFind(path); it != m_signingKeys.constEnd())
        return *it;
    const bool inToken = Pkcs11Uri::looksLike(path);
    QByteArray bytes;
    if (!inToken) {
        auto read = readLocalFile(path);
        if (!read)
            return read.error();
        bytes = *read;
    }
    // A token's PIN is asked like a file's passphrase and kept no longer, but how often it is
    // asked follows the token's own count of wrong PINs (KeyUnlocker).
    Result<KeyMaterial> material =
        Error{ErrorKind::KeyPassphraseRequired, tr("no passphrase was given")};
    const auto load = [&](const QByteArray& secret) -> Status {
        material = inToken ? tokenkeys::loadSigningKey(path, secret, pkcs11Module)
                           : keyloader::loadSigningKey(bytes, secret);
        if (material)
            return {};
        return Error{material.error().kind,
                     inToken ? tr("signing key %1").arg(material.error().message)
                             : tr("signing key %1: %2").arg(path, material.error().message)};
    };
    const QString shown = withoutPinValue(path);
    const PassphrasePrompt prompt{PassphrasePrompt::Purpose::SigningKey,
                                  inToken
                                      ? tr("the token PIN for the signing key %1").arg(shown)
                                      : tr("the signing key %1").arg(QFileInfo(path).fileName()),
                                  shown, false, inToken};
    // Without a source nobody is asked: a locked key fails as if its prompt had been declined.
    const Status unlocked =
        KeyUnlocker(keyPrompt == KeyPrompt::Ask ? m_passphrases : nullptr, tr("signing key"))
            .unlock(prompt, path, pkcs11Module, load);
    if (!unlocked)
        return unlocked.error();
    m_signingKeys.insert(path, *material);
    return material;
}

Result<SigningSetup> Session::signingSetup(const Profile& profile, std::optional<JwsAlgorithm> alg,
                                           KeyPrompt keyPrompt) {
    if (profile.signingKeyPath.isEmpty())
        return Error{ErrorKind::SessionNoSigningKey,
                     tr("profile \"%1\" has no signing key: load one or set it in the profile")
                         .arg(profile.name)};
    if (profile.embeddedSandbox)
        if (auto ok =
                startSandbox(sandboxModeFromName(profile.sandboxMode).value_or(SandboxMode::Seed));
            !ok) // the kit holds the key
            return ok.error();
    auto material = loadSigningKey(profile.signingKeyPath, profile.pkcs11Module, keyPrompt);
    if (!material)
        return material.error();
    SigningSetup s;
    s.key = material->privateKey;
    s.alg =
        alg ? *alg : (s.key.type() == KeyType::EcP256 ? JwsAlgorithm::ES256 : JwsAlgorithm::PS256);
    s.kid = profile.signingKid.isEmpty() ? jwk::thumbprint(s.key) : profile.signingKid;
    s.source = withoutPinValue(profile.signingKeyPath);
    return s;
}

Result<TransportSettings> Session::transportFor(const Profile& profile) {
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
        if (auto ok =
                startSandbox(sandboxModeFromName(profile.sandboxMode).value_or(SandboxMode::Seed));
            !ok) // the kit holds the certificates
            return ok.error();
    const QString cacheKey =
        profile.transportCertPath + u'\n' + profile.transportKeyPath + u'\n' + profile.caBundlePath;
    TransportSettings settings;
    if (auto it = m_transports.constFind(cacheKey); it != m_transports.constEnd()) {
        settings = *it;
    } else {
        Result<TransportSettings> loaded =
            Error{ErrorKind::KeyPassphraseRequired, tr("no passphrase was given")};
        const auto load = [&](const QByteArray& secret) -> Status {
            loaded =
                TransportSettings::fromFiles(profile.transportCertPath, profile.transportKeyPath,
                                             secret, profile.caBundlePath, profile.pkcs11Module);
            return loaded ? Status() : Status(loaded.error());
        };
        const bool inToken = Pkcs11Uri::looksLike(profile.transportKeyPath);
        const PassphrasePrompt prompt{
            PassphrasePrompt::Purpose::TransportKey,
            inToken ? tr("the token PIN for the transport key of profile \"%1\"").arg(profile.name)
                    : tr("the transport key of profile \"%1\"").arg(profile.name),
            withoutPinValue(profile.transportKeyPath.isEmpty() ? profile.transportCertPath
                                                               : profile.transportKeyPath),
            false, inToken};
        const Status unlocked =
            KeyUnlocker(m_passphrases, tr("transport key"))
                .unlock(prompt, profile.transportKeyPath, profile.pkcs11Module, load);
        if (!unlocked)
            return unlocked.error();
        settings = *loaded;
        m_transports.insert(cacheKey, settings);
    }
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
    PreflightOptions options;
    options.spec = specVersionFromName(profile.specVersion).value_or(SpecVersion::Seed);
    if (!profile.directoryIssuer.isEmpty())
        options.directoryIssuers = {profile.directoryIssuer};
    options.expectedAud = profile.aud;
    options.supported = supported;
    options.bodyFormat =
        requestBodyFormatFromName(profile.bodyFormat).value_or(RequestBodyFormat::Jwt);
    if (const EcosystemPreset* preset = findEcosystemPreset(profile.preset)) {
        options.presetName = preset->title;
        options.presetRequiredClaims = preset->requiredClaims;
    }
    // Only material already loaded: preflight never asks for a passphrase.
    if (auto it = m_transports.constFind(transportCacheKey(profile)); it != m_transports.constEnd())
        options.transportCertificate = it->clientCertificate;
    return options;
}

Result<Target> Session::target(const Profile& profile) {
    auto transport = transportFor(profile);
    if (!transport)
        return Error{transport.error().kind,
                     tr("transport certificate: %1").arg(transport.error().message)};
    Target t;
    t.profileName = profile.name;
    t.endpoint = registrationEndpoint(profile);
    t.aud = profile.aud;
    t.contentType = profile.contentType;
    const auto format = requestBodyFormatFromName(profile.bodyFormat);
    if (!format)
        return Error{ErrorKind::InputUnreadable,
                     tr("profile \"%1\": body format \"%2\" is not jwt or json")
                         .arg(profile.name, profile.bodyFormat)};
    t.bodyFormat = *format;
    if (!contentTypeFits(t.bodyFormat, t.contentType))
        return Error{ErrorKind::InputUnreadable,
                     t.bodyFormat == RequestBodyFormat::Json
                         ? tr("a JSON body is sent as application/json (RFC 7591 §3.1), not %1")
                               .arg(QString::fromLatin1(t.contentType))
                         : tr("a signed JWT body is sent as application/jwt or application/jose, "
                              "not %1")
                               .arg(QString::fromLatin1(t.contentType))};
    t.transport = *transport;
    if (t.endpoint.isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     profile.name.isEmpty()
                         ? tr("no registration endpoint: give a URL")
                         : tr("profile \"%1\" has no registration URL").arg(profile.name)};
    if (auto usable = checkEndpointUrl(
            t.endpoint, profile.name.isEmpty()
                            ? tr("the registration URL")
                            : tr("profile \"%1\": the registration URL").arg(profile.name));
        !usable)
        return usable.error();
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

Result<SubmissionPlan> Session::planRegistration(const RegistrationRequest& draft,
                                                 const Profile& profile, const ClaimsPolicy& policy,
                                                 std::optional<JwsAlgorithm> alg) {
    if (profile.bodyFormat == requestBodyFormatName(RequestBodyFormat::Json)) {
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
    if (!m_history)
        return 0;
    auto shared = m_history->shareOutbox();
    if (shared && *shared > 0)
        emit historyChanged();
    noteUnsharedChange();
    return m_unshared;
}

void Session::noteUnsharedChange() {
    const qint64 now = unsharedCount();
    if (now == m_unshared)
        return;
    m_unshared = now;
    emit unsharedChanged(now);
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
    TokenRequestSpec spec;
    spec.tokenEndpoint = tokenEndpoint(profile);
    spec.clientId = clientId;
    if (method) {
        spec.method = *method;
    } else if (auto fromProfile = clientAuthMethodFromName(profile.tokenAuthMethod)) {
        spec.method = *fromProfile;
    } else {
        return Error{ErrorKind::InputUnreadable,
                     tr("profile \"%1\": token auth method \"%2\" is not one of private_key_jwt, "
                        "tls_client_auth, client_secret_basic, client_secret_post")
                         .arg(profile.name, profile.tokenAuthMethod)};
    }
    spec.scopes = profile.tokenScope.split(u' ', Qt::SkipEmptyParts);
    spec.clientSecret = clientSecret;
    if (spec.method == ClientAuthMethod::PrivateKeyJwt) {
        auto signing = signingSetup(profile);
        if (!signing)
            return signing.error();
        spec.signing = *signing;
    }
    return spec;
}

void Session::requestToken(const Profile& profile, const TokenRequestSpec& spec,
                           std::function<void(const TokenResult&)> callback) {
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
    m_client->setTransport(*transport);
    const quint64 id = m_client->send("POST", request->url, request->headers, request->body);
    auto* context = new QObject(this);
    connect(m_client, &RegistrationClient::finished, context,
            [id, context, callback](quint64 finished, const HttpExchange& e) {
                if (finished != id)
                    return;
                context->deleteLater();
                TokenResult result;
                result.exchange = e;
                if (e.completed())
                    result.response =
                        parseTokenResponse(e.status, e.responseHeaders, e.responseBody);
                callback(result);
            });
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
    auto plan =
        dcr::planClientOperation(operation, clientId, uri, accessToken, requestBody, *where);
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
    origins.discovered = m_discovered.value(discoveryUrl(profile).toString());
    origins.allowed = profile.tokenOrigins;
    origins.insecure = profile.insecure;
    return origins;
}

void Session::rememberDiscovery(const DiscoveryOutcome& outcome) {
    if (!outcome.ok())
        return;
    QList<QUrl> endpoints{outcome.document->registrationEndpoint};
    endpoints << outcome.document->mtlsEndpointAliases;
    m_discovered.insert(outcome.url.toString(), endpoints);
}

void Session::fetchJwks(const Profile& profile, const QUrl& url,
                        std::function<void(const Result<JwkSet>&)> callback) {
    // Without the profile's transport (say, its key needs a passphrase the user declined) the
    // JWKS is still fetched, with default TLS settings.
    auto transport = transportFor(profile);
    m_client->setTransport(transport ? *transport : TransportSettings());
    m_jwks->fetch(url, std::move(callback));
}

QUrl Session::discoveryUrl(const Profile& profile) const {
    if (SandboxServer* server = sandboxFor(profile))
        return QUrl(server->baseUrl().toString() +
                    QStringLiteral("/.well-known/openid-configuration"));
    return profile.discoveryUrl;
}

Result<SubmissionPlan> Session::planDiscovery(const Profile& profile) {
    const QUrl url = discoveryUrl(profile);
    if (url.isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     tr("the profile has no discovery URL (give its OpenID configuration URL, "
                        "https://…/.well-known/openid-configuration)")};
    if (!url.isValid() || url.isRelative())
        return Error{ErrorKind::InputUnreadable,
                     tr("the profile's discovery URL \"%1\" is not an absolute URL%2")
                         .arg(url.toString(), url.isValid()
                                                  ? QString()
                                                  : QStringLiteral(": ") + url.errorString())};
    // Never a request without the profile's client identity when it cannot be loaded.
    auto transport = transportFor(profile);
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

void Session::fetchDiscovery(const Profile& profile,
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
    const quint64 request = m_client->send(plan->method, url, plan->headers);
    auto* context = new QObject(this);
    connect(m_client, &RegistrationClient::finished, context,
            [this, request, context, callback, url](quint64 id, const HttpExchange& e) {
                if (id != request)
                    return;
                context->deleteLater();
                const DiscoveryOutcome outcome = DiscoveryOutcome::from(url, e);
                rememberDiscovery(outcome);
                callback(outcome);
            });
}

} // namespace dcr
