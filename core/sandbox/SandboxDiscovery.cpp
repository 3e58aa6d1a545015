#include "SandboxDiscovery.h"

#include "common/Utf8.h"

#include <QJsonArray>

namespace dcr {

QJsonObject SandboxDiscovery::document(const SandboxKit& kit, SandboxMode mode, const QUrl& baseUrl,
                                       const QString& registrationPath, const QDateTime& now) {
    auto url = [&baseUrl](const QString& path) {
        QUrl u = baseUrl;
        u.setPath(path);
        return u.toString();
    };
    // CDR: "The only supported method will be private_key_jwt"; Open Finance Brasil: the OIDF
    // suite's tls_client_auth, self_signed_tls_client_auth and private_key_jwt.
    QJsonArray authMethods{s("tls_client_auth"), s("private_key_jwt"), s("client_secret_basic")};
    QJsonArray scopes{s("openid"), s("accounts"), s("payments"), s("fundsconfirmations")};
    if (mode == SandboxMode::Cdr) {
        authMethods = {s("private_key_jwt")};
        scopes = QJsonArray::fromStringList(
            kit.cdrSoftwareStatementClaims(now).value(s("scope")).toString().split(u' '));
    } else if (mode == SandboxMode::Ofb) {
        authMethods = {s("private_key_jwt"), s("tls_client_auth"),
                       s("self_signed_tls_client_auth")};
        scopes = {s("openid"), s("accounts"), s("consents"), s("resources"), s("payments")};
    }
    const QJsonObject doc{
        {s("issuer"), url(s("/"))},
        {s("registration_endpoint"), url(registrationPath)},
        {s("token_endpoint"), url(s("/token"))},
        {s("authorization_endpoint"), url(s("/authorize"))},
        {s("jwks_uri"), url(s("/jwks/aspsp.jwks"))},
        {s("token_endpoint_auth_methods_supported"), authMethods},
        {s("token_endpoint_auth_signing_alg_values_supported"), QJsonArray{s("PS256"), s("ES256")}},
        {s("grant_types_supported"),
         QJsonArray{s("client_credentials"), s("authorization_code"), s("refresh_token")}},
        {s("response_types_supported"), QJsonArray{s("code"), s("code id_token")}},
        {s("scopes_supported"), scopes},
        {s("request_object_signing_alg_values_supported"), QJsonArray{s("PS256"), s("ES256")}},
        {s("id_token_signing_alg_values_supported"), QJsonArray{s("PS256"), s("ES256")}},
        {s("tls_client_certificate_bound_access_tokens"), true},
    };
    return doc;
}

} // namespace dcr
