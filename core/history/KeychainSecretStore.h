#pragma once

#include "FileSecretStore.h"

namespace dcr {

// The secrets in the desktop keychain (QtKeychain: the Secret Service, e.g. GNOME Keyring or
// KWallet), service "dcr-console", one entry per row keyed "<database>/<row uid>/secrets". A
// keychain call runs in a local event loop bounded by a timeout, so a stuck D-Bus never hangs the
// caller; when one fails, the secrets go to the fallback file instead (never lost, sending never
// blocked), and reading or forgetting looks in both.
class KeychainSecretStore : public LocalSecretStore {
public:
    static constexpr int DefaultTimeoutMs = 5000;

    // Whether a keychain service answers (a read of a missing entry comes back "not found"). The
    // answer is kept for the rest of the process: the choice is made once per session.
    static bool serviceRunning();

    // database: what identifies the shared database (host:port/name); fallback: the local file.
    KeychainSecretStore(QString database, FileSecretStore& fallback,
                        int timeoutMs = DefaultTimeoutMs);
    QString description() const override;
    Status keep(const QString& uid, const LocalSecrets& secrets) override;
    std::optional<LocalSecrets> find(const QString& uid) const override;
    Status forget(const QString& uid) override;

    // The service name every entry is kept under.
    static QString serviceName();

private:
    QString keyFor(const QString& uid) const;

    QString m_database;
    FileSecretStore& m_fallback;
    int m_timeoutMs;
};

} // namespace dcr
