#include "RoleScopes.h"

namespace dcr {

namespace {

struct RoleScope {
    const char* scope;
    const char* role;
};

constexpr RoleScope kRoleScopes[] = {
    {"accounts", "AISP"}, {"payments", "PISP"}, {"fundsconfirmations", "CBPII"}};

} // namespace

std::optional<QString> roleForScope(const QString& scope) {
    for (const auto& [s, role] : kRoleScopes)
        if (scope == QLatin1String(s))
            return QString::fromLatin1(role);
    return std::nullopt;
}

QStringList scopesForRoles(const QStringList& roles) {
    QStringList scopes{QStringLiteral("openid")};
    for (const auto& [scope, role] : kRoleScopes)
        if (roles.contains(QLatin1String(role)))
            scopes << QString::fromLatin1(scope);
    return scopes;
}

} // namespace dcr
