#include "QtKeychainModule.h"

#include "QtKeychainSecretStore.h"

namespace dcr {

bool QtKeychainModule::serviceRunning() {
    return QtKeychainSecretStore::serviceRunning();
}

std::unique_ptr<KeychainSecretStore>
QtKeychainModule::open(const QString& database, KeychainFallback& fallback, int timeoutMs) {
    return std::make_unique<QtKeychainSecretStore>(database, fallback, timeoutMs);
}

} // namespace dcr
