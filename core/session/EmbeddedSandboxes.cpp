#include "EmbeddedSandboxes.h"

#include "sandbox/SandboxServer.h"

#include "transport/Profile.h"

#include <QDir>
#include <QSettings>

namespace dcr {

EmbeddedSandboxes::EmbeddedSandboxes(QString kitDir)
    : m_kitDir(std::move(kitDir)) {}

EmbeddedSandboxes::~EmbeddedSandboxes() = default;

SandboxServer* EmbeddedSandboxes::server(SandboxMode mode) const {
    auto it = m_servers.find(mode);
    return it == m_servers.end() ? nullptr : it->second.get();
}

Status EmbeddedSandboxes::start(SandboxMode mode, QSettings& settings) {
    if (running(mode))
        return {};
    if (!m_kit) {
        auto kit = SandboxKit::loadOrCreate(m_kitDir);
        if (!kit)
            return kit.error();
        m_kit = *kit;
    }
    // The sandbox keeps the port of its last start when it is free, so that its URL, and with it
    // the history's URLs and filters, stay the same from one session to the next.
    const QString portKey = mode == SandboxMode::Seed
                                ? QStringLiteral("sandbox/port")
                                : QStringLiteral("sandbox/port-") + sandboxModeName(mode);
    const auto preferred = static_cast<quint16>(settings.value(portKey).toUInt());
    auto server = std::make_unique<SandboxServer>(*m_kit, mode);
    auto port = server->start(preferred);
    if (!port && preferred != 0) {
        // A fresh server: the failed listen must not leave anything behind in the new one.
        server = std::make_unique<SandboxServer>(*m_kit, mode);
        port = server->start(0); // taken by someone else: any free port
    }
    if (!port)
        return port.error();
    m_servers[mode] = std::move(server);
    settings.setValue(portKey, *port);
    settings.sync();
    return {};
}

void EmbeddedSandboxes::ensureProfiles(QSettings& settings, const QString& kitDir,
                                       const Names& names) {
    ProfileStore store(settings);
    const QDir kit(kitDir);
    auto sandboxProfile = [&kit](const QString& name) {
        Profile p;
        p.name = name;
        p.embeddedSandbox = true;
        p.aud = QStringLiteral("dcrSandboxAspsp");
        p.directoryIssuer = QStringLiteral("DCR Sandbox Directory");
        p.transportCertPath = kit.filePath(QStringLiteral("tpp-transport.pem"));
        p.transportKeyPath = kit.filePath(QStringLiteral("tpp-transport-key.pem"));
        p.caBundlePath = kit.filePath(QStringLiteral("ca.pem"));
        p.signingKeyPath = kit.filePath(QStringLiteral("tpp-signing-key.pem"));
        return p;
    };
    const QString& seedName = names.seed;
    const QString& obieName = names.obie;
    auto seed = store.find(seedName);
    if (!seed || (seed->embeddedSandbox && seed->specVersion == SpecVersion::Obie31)) {
        // New, or written by a version that had no spec names (its "3.1" was never read).
        Profile p = sandboxProfile(seedName);
        p.registrationUrl =
            QUrl(QStringLiteral("https://localhost") + SandboxAspsp::seedRegisterPath());
        p.specVersion = SpecVersion::Seed;
        p.sandboxMode = SandboxMode::Seed;
        static_cast<void>(store.save(p)); // a fixed, printable name
    }
    if (!store.find(obieName)) {
        Profile p = sandboxProfile(obieName);
        p.registrationUrl = QUrl(QStringLiteral("https://localhost/register"));
        p.specVersion = SpecVersion::Obie33;
        p.sandboxMode = SandboxMode::Obie;
        p.lifecycleAuth = LifecycleAuth::Obie;
        p.tokenAuthMethod = ClientAuthMethod::TlsClientAuth; // as the demo client registers
        static_cast<void>(store.save(p));                    // a fixed, printable name
    }
    if (!store.find(names.ofb)) {
        // DCR 1.0 §9.1: RFC 7591 JSON metadata over mutual TLS; the RFC 7592 lifecycle with the
        // registration access token, which the bank does not rotate (v2 §6.1-7).
        Profile p = sandboxProfile(names.ofb);
        p.registrationUrl = QUrl(QStringLiteral("https://localhost/register"));
        p.specVersion = SpecVersion::Ofb;
        p.sandboxMode = SandboxMode::Ofb;
        p.bodyFormat = RequestBodyFormat::Json;
        p.contentType = "application/json";
        p.lifecycleAuth = LifecycleAuth::Rfc7592;
        p.tokenAuthMethod = ClientAuthMethod::PrivateKeyJwt; // as the demo client registers
        p.directoryIssuer = SandboxKit::ofbDirectoryIssuer();
        p.aud.clear(); // a JSON body has no aud
        static_cast<void>(store.save(p));
    }
    if (!store.find(names.cdr)) {
        // The CDR: a signed application/jwt body; GET/PUT/DELETE with a client_credentials token
        // (private_key_jwt) whose scope includes cdr:registration.
        Profile p = sandboxProfile(names.cdr);
        p.registrationUrl = QUrl(QStringLiteral("https://localhost/register"));
        p.specVersion = SpecVersion::Cdr;
        p.sandboxMode = SandboxMode::Cdr;
        p.lifecycleAuth = LifecycleAuth::Cdr;
        p.tokenAuthMethod = ClientAuthMethod::PrivateKeyJwt;
        p.tokenScope = QStringLiteral("cdr:registration");
        p.directoryIssuer = SandboxKit::cdrRegisterIssuer();
        static_cast<void>(store.save(p));
    }
}

} // namespace dcr
