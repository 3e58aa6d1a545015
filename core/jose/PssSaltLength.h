#pragma once

#include "Key.h"
#include "common/Result.h"

#include <QByteArray>

namespace dcr {

// The hash of an RSASSA-PSS signature (PS256, PS384, PS512: the message digest and MGF1's).
enum class PssHash { Sha256, Sha384, Sha512 };

// The hash's output length in bytes (32, 48, 64): the salt length RFC 7518 §3.5 requires.
int pssHashLength(PssHash hash);

// The salt length an RSASSA-PSS signature over message was made with. OpenSSL's own verification
// accepts any salt when asked to detect it (RSA_PSS_SALTLEN_AUTO) and never says which, so the
// encoded message is recovered with a raw RSA public operation and read as RFC 8017 §9.1.2
// EMSA-PSS-VERIFY does; the length found is then confirmed by OpenSSL verifying with exactly that
// salt length. Fails (SignatureInvalid) when the signature is not a PSS signature of message under
// publicKey, and (AlgorithmKeyMismatch) when the key is not RSA.
Result<int> pssSaltLength(const Key& publicKey, PssHash hash, const QByteArray& message,
                          const QByteArray& signature);

} // namespace dcr
