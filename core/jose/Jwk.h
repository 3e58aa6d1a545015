#pragma once

#include "Key.h"
#include "common/Result.h"

#include <QJsonObject>

namespace dcr::jwk {

// RSA ("n","e" and optionally "d","p","q","dp","dq","qi") and EC P-256 ("crv","x","y",
// optionally "d") JWKs to keys.
Result<Key> toKey(const QJsonObject& jwk);

// Public JWK members for the key (kty and key material only; callers add kid/use/alg).
QJsonObject fromPublicKey(const Key& key);

// RFC 7638 JWK thumbprint: base64url(SHA-256(canonical JSON of the required members)).
QString thumbprint(const Key& key);

} // namespace dcr::jwk
