#include "SsaClaims.h"

#include "RoleScopes.h"

namespace dcr {

RegistrationRequest withClaimsFromSsa(RegistrationRequest request, const SoftwareStatement& ssa) {
    request.setString(QStringLiteral("software_statement"),
                      QString::fromLatin1(ssa.jws().compact()));
    request.setString(QStringLiteral("software_id"), ssa.softwareId());
    request.setString(QStringLiteral("iss"), ssa.softwareId());
    request.setStringList(QStringLiteral("redirect_uris"), ssa.redirectUris());
    request.setString(QStringLiteral("scope"), scopesForRoles(ssa.roles()).join(u' '));
    return request;
}

} // namespace dcr
