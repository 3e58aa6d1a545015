#include "Version.h"

#include <openssl/crypto.h>

namespace dcr {

QString productVersion() {
    return QStringLiteral("0.1.0");
}

QString cryptoLibraryVersion() {
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
}

} // namespace dcr
