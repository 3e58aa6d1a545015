#pragma once

// The rules of Australia's Consumer Data Right registration (spec "cdr"): the CDR standards'
// "Registration Request using JWT" table and "SSA Definition", beyond what the shared rules check.

#include "PreflightCollector.h"

namespace dcr::preflight {

// The SSA from the CDR Register (alg, required claims, role, lifetime, scope) and the request's
// flow metadata (response types, ID token encryption, JARM) (cdr-*).
void checkCdr(const PreflightInput& in, Collector& c);

} // namespace dcr::preflight
