#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>

#include <memory>

struct evp_pkey_st;

namespace dcr {

enum class KeyType { Rsa, EcP256, Unsupported };

// An asymmetric key (public, or private with its public half) shared by value. The underlying
// EVP_PKEY is never mutated after construction, so copies can share it.
class Key {
public:
    Key() = default;
    // Takes ownership of pkey.
    static Key adopt(evp_pkey_st* pkey);

    static Result<Key> generateRsa(int bits = 2048);
    static Result<Key> generateEcP256();

    bool isNull() const { return !m_pkey; }
    KeyType type() const;
    int bits() const;
    bool hasPrivate() const;
    // "RSA 2048-bit", "EC P-256", "Ed25519", ...
    QString description() const;

    Key publicKey() const;
    bool samePublicKey(const Key& other) const;

    QByteArray publicPem() const;
    // Unencrypted PKCS#8. Only for demo kits and tests; the app never writes a user's key.
    QByteArray privatePkcs8Pem() const;
    // PKCS#8 encrypted with AES-256-CBC under the passphrase.
    QByteArray privateEncryptedPem(const QByteArray& passphrase) const;

    evp_pkey_st* raw() const { return m_pkey.get(); }

private:
    std::shared_ptr<evp_pkey_st> m_pkey;
};

// Refuses keys that are unsafe or unusable for JWS signing (RSA < 2048 bits, other key types).
Status checkSigningKey(const Key& key);

} // namespace dcr
