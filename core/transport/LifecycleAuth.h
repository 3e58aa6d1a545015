#pragma once

#include <QString>

#include <optional>

namespace dcr {

// How GET/PUT/DELETE of a registered client are authorised: `Obie`, a client_credentials access
// token from the token endpoint (OBIE DCR 3.3); `Rfc7592`, the registration_access_token the
// ASPSP returned at registration (RFC 7592 §3).
enum class LifecycleAuth { Obie, Rfc7592 };

// "obie", "rfc7592": the names profiles, presets and --lifecycle use.
inline QString lifecycleAuthName(LifecycleAuth auth) {
    return auth == LifecycleAuth::Rfc7592 ? QStringLiteral("rfc7592") : QStringLiteral("obie");
}

inline std::optional<LifecycleAuth> lifecycleAuthFromName(const QString& name) {
    if (name == QStringLiteral("obie"))
        return LifecycleAuth::Obie;
    if (name == QStringLiteral("rfc7592"))
        return LifecycleAuth::Rfc7592;
    return std::nullopt;
}

} // namespace dcr
