// JWK / JWKS parsing, including x5c certificates and key construction through OpenSSL.
#include "jose/Jwk.h"
#include "jose/JwkSet.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    auto set = dcr::JwkSet::parse(bytes);
    if (set) {
        for (const auto& entry : set->entries())
            (void)dcr::jwk::thumbprint(entry.key);
        (void)set->select(QStringLiteral("kid"));
        (void)set->toJson();
    }
    return 0;
}
