#pragma once

#include "SandboxAspsp.h"
#include "SandboxRefusal.h"

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace dcr {

// What the sandbox checks in Open Finance Brasil mode, and how it refuses (research_ofb §4,
// DCR 1.0 §7.1): an RFC 7591 JSON body whose software_statement the sandbox directory signed
// with PS256 at most 5 minutes ago, then the core preflight under spec ofb (jwks by value,
// jwks_uri against software_jwks_uri, redirect_uris within software_redirect_uris, the client
// authentication method, webhook_uris against software_api_webhook_uris, ...), each finding as
// the error the Brazilian swagger names for it.
class SandboxOfbAnswers {
public:
    // The request's metadata go to claimsOut when the body is a JSON object at all.
    static std::optional<SandboxRefusal> validate(const SandboxKit& kit,
                                                  const SandboxRequest& request,
                                                  const QDateTime& now, QJsonObject* claimsOut);
};

} // namespace dcr
