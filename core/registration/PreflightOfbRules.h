#pragma once

// The rules of Open Finance Brasil's DCR 1.0 profile (spec "ofb"): its §7.1 items on the
// software statement, jwks_uri, scopes, the subject DN and webhook URIs, and the OFB security
// profile's algorithms, beyond what the shared rules check.

#include "PreflightCollector.h"

namespace dcr::preflight {

// ofb-*: a PS256 SSA at most 5 minutes old, jwks_uri the SSA's and no jwks by value, scopes
// within the SSA's regulatory roles, only the subject DN (in the OID=#hex form for the OFB
// attributes, UID the SSA's software_id), webhook_uris the SSA's, RSA-OAEP/A256GCM encryption.
void checkOfb(const PreflightInput& in, const QDateTime& now, Collector& c);

// The scopes a Brazilian regulatory role (software_roles: DADOS, PAGTO, CONTA, CCORR) allows: the
// union of the DCR 1.0 ID1-ID3 and v2.1.0 tables (the tables differ by version); empty for a role
// the profile does not name.
QStringList ofbScopesForRole(const QString& role);

} // namespace dcr::preflight
