// Compact JWS parsing: any bytes must give a value or an error, never a crash or a hang.
#include "jose/Jws.h"
#include "jose/JwsVerifier.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    for (bool claims : {true, false}) {
        auto jws = dcr::Jws::parse(bytes, {.requireJsonClaims = claims});
        if (jws) {
            (void)jws->compact();
            (void)jws->kid();
            (void)dcr::JwsVerifier::verifyWithSecret(
                *jws, QByteArray("0123456789abcdef0123456789abcdef"), {dcr::JwsAlgorithm::HS256});
        }
    }
    return 0;
}
