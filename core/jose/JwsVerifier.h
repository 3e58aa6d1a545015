#pragma once

#include "Certificate.h"
#include "JwkSet.h"
#include "Jws.h"
#include "Key.h"
#include "common/Result.h"

namespace dcr {

// Each call names the algorithms the caller accepts; a token whose header says otherwise fails
// before any key is touched, and an algorithm that does not fit the key type is refused (so an
// HS256 token can never be "verified" with an RSA public key used as an HMAC secret).
class JwsVerifier {
public:
    static Status verifyWithKey(const Jws& jws, const Key& key, const QList<JwsAlgorithm>& allowed);
    static Status verifyWithCertificate(const Jws& jws, const Certificate& cert,
                                        const QList<JwsAlgorithm>& allowed);
    // On success returns the JWKS entry that verified the token.
    static Result<JwkSetEntry> verifyWithJwks(const Jws& jws, const JwkSet& jwks,
                                              const QList<JwsAlgorithm>& allowed);
    static Status verifyWithSecret(const Jws& jws, const QByteArray& secret,
                                   const QList<JwsAlgorithm>& allowed);

    // The raw primitive shared with benchmarks: verifies sig over input.
    static Status rawVerify(JwsAlgorithm alg, const Key& key, const QByteArray& input,
                            const QByteArray& signature);
};

} // namespace dcr
