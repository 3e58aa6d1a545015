#pragma once

#include "KeychainModule.h"

#include <QObject>

namespace dcr {

// The keychain module's root object (KeychainModule), the one instance QPluginLoader makes: hands
// out QtKeychainSecretStores. Built into libdcr_keychain_store.so only.
class QtKeychainModule : public QObject, public KeychainModule {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DCR_KEYCHAIN_MODULE_IID)
    Q_INTERFACES(dcr::KeychainModule)
public:
    bool serviceRunning() override;
    std::unique_ptr<KeychainSecretStore> open(const QString& database, KeychainFallback& fallback,
                                              int timeoutMs) override;
};

} // namespace dcr
