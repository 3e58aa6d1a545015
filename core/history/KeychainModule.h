#pragma once

#include "KeychainFallback.h"
#include "KeychainSecretStore.h"

#include <QtPlugin>

#include <memory>

namespace dcr {

// The keychain module (libdcr_keychain_store.so, a Qt plugin, QtKeychainModule): the one part of
// the programs that links QtKeychain, and through it QtDBus, libdbus, libsystemd, libgcrypt… It is
// loaded (KeychainModuleLoader) the first time a shared history is opened, so that every other
// start of dcrctl, dcr-console and dcr-sandbox does not load that chain (#26: about 1.12x of a
// bare Qt TLS client's start). Only pure virtual functions cross: the module links none of
// dcr_history, and the program none of the module.
class KeychainModule {
public:
    virtual ~KeychainModule() = default;
    // Whether a keychain service answers (a read of a missing entry comes back "not found"). The
    // answer is kept for the rest of the process: the choice is made once per session.
    virtual bool serviceRunning() = 0;
    // database: what identifies the shared database (host:port/name); fallback: the local file,
    // where the secrets wait for the keychain. The store keeps a reference to it.
    virtual std::unique_ptr<KeychainSecretStore>
    open(const QString& database, KeychainFallback& fallback,
         int timeoutMs = KeychainSecretStore::DefaultTimeoutMs) = 0;
};

} // namespace dcr

// The interface id: a module built against another version of this interface is refused.
#define DCR_KEYCHAIN_MODULE_IID "org.dcrconsole.KeychainModule/1"
Q_DECLARE_INTERFACE(dcr::KeychainModule, DCR_KEYCHAIN_MODULE_IID)
