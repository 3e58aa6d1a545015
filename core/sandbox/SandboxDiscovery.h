#pragma once

#include "SandboxKit.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

namespace dcr {

// The sandbox's OpenID configuration (OpenID Connect Discovery 1.0 §3) in each mode: its
// endpoints under baseUrl and what it supports; the CDR's private_key_jwt only and the SSA's
// scopes, Open Finance Brasil's FAPI client authentication methods and role scopes.
class SandboxDiscovery {
public:
    static QJsonObject document(const SandboxKit& kit, SandboxMode mode, const QUrl& baseUrl,
                                const QString& registrationPath, const QDateTime& now);
};

} // namespace dcr
