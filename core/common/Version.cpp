#include "Version.h"

#include <openssl/crypto.h>

namespace dcr {

// DCR_PRODUCT_VERSION is CMake's PROJECT_VERSION (core/CMakeLists.txt), so the console, dcrctl,
// dcr-sandbox, the man pages and the Debian package all report the same version.
QString productVersion() {
    return QStringLiteral(DCR_PRODUCT_VERSION);
}

QString cryptoLibraryVersion() {
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
}

} // namespace dcr
