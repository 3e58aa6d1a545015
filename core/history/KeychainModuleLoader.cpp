#include "KeychainModuleLoader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QPluginLoader>

#include <optional>

// Set for this file alone by core/CMakeLists.txt: the build tree, the module the build made, and
// the installed module's path from the installed programs' folder.
#ifndef DCR_BUILD_TREE
#error "DCR_BUILD_TREE is defined by core/CMakeLists.txt"
#endif

namespace dcr {

namespace {

// The folder of the running program (symbolic links resolved, as the kernel names it).
QString programFolder() {
    if (QCoreApplication::instance())
        return QCoreApplication::applicationDirPath();
    return QFileInfo(QFile::symLinkTarget(QStringLiteral("/proc/self/exe"))).absolutePath();
}

bool isInside(const QString& folder, const QString& tree) {
    const QString canonicalTree = QFileInfo(tree).canonicalFilePath();
    return !canonicalTree.isEmpty() && (folder + u'/').startsWith(canonicalTree + u'/');
}

} // namespace

QString KeychainModuleLoader::path() {
    const QString folder = programFolder();
    if (isInside(folder, QStringLiteral(DCR_BUILD_TREE)))
        return QStringLiteral(DCR_BUILD_TREE_KEYCHAIN_MODULE);
    return QDir::cleanPath(folder + u'/' + QStringLiteral(DCR_INSTALLED_KEYCHAIN_MODULE));
}

Result<KeychainModule*> KeychainModuleLoader::loadFrom(const QString& file) {
    // Never unloaded: the stores it makes live until the end of the process.
    QPluginLoader loader(file);
    QObject* root = loader.instance();
    if (!root)
        return Error{ErrorKind::StorageUnavailable,
                     tr("the desktop keychain module %1 could not be loaded (%2); install the "
                        "package again (Debian: apt install --reinstall dcr-console)")
                         .arg(file, loader.errorString())};
    auto* module = qobject_cast<KeychainModule*>(root);
    if (!module)
        return Error{ErrorKind::StorageUnavailable,
                     tr("%1 is a Qt plugin, but not the desktop keychain module of this version "
                        "(interface %2); install the package again (Debian: apt install "
                        "--reinstall dcr-console)")
                         .arg(file, QStringLiteral(DCR_KEYCHAIN_MODULE_IID))};
    return module;
}

Result<KeychainModule*> KeychainModuleLoader::load() {
    static QMutex mutex;
    static std::optional<Result<KeychainModule*>> loaded;
    QMutexLocker lock(&mutex);
    if (!loaded) {
        loaded = loadFrom(path());
        // Once per process on stderr as well: a broken installation is not a quiet fallback.
        if (!loaded->ok())
            qWarning("history: %s; the secrets of a shared history stay in its local file",
                     qUtf8Printable(loaded->error().message));
    }
    return *loaded;
}

} // namespace dcr
