#include "OpenSslExit.h"

#include <openssl/crypto.h>

namespace dcr {

bool skipOpenSslCleanupAtExit() {
    return OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;
}

} // namespace dcr
