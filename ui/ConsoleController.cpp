#include "ConsoleController.h"

#include "jose/Jwk.h"
#include "registration/SoftwareStatement.h"
#include "transport/DiscoveryDocument.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace dcr::ui {

namespace {

QString appData(const QString& name) {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(name);
}

} // namespace

ConsolePaths ConsolePaths::defaults() {
    return {appData(QStringLiteral("dcr-console.ini")), HistoryStore::defaultPath(),
            appData(QStringLiteral("sandbox-kit"))};
}

ConsoleController::ConsoleController(const ConsolePaths& paths, QObject* parent)
    : QObject(parent)
    , m_paths(paths)
    , m_client(new RegistrationClient(this))
    , m_jwks(new JwksCache(m_client, 300, this)) {
    m_passphrase = [](const QString&) { return QByteArray(); };
}

ConsoleController::~ConsoleController() = default;

void ConsoleController::start() {
    m_settings = std::make_unique<QSettings>(m_paths.settingsFile, QSettings::IniFormat);
    auto store = HistoryStore::open(m_paths.historyDb);
    if (store) {
        m_history = std::move(store.value());
        if (!m_history->recoveryNotice().isEmpty())
            emit notice(m_history->recoveryNotice(), true);
        if (m_history->interruptedOnOpen() > 0)
            emit notice(tr("%n submission(s) were still being sent when the console last stopped; "
                           "they are kept as \"interrupted\".",
                           nullptr, m_history->interruptedOnOpen()),
                        false);
    } else {
        emit notice(
            tr("History is unavailable, so sending is disabled: %1").arg(store.error().message),
            true);
    }
    m_submitter = new Submitter(m_client, m_history.get(), this);
    connect(m_submitter, &Submitter::finished, this, &ConsoleController::onSubmitted);

    ensureSandboxProfile();
    const QString last =
        m_settings->value(QStringLiteral("lastProfile"), QString::fromLatin1(SandboxProfileName))
            .toString();
    selectProfile(ProfileStore(*m_settings).find(last) ? last
                                                       : QString::fromLatin1(SandboxProfileName));
    if (m_request.claims().isEmpty())
        setRequest(defaultRequest());
}

void ConsoleController::ensureSandboxProfile() {
    ProfileStore store(*m_settings);
    if (store.find(QString::fromLatin1(SandboxProfileName)))
        return;
    Profile p;
    p.name = QString::fromLatin1(SandboxProfileName);
    p.embeddedSandbox = true;
    p.registrationUrl =
        QUrl(QStringLiteral("https://localhost") + SandboxAspsp::seedRegisterPath());
    p.aud = QStringLiteral("dcr-sandbox-aspsp");
    p.transportCertPath = QDir(m_paths.sandboxKitDir).filePath(QStringLiteral("tpp-transport.pem"));
    p.transportKeyPath =
        QDir(m_paths.sandboxKitDir).filePath(QStringLiteral("tpp-transport-key.pem"));
    p.caBundlePath = QDir(m_paths.sandboxKitDir).filePath(QStringLiteral("ca.pem"));
    p.signingKeyPath = QDir(m_paths.sandboxKitDir).filePath(QStringLiteral("tpp-signing-key.pem"));
    store.save(p);
}

Status ConsoleController::startSandbox() {
    if (m_sandbox)
        return {};
    auto kit = SandboxKit::loadOrCreate(m_paths.sandboxKitDir);
    if (!kit)
        return kit.error();
    m_kit = *kit;
    // The sandbox keeps the port of its last start when it is free, so that its URL, and with it
    // the history's URLs and filters, stay the same from one session to the next.
    const auto preferred =
        static_cast<quint16>(m_settings->value(QStringLiteral("sandbox/port")).toUInt());
    m_sandbox = std::make_unique<SandboxServer>(*m_kit, SandboxMode::Seed);
    auto port = m_sandbox->start(preferred);
    if (!port && preferred != 0) {
        // A fresh server: the failed listen must not leave anything behind in the new one.
        m_sandbox = std::make_unique<SandboxServer>(*m_kit, SandboxMode::Seed);
        port = m_sandbox->start(0); // taken by someone else: any free port
    }
    if (!port) {
        m_sandbox.reset();
        return port.error();
    }
    m_settings->setValue(QStringLiteral("sandbox/port"), *port);
    m_settings->sync();
    return {};
}

QList<Profile> ConsoleController::profiles() const {
    return m_settings ? ProfileStore(*m_settings).all() : QList<Profile>();
}

