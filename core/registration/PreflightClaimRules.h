#pragma once

// The rules about the claims themselves: their shapes, identity, times and supported values.

#include "PreflightCollector.h"

namespace dcr::preflight {

// The claims' shapes: required, JSON type, allowed values, unknown claims (required-claim,
// claim-type, allowed-value, unknown-claim).
void checkShapes(const RegistrationRequest& request, Collector& c);
// iss, aud and software_id against their formats and the SSA (iss-*, aud-*, software-id-match).
void checkIdentity(const PreflightInput& in, Collector& c);
// iat, exp and jti of the JWT envelope (iat-future, exp-*, lifetime-long, jti-*).
void checkTimes(const PreflightInput& in, const QDateTime& now, Collector& c);
// Values against the ASPSP's discovery document (discovery-unsupported).
void checkSupported(const PreflightInput& in, Collector& c);

} // namespace dcr::preflight
