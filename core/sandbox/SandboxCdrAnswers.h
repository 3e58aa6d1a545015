#pragma once

#include "SandboxAspsp.h"
#include "SandboxRefusal.h"

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace dcr {

// What the sandbox checks in CDR mode, and how it refuses (research_cdr §4/§5, after the
// ConsumerDataRight mock authorisation server's ErrorCatalogue): a signed application/jwt body
// (PS256 or ES256, verified with the software's key), an SSA from the "cdr-register" (PS256,
// unexpired), the request's iss (the software_id), aud (this data holder), exp and jti, then
// the core preflight under spec cdr. Management (GET/PUT/DELETE) needs a client_credentials
// access token with scope cdr:registration: 401 without a valid one, 403 for another client's
// token or one without the scope.
class SandboxCdrAnswers {
public:
    // issuer: the data holder's issuer URL, which aud may name (beside the kit's aud).
    static std::optional<SandboxRefusal> validate(const SandboxKit& kit,
                                                  const SandboxRequest& request,
                                                  const QString& issuer, const QDateTime& now,
                                                  QJsonObject* claimsOut);
    // "ERR-DCR-001: Duplicate registrations for a given software_id are not valid."
    static SandboxRefusal duplicate(const QString& softwareId);
    // nullopt when the request's bearer may manage clientId; otherwise the 401 or 403 answer.
    static std::optional<SandboxResponse>
    refuseManagement(const SandboxTokens& tokens, const SandboxRequest& request,
                     const QString& clientId, bool clientExists, const QDateTime& now, bool lax);
};

} // namespace dcr