void ConsoleController::selectProfile(const QString& name) {
    auto p = ProfileStore(*m_settings).find(name);
    if (!p)
        return;
    m_profile = *p;
    m_transport.reset();
    m_ssaKey.reset();
    m_supported.clear();
    m_settings->setValue(QStringLiteral("lastProfile"), name);
    if (m_profile.embeddedSandbox) {
        if (auto ok = startSandbox(); !ok)
            emit notice(tr("The local sandbox could not start: %1").arg(ok.error().message), true);
        if (m_kit)
            m_ssaKey = VerificationKey::fromJwks(
                JwkSet::single(m_kit->directoryKey(), m_kit->directoryKid()));
    }
    if (!m_profile.signingKeyPath.isEmpty() && QFile::exists(m_profile.signingKeyPath))
        loadSigningKey(m_profile.signingKeyPath);
    emit profileChanged();
    emit requestChanged();
}

void ConsoleController::saveProfile(const Profile& profile) {
    ProfileStore(*m_settings).save(profile);
    emit profilesChanged();
    if (profile.name == m_profile.name)
        selectProfile(profile.name);
}

void ConsoleController::removeProfile(const QString& name) {
    if (name == QString::fromLatin1(SandboxProfileName))
        return;
    ProfileStore(*m_settings).remove(name);
    emit profilesChanged();
    if (name == m_profile.name)
        selectProfile(QString::fromLatin1(SandboxProfileName));
}

QUrl ConsoleController::endpoint() const {
    if (m_profile.embeddedSandbox && m_sandbox)
        return QUrl(m_sandbox->baseUrl().toString() + m_sandbox->aspsp().registrationPath());
    return m_profile.registrationUrl;
}

Status ConsoleController::loadSigningKey(const QString& path) {
    auto bytes = readLocalFile(path);
    if (!bytes)
        return bytes.error();
    auto material = keyloader::loadSigningKey(*bytes);
    if (!material && (material.error().kind == ErrorKind::KeyPassphraseRequired)) {
        const QByteArray passphrase =
            m_passphrase(tr("the signing key %1").arg(QFileInfo(path).fileName()));
        if (passphrase.isEmpty())
            return material.error();
        material = keyloader::loadSigningKey(*bytes, passphrase);
    }
    if (!material)
        return material.error();
    m_signingKey = material->privateKey;
    m_signingKeySource = path;
    m_alg = m_signingKey.type() == KeyType::EcP256 ? JwsAlgorithm::ES256 : JwsAlgorithm::PS256;
    emit signingKeyChanged();
    emit requestChanged();
    return {};
}

QString ConsoleController::signingKid() const {
    if (!m_profile.signingKid.isEmpty())
        return m_profile.signingKid;
    return m_signingKey.isNull() ? QString() : jwk::thumbprint(m_signingKey);
}

void ConsoleController::setSigningAlgorithm(JwsAlgorithm alg) {
    m_alg = alg;
    emit requestChanged();
}

Result<TransportSettings> ConsoleController::transport() {
    if (m_transport)
        return *m_transport;
    auto settings = TransportSettings::fromFiles(
        m_profile.transportCertPath, m_profile.transportKeyPath, {}, m_profile.caBundlePath);
    if (!settings && settings.error().kind == ErrorKind::KeyPassphraseRequired) {
        const QByteArray passphrase =
            m_passphrase(tr("the transport key of profile \"%1\"").arg(m_profile.name));
        if (passphrase.isEmpty())
            return settings.error();
        settings =
            TransportSettings::fromFiles(m_profile.transportCertPath, m_profile.transportKeyPath,
                                         passphrase, m_profile.caBundlePath);
    }
    if (!settings)
        return settings;
    settings->insecure = m_profile.insecure;
    settings->timeoutMs = m_profile.timeoutSeconds * 1000;
    m_transport = *settings; // memory only, for this session
    return *m_transport;
}

Certificate ConsoleController::transportCertificate() {
    auto t = transport();
    return t ? t->clientCertificate : Certificate();
}

void ConsoleController::setRequest(const RegistrationRequest& request) {
    m_request = request;
    emit requestChanged();
}

RegistrationRequest ConsoleController::defaultRequest() const {
    if (m_profile.embeddedSandbox && m_kit) {
        RegistrationRequest r = m_kit->demoRequest(QDateTime::currentDateTimeUtc());
        r.remove(QStringLiteral("iat"));
        r.remove(QStringLiteral("exp"));
        return r;
    }
    RegistrationRequest r;
    r.setString(QStringLiteral("aud"), m_profile.aud);
    r.setStringList(QStringLiteral("grant_types"),
                    {QStringLiteral("client_credentials"), QStringLiteral("authorization_code"),
                     QStringLiteral("refresh_token")});
    r.setStringList(QStringLiteral("response_types"), {QStringLiteral("code")});
    r.setString(QStringLiteral("token_endpoint_auth_method"), QStringLiteral("tls_client_auth"));
    r.setString(QStringLiteral("jti"), newUuidV4());
    return r;
}

