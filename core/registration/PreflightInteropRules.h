#pragma once

// The signature interop rules: what makes one bank accept a token another refuses. The PSS salt
// length, a kid the bank's JWKS does not hold, an alg other than the one the request registers,
// an SSA whose two key sources disagree, and which key verified which token.

#include "PreflightCollector.h"

namespace dcr::preflight {

// pss-salt-length, kid-not-in-jwks, kid-missing, alg-not-registered, ssa-jwks-mismatch and
// signature-keys (none of the software's keys verifies the request), from the keys
// PreflightInput carries (none given: only alg-not-registered).
void checkSignatureInterop(const PreflightInput& in, Collector& c);

} // namespace dcr::preflight

namespace dcr {

// The SSA's software_jwks by value: a JWK Set object or, as some directories write it, that
// object as a string. Fails when it is neither; nullopt when the SSA carries none.
std::optional<Result<JwkSet>> softwareJwksByValue(const SoftwareStatement& ssa);

// Which key of which key set verifies the request and the SSA, one line each: "SSA verified by
// the directory's key kid=dir (RFC 7638 thumbprint …) in the directory's JWKS", "request verified
// by the software's key kid=… in the SSA's software_jwks". Lines, not findings: a token that
// verifies is not a problem, and a clean request keeps a pane without findings.
QStringList signatureKeys(const PreflightInput& in);

} // namespace dcr
