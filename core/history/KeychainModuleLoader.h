#pragma once

#include "KeychainModule.h"
#include "common/Result.h"

#include <QCoreApplication>

namespace dcr {

// Finds and loads the keychain module (KeychainModule, libdcr_keychain_store.so) when a shared
// history first needs it, once per process. Where it is looked for depends only on where the
// program is, never on the working directory or the environment:
//   - a program of the build tree uses the module that build made;
//   - an installed program (bin/) the one installed beside it, ../lib/<multiarch>/dcr-console/
//     (the Debian package: /usr/lib/x86_64-linux-gnu/dcr-console/libdcr_keychain_store.so).
// A module that cannot be loaded is an error naming the file and why (QPluginLoader's reason);
// the shared history then keeps its secrets in the local file, and says so (SharedHistory).
class KeychainModuleLoader {
    Q_DECLARE_TR_FUNCTIONS(KeychainModuleLoader)
public:
    // The module, loaded on the first call; later calls give the same answer.
    static Result<KeychainModule*> load();
    // The file this program loads the module from.
    static QString path();
    // Loads the module from file (not cached; for load() and tests).
    static Result<KeychainModule*> loadFrom(const QString& file);
};

} // namespace dcr
