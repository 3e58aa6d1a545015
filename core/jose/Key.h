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
    // A private key held in a hardware token (through OpenSSL's pkcs11 engine): its EVP_PKEY signs
    // inside the token. owner keeps the engine that made it alive; uri (without any PIN) names it.
    static Key adoptTokenKey(evp_pkey_st* pkey, const QString& uri, std::shared_ptr<void> owner);

    static Result<Key> generateRsa(int bits = 2048);
    static Result<Key> generateEcP256();

    bool isNull() const { return !m_pkey; }
    KeyType type() const;
    int bits() const;
    bool hasPrivate() const;
    // True for keys whose private half stays in a PKCS#11 token; they cannot be exported.
    bool isTokenKey() const { return !m_tokenUri.isEmpty(); }
    QString tokenUri() const { return m_tokenUri; }
    // "RSA 2048-bit", "EC P-256", "Ed25519", ...
    QString description() const;

    Key publicKey() const;
    bool samePublicKey(const Key& other) const;

    QByteArray publicPem() const;
    // Unencrypted PKCS#8. Only for demo kits and tests; the app never writes a user's key.
    // Empty for token keys (and for the encrypted form too): their private half never leaves.
    QByteArray privatePkcs8Pem() const;
    // PKCS#8 encrypted with AES-256-CBC under the passphrase.
    QByteArray privateEncryptedPem(const QByteArray& passphrase) const;

    evp_pkey_st* raw() const { return m_pkey.get(); }
    // A new reference to the EVP_PKEY for an API that takes ownership of one, such as
    // QSslKey(Qt::HANDLE) with Qt's OpenSSL backend (how a token key reaches the TLS handshake).
    void* newNativeReference() const;

private:
    std::shared_ptr<evp_pkey_st> m_pkey;
    QString m_tokenUri;
    std::shared_ptr<void> m_tokenOwner;
};

// Refuses keys that are unsafe or unusable for JWS signing (RSA < 2048 bits, other key types).
Status checkSigningKey(const Key& key);

} // namespace dcr
