#include "EmbeddedSandboxes.h"

#include "sandbox/SandboxServer.h"

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
    const QString portKey = mode == SandboxMode::Seed ? QStringLiteral("sandbox/port")
                                                      : QStringLiteral("sandbox/port-obie");
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

} // namespace dcr
