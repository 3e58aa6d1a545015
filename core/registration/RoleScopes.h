#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace dcr {

// OBIE: the software role a scope needs (accounts: AISP, payments: PISP, fundsconfirmations:
// CBPII). One table for preflight, which checks requested scopes against the SSA's roles, and for
// the console, which fills scopes from an SSA.
std::optional<QString> roleForScope(const QString& scope);
// "openid" plus every scope the roles allow, in the table's order.
QStringList scopesForRoles(const QStringList& roles);

} // namespace dcr
