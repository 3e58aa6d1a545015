#pragma once

#include "LocalSecretStore.h"

namespace dcr {

// The secrets of a shared history's rows in the desktop keychain (the Secret Service, e.g. GNOME
// Keyring or KWallet), service "dcr-console", one entry per row keyed
// "<database>/<row uid>/secrets", with the local file as the place they wait for it
// (KeychainFallback). What SharedHistory calls: the implementation (QtKeychainSecretStore) lives
// in the keychain module (KeychainModule), which is loaded only when a shared history is opened,
// so that no other program start pays for loading QtKeychain, QtDBus and what they pull in.
class KeychainSecretStore : public LocalSecretStore {
public:
    static constexpr int DefaultTimeoutMs = 5000;

    // The service name every entry is kept under.
    static QString serviceName() { return QStringLiteral("dcr-console"); }

    // Starts deleting from the keychain every row whose deletion it has not confirmed, and
    // copying to it every row's secrets that wait in the file for this database (left by a
    // process that ended before the keychain confirmed, or refused by it).
    virtual void resumePending() = 0;
    // Runs the event loop until the keychain has answered every write and delete this store
    // started, or timeoutMs passed. Returns how many rows are still unanswered (0: all answered).
    // Only for the top level of a program (never inside a history call): other events run.
    virtual int flush(int timeoutMs) = 0;
    virtual int unanswered() const = 0;
};

} // namespace dcr
