#pragma once

// The rules about signatures and algorithms: the request's own and FAPI's.

#include "PreflightCollector.h"

namespace dcr::preflight {

// The request's signature and its alg (request-alg-fapi, request-signature-invalid).
void checkRequestSignature(const PreflightInput& in, Collector& c);
// FAPI 1.0 Advanced: client authentication methods and *_alg claims (fapi-*).
void checkFapi(const PreflightInput& in, Collector& c);

} // namespace dcr::preflight
