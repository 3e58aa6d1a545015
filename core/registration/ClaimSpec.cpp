#include "ClaimSpec.h"

#include <QCoreApplication>

namespace dcr {

namespace {

QList<ClaimSpec> buildSpecs() {
    using L = QStringList;
    auto s = [](const char* text) { return QString::fromUtf8(text); };
    return {
        {s("iss"),
         ClaimType::String,
         true,
         {},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Identifier for the TPP: a Base62-encoded GUID; for OB "
                                        "Directory SSAs the software_id")},
        {s("iat"),
         ClaimType::Integer,
         true,
         {},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Issued-at, seconds since the epoch")},
        {s("exp"),
         ClaimType::Integer,
         true,
         {},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Expiry, seconds since the epoch")},
        {s("aud"),
         ClaimType::String,
         true,
         {},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "The ASPSP's identifier as issued by the SSA's issuer")},
        {s("jti"),
         ClaimType::String,
         false,
         {},
         {},
         true,
         QT_TRANSLATE_NOOP("ClaimSpec",
                           "Unique token id (UUIDv4); OBIE ASPSPs use it against replay")},
        {s("token_endpoint_auth_method"), ClaimType::String, false,
         L{s("client_secret_basic"), s("private_key_jwt"), s("tls_client_auth")},
         s("client_secret_basic"), false,
         QT_TRANSLATE_NOOP(
             "ClaimSpec",
             "Token endpoint authentication; tls_client_auth is the OBIE/FAPI choice")},
        {s("token_endpoint_auth_signing_alg"), ClaimType::String, false,
         L{s("RS256"), s("PS256"), s("ES256")}, s("PS256"), false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Algorithm for private_key_jwt client assertions")},
        {s("tls_client_auth_subject_dn"),
         ClaimType::String,
         false,
         {},
         {},
         true,
         QT_TRANSLATE_NOOP(
             "ClaimSpec",
             "Subject DN of the transport certificate (RFC 4514), required with tls_client_auth")},
        {s("grant_types"),
         ClaimType::StringArray,
         true,
         L{s("client_credentials"), s("authorization_code"), s("refresh_token")},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Grants the TPP may use at the token endpoint")},
        {s("response_types"), ClaimType::StringArray, false, L{s("code"), s("code id_token")},
         s("[\"code\"]"), false,
         QT_TRANSLATE_NOOP(
             "ClaimSpec",
             "Authorisation endpoint response types; \"code id_token\" is OBIE's hybrid flow")},
        {s("software_statement"),
         ClaimType::String,
         true,
         {},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "The SSA issued by the directory (a signed JWT)")},
        {s("software_id"),
         ClaimType::String,
         false,
         {},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Must equal the SSA's software_id when present")},
        {s("redirect_uris"),
         ClaimType::StringArray,
         true,
         {},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Subset of the SSA's software_redirect_uris")},
        {s("scope"),
         ClaimType::SpaceSeparated,
         false,
         L{s("openid"), s("accounts"), s("payments"), s("fundsconfirmations")},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec",
                           "Space-separated scopes, consistent with the SSA's software_roles")},
        {s("application_type"),
         ClaimType::String,
         false,
         L{s("web"), s("mobile")},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Web or mobile application")},
        {s("request_object_signing_alg"),
         ClaimType::String,
         false,
         L{s("RS256"), s("PS256"), s("ES256")},
         {},
         false,
         QT_TRANSLATE_NOOP("ClaimSpec", "Algorithm for signed authorisation request objects")},
        {s("id_token_signed_response_alg"),
         ClaimType::String,
         false,
         L{s("RS256"), s("PS256"), s("ES256")},
         {},
         true,
         QT_TRANSLATE_NOOP("ClaimSpec", "Algorithm the ASPSP uses to sign ID tokens")},
    };
}

} // namespace

const QList<ClaimSpec>& registrationClaimSpecs() {
    static const QList<ClaimSpec> specs = buildSpecs();
    return specs;
}

QString ClaimSpec::description() const {
    return QCoreApplication::translate("ClaimSpec", descriptionSource);
}

const ClaimSpec* findClaimSpec(const QString& name) {
    for (const auto& spec : registrationClaimSpecs())
        if (spec.name == name)
            return &spec;
    return nullptr;
}

} // namespace dcr
