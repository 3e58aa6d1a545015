#pragma once

#include "Certificate.h"
#include "JwkSet.h"
#include "Key.h"
#include "common/Result.h"

#include <QList>
#include <optional>

namespace dcr {

// Everything one key or certificate file can hold. A PKCS#12 file gives a private key, its
// certificate and chain; a PEM bundle can mix blocks; a JWKS gives public keys.
struct KeyMaterial {
    QString format; // "PEM", "DER", "PKCS#12", "JWK", "JWKS"
    Key privateKey;
    Key publicKey;                   // the public key, from whichever source is present
    QList<Certificate> certificates; // leaf first where the format says which is the leaf
    std::optional<JwkSet> jwks;
    QStringList warnings;

    bool hasPrivateKey() const { return !privateKey.isNull(); }
    Certificate leaf() const {
        return certificates.isEmpty() ? Certificate() : certificates.first();
    }
};

namespace keyloader {

inline constexpr qsizetype MaxKeyFileSize = 1024 * 1024;

// Detects the format (PEM, DER certificate/key, PKCS#12, JWK/JWKS) and loads it. The passphrase
// is used for encrypted PKCS#8, legacy encrypted PEM and PKCS#12; it is never stored.
Result<KeyMaterial> load(const QByteArray& bytes, const QByteArray& passphrase = {});

// Convenience: load and require a usable private signing key.
Result<KeyMaterial> loadSigningKey(const QByteArray& bytes, const QByteArray& passphrase = {});

} // namespace keyloader
} // namespace dcr
