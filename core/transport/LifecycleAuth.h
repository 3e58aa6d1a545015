#pragma once

#include <QString>

#include <optional>

namespace dcr {

// How GET/PUT/DELETE of a registered client are authorised: `Obie`, a client_credentials access
// token from the token endpoint (OBIE DCR 3.3); `Rfc7592`, the registration_access_token the
// ASPSP returned at registration (RFC 7592 §3); `Cdr`, a client_credentials access token whose
// scope includes cdr:registration (Australia's CDR: "During registration management requests,
// Data Holders MUST validate that the scope of access tokens provided includes
// cdr:registration"), asked for whatever the profile's token scope says.
enum class LifecycleAuth { Obie, Rfc7592, Cdr };

// "obie", "rfc7592", "cdr": the names profiles, presets and --lifecycle use.
inline QString lifecycleAuthName(LifecycleAuth auth) {
    switch (auth) {
    case LifecycleAuth::Rfc7592:
        return QStringLiteral("rfc7592");
    case LifecycleAuth::Cdr:
        return QStringLiteral("cdr");
    case LifecycleAuth::Obie:
        break;
    }
    return QStringLiteral("obie");
}

inline std::optional<LifecycleAuth> lifecycleAuthFromName(const QString& name) {
    for (LifecycleAuth auth : {LifecycleAuth::Obie, LifecycleAuth::Rfc7592, LifecycleAuth::Cdr})
        if (name == lifecycleAuthName(auth))
            return auth;
    return std::nullopt;
}

// The scope a CDR registration-management token must carry.
inline QString cdrRegistrationScope() {
    return QStringLiteral("cdr:registration");
}

} // namespace dcr
