#pragma once

// The rules about the client's metadata: redirect URIs, scopes, the subject DN, client
// authentication and the JSON body's own rules (RFC 7591).

#include "PreflightCollector.h"

namespace dcr::preflight {

// Redirect URIs: absolute, https, no fragment, not local, in the SSA (redirect-*).
void checkRedirects(const PreflightInput& in, Collector& c);
// Scopes against the SSA's roles (scope-roles).
void checkScopes(const PreflightInput& in, Collector& c);
// The subject DN claim: its name per spec, syntax, and the transport certificate (tls-*,
// subject-dn-*).
void checkSubjectDn(const PreflightInput& in, Collector& c);
// The client authentication method and grant metadata (auth-method-signing-alg,
// response-types-grant, ciba-metadata).
void checkAuthMethod(const PreflightInput& in, Collector& c);
// The body format the ecosystem uses: JSON for Open Finance Brasil, a JWT for the CDR
// (spec-body-format).
void checkBodyFormat(Collector& c);
// RFC 7591's own rules for a JSON body (json-*).
void checkJsonBody(const PreflightInput& in, Collector& c);

} // namespace dcr::preflight
