#pragma once

#include "Certificate.h"
#include "JwkSet.h"
#include "Jws.h"
#include "Key.h"

#include <optional>
#include <variant>

namespace dcr {

// What a user can verify a signature with: a public key, a certificate, a JWKS or a shared secret.
class VerificationKey {
public:
    static VerificationKey fromKey(const Key& key) { return VerificationKey(key.publicKey()); }
    static VerificationKey fromCertificate(const Certificate& cert) {
        return VerificationKey(cert);
    }
    static VerificationKey fromJwks(const JwkSet& jwks) { return VerificationKey(jwks); }
    static VerificationKey fromSecret(const QByteArray& secret) {
        return VerificationKey(Secret{secret});
    }

    // Loads a key/certificate/JWKS file (any format keyloader understands).
    static Result<VerificationKey> fromFile(const QByteArray& bytes);

    // PS256/RS256/ES256 for keys, HS256 for secrets.
    QList<JwsAlgorithm> defaultAlgorithms() const;
    // On success, a short description of what verified (e.g. "JWKS key kid=abc").
    Result<QString> verify(const Jws& jws, const QList<JwsAlgorithm>& allowed) const;
    QString description() const;

    // The JWK Set this was read from, also a one-key set (which verifies as its one key, by
    // fromFile); none for a key, a certificate or a secret. What a bank selects a key from by kid.
    const std::optional<JwkSet>& jwks() const { return m_jwks; }
    // The public keys it holds, each with its kid when it comes from a JWK Set; none for a secret.
    QList<JwkSetEntry> publicKeys() const;

private:
    struct Secret {
        QByteArray bytes;
    };
    using Material = std::variant<Key, Certificate, JwkSet, Secret>;
    explicit VerificationKey(Material m)
        : m_material(std::move(m)) {
        if (const auto* set = std::get_if<JwkSet>(&m_material))
            m_jwks = *set;
    }
    Material m_material;
    std::optional<JwkSet> m_jwks;
};

} // namespace dcr