RegistrationRequest ConsoleController::requestToSend() const {
    RegistrationRequest r = m_request;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    r.setInteger(QStringLiteral("iat"), now.toSecsSinceEpoch());
    r.setInteger(QStringLiteral("exp"), now.toSecsSinceEpoch() + m_lifetime);
    if (!r.has(QStringLiteral("aud")) && !m_profile.aud.isEmpty())
        r.setString(QStringLiteral("aud"), m_profile.aud);
    if (!r.has(QStringLiteral("jti")))
        r.setString(QStringLiteral("jti"), newUuidV4());
    return r;
}

Result<QByteArray> ConsoleController::signedToken() const {
    if (m_signingKey.isNull())
        return Error{ErrorKind::KeyMalformed,
                     tr("No signing key: load one (Keys menu) or set it in the profile.")};
    return requestToSend().sign(m_signingKey, {m_alg, signingKid(), {}});
}

RequestInspection ConsoleController::inspect() const {
    InspectionOptions options;
    options.ssaKey = m_ssaKey;
    options.supported = m_supported;
    std::optional<Jws> jws;
    if (auto token = signedToken())
        if (auto parsed = Jws::parse(*token))
            jws = *parsed;
    return inspectRequest(requestToSend(), jws, options, Preflight());
}

Result<RequestInspection>
ConsoleController::inspectReceived(const QByteArray& jwt,
                                   const std::optional<VerificationKey>& requestKey) const {
    InspectionOptions options;
    options.ssaKey = m_ssaKey;
    options.requestKey = requestKey;
    return inspectRequest(jwt, false, options, Preflight());
}

Status ConsoleController::send() {
    if (m_inFlight)
        return Error{ErrorKind::NetworkOther, tr("A request is already being sent.")};
    auto token = signedToken();
    if (!token)
        return token.error();
    auto t = transport();
    if (!t)
        return Error{t.error().kind, tr("Transport certificate: %1").arg(t.error().message)};
    m_client->setTransport(*t);
    SubmissionStart start;
    start.profile = m_profile.name;
    start.url = endpoint().toString();
    start.contentType = m_profile.contentType;
    start.requestJwt = *token;
    start.requestClaims = requestToSend().claims();
    if (auto ssa = SoftwareStatement::decode(m_request.softwareStatement().toLatin1())) {
        start.softwareId = ssa->softwareId();
        start.clientName = ssa->clientName();
    }
    auto id = m_submitter->submit(
        start, endpoint(),
        {{"Content-Type", m_profile.contentType}, {"Accept", "application/json"}}, *token);
    if (!id)
        return id.error();
    m_inFlight = *id;
    emit sendStarted();
    emit historyChanged();
    return {};
}

Status ConsoleController::sendRecorded(const SubmissionRecord& record) {
    setRequest(RegistrationRequest(record.requestClaims));
    return send();
}

void ConsoleController::cancelSend() {
    if (m_inFlight)
        m_submitter->cancel(m_inFlight);
}

void ConsoleController::onSubmitted(quint64 id, const SubmissionResult& result) {
    if (id != m_inFlight)
        return;
    m_inFlight = 0;
    if (!result.historyError.isEmpty())
        emit notice(
            tr("The answer could not be recorded in the history: %1").arg(result.historyError),
            true);
    emit sendFinished(result);
    emit historyChanged();
}

void ConsoleController::fetchDiscovery() {
    QUrl url = m_profile.discoveryUrl;
    if (m_profile.embeddedSandbox && m_sandbox)
        url = QUrl(m_sandbox->baseUrl().toString() +
                   QStringLiteral("/.well-known/openid-configuration"));
    if (!url.isValid() || url.isEmpty()) {
        emit discoveryFetched(tr("The profile has no discovery URL."));
        return;
    }
    auto t = transport();
    if (t)
        m_client->setTransport(*t);
    m_discoveryRequest = m_client->send("GET", url, {{"Accept", "application/json"}});
    auto* context = new QObject(this);
    connect(m_client, &RegistrationClient::finished, context,
            [this, context](quint64 id, const HttpExchange& e) {
                if (id != m_discoveryRequest)
                    return;
                context->deleteLater();
                if (!e.completed()) {
                    emit discoveryFetched(tr("Discovery failed: %1").arg(e.failure->message));
                    return;
                }
                auto doc = DiscoveryDocument::parse(e.responseBody);
                if (!doc) {
                    emit discoveryFetched(
                        tr("Discovery document unusable: %1").arg(doc.error().message));
                    return;
                }
                setSupportedValues(doc->supported);
                emit discoveryFetched(tr("Discovery: registration endpoint %1, %2 metadata lists")
                                          .arg(doc->registrationEndpoint.toString())
                                          .arg(doc->supported.size()));
            });
}

} // namespace dcr::ui
