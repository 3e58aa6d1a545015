#pragma once

#include <QString>

#include <array>
#include <optional>
#include <utility>

namespace dcr {

// How a client proves who it is at the token endpoint (RFC 6749 §2.3, RFC 7523, RFC 8705). Here,
// below the session's token requests, so that a Profile (its token_auth_method) holds one.
enum class ClientAuthMethod { PrivateKeyJwt, TlsClientAuth, ClientSecretBasic, ClientSecretPost };

// The names of RFC 7591 §2's token_endpoint_auth_method registry, in the order above.
inline const std::array<std::pair<ClientAuthMethod, const char*>, 4>& clientAuthMethodNames() {
    static constexpr std::array<std::pair<ClientAuthMethod, const char*>, 4> names{
        {{ClientAuthMethod::PrivateKeyJwt, "private_key_jwt"},
         {ClientAuthMethod::TlsClientAuth, "tls_client_auth"},
         {ClientAuthMethod::ClientSecretBasic, "client_secret_basic"},
         {ClientAuthMethod::ClientSecretPost, "client_secret_post"}}};
    return names;
}

inline std::optional<ClientAuthMethod> clientAuthMethodFromName(const QString& name) {
    for (const auto& [method, text] : clientAuthMethodNames())
        if (name == QLatin1String(text))
            return method;
    return std::nullopt;
}

inline QString clientAuthMethodName(ClientAuthMethod method) {
    for (const auto& [m, text] : clientAuthMethodNames())
        if (m == method)
            return QString::fromLatin1(text);
    return {};
}

} // namespace dcr
