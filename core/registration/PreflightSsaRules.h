#pragma once

// The rules about the software statement (SSA) the request carries.

#include "PreflightCollector.h"

namespace dcr::preflight {

// The software statement: decodable, trusted issuer, alg, times, statuses, environment and
// signature (ssa-*).
void checkSsa(const PreflightInput& in, const QDateTime& now, Collector& c);

} // namespace dcr::preflight
