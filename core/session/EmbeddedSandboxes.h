#pragma once

#include "common/Result.h"
#include "sandbox/SandboxAspsp.h"
#include "sandbox/SandboxKit.h"

#include <QString>

#include <map>
#include <memory>
#include <optional>

class QSettings;

namespace dcr {

class SandboxServer;

// The session's local ASPSPs, one per mode, started on demand with the key and certificate kit
// they share (made once in kitDir, then loaded).
class EmbeddedSandboxes {
public:
    explicit EmbeddedSandboxes(QString kitDir);
    ~EmbeddedSandboxes();
    EmbeddedSandboxes(const EmbeddedSandboxes&) = delete;
    EmbeddedSandboxes& operator=(const EmbeddedSandboxes&) = delete;

    // Starts the mode's server unless it runs; settings remember the port it got, which the next
    // start asks for again.
    Status start(SandboxMode mode, QSettings& settings);
    bool running(SandboxMode mode) const { return m_servers.count(mode) > 0; }
    SandboxServer* server(SandboxMode mode) const;
    struct Names {
        QString seed, obie, ofb, cdr;
    };
    // The embedded sandbox profiles (seed, OBIE 3.3, Open Finance Brasil, CDR), made in the
    // settings when missing (or, for the seed one, when an older version wrote it without a spec
    // name), with the kit's key and certificates.
    static void ensureProfiles(QSettings& settings, const QString& kitDir, const Names& names);
    // Empty until a first start made or loaded it.
    const std::optional<SandboxKit>& kit() const { return m_kit; }

private:
    QString m_kitDir;
    std::optional<SandboxKit> m_kit;
    std::map<SandboxMode, std::unique_ptr<SandboxServer>> m_servers;
};

} // namespace dcr
