// Key and certificate loading from bytes: PEM, DER, PKCS#12, JWK, with and without a passphrase.
#include "jose/Jwk.h"
#include "jose/KeyMaterial.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    for (const QByteArray& passphrase : {QByteArray(), QByteArray("secret")}) {
        auto material = dcr::keyloader::load(bytes, passphrase);
        if (!material)
            continue;
        if (!material->publicKey.isNull())
            (void)dcr::jwk::thumbprint(material->publicKey);
        for (const auto& cert : material->certificates) {
            (void)cert.subjectDn();
            (void)cert.subjectDn(dcr::DnStyle::Rfc4514Names);
            (void)cert.subjectAltNames();
            (void)cert.keyUsage();
            (void)cert.notAfter();
        }
    }
    return 0;
}
