#pragma once

#include "Certificate.h"
#include "JwkSet.h"
#include "Jws.h"
#include "Key.h"

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

private:
    struct Secret {
        QByteArray bytes;
    };
    using Material = std::variant<Key, Certificate, JwkSet, Secret>;
    explicit VerificationKey(Material m)
        : m_material(std::move(m)) {}
    Material m_material;
};

} // namespace dcr
