#include "EcosystemPreset.h"

#include <QJsonArray>

namespace dcr {

namespace {

QJsonArray strings(std::initializer_list<const char*> values) {
    QJsonArray out;
    for (const char* v : values)
        out.append(QString::fromLatin1(v));
    return out;
}

QStringList names(std::initializer_list<const char*> values) {
    QStringList out;
    for (const char* v : values)
        out << QString::fromLatin1(v);
    return out;
}

} // namespace

Profile EcosystemPreset::applyTo(Profile profile) const {
    profile.preset = id;
    profile.bodyFormat = bodyFormat;
    profile.contentType = contentType;
    profile.specVersion = specVersion;
    profile.lifecycleAuth = lifecycleAuth;
    profile.tokenAuthMethod = tokenAuthMethod;
    if (!directoryIssuer.isEmpty())
        profile.directoryIssuer = directoryIssuer;
    if (!tokenScope.isEmpty())
        profile.tokenScope = tokenScope;
    return profile;
}

PreflightOptions preflightOptionsFor(const Profile& profile, const SupportedValues& supported) {
    PreflightOptions options;
    options.spec = profile.specVersion;
    if (!profile.directoryIssuer.isEmpty())
        options.directoryIssuers = {profile.directoryIssuer};
    options.expectedAud = profile.aud;
    options.supported = supported;
    options.bodyFormat = profile.bodyFormat;
    if (const EcosystemPreset* preset = findEcosystemPreset(profile.preset)) {
        options.presetName = preset->title;
        options.presetRequiredClaims = preset->requiredClaims;
    }
    return options;
}

QJsonObject EcosystemPreset::fillDefaults(QJsonObject claims) const {
    for (auto it = claimDefaults.begin(); it != claimDefaults.end(); ++it)
        if (!claims.contains(it.key()))
            claims.insert(it.key(), it.value());
    return claims;
}

const QList<EcosystemPreset>& ecosystemPresets() {
    static const QList<EcosystemPreset> all = [] {
        QList<EcosystemPreset> out;

        // UK Open Banking: the signed JWT body of OBIE DCR 3.3 (OBClientRegistration1, Content-Type
        // application/jwt), client management authorised with a client_credentials token
        // (TPPOAuth2Security), OBRegistrationProperties1's required properties, FAPI algorithms.
        EcosystemPreset obie;
        obie.id = QStringLiteral("uk-obie");
        obie.title = QStringLiteral("UK Open Banking (OBIE DCR 3.3)");
        obie.bodyFormat = RequestBodyFormat::Jwt;
        obie.contentType = "application/jwt";
        obie.specVersion = SpecVersion::Obie33;
        obie.lifecycleAuth = LifecycleAuth::Obie;
        obie.tokenAuthMethod = ClientAuthMethod::PrivateKeyJwt;
        obie.directoryIssuer = QStringLiteral("OpenBanking Ltd");
        obie.requiredClaims =
            names({"iss", "iat", "exp", "aud", "jti", "redirect_uris", "token_endpoint_auth_method",
                   "grant_types", "software_statement", "scope", "application_type",
                   "id_token_signed_response_alg", "request_object_signing_alg"});
        obie.claimDefaults = QJsonObject{
            {QStringLiteral("token_endpoint_auth_method"), QStringLiteral("private_key_jwt")},
            {QStringLiteral("token_endpoint_auth_signing_alg"), QStringLiteral("PS256")},
            {QStringLiteral("id_token_signed_response_alg"), QStringLiteral("PS256")},
            {QStringLiteral("request_object_signing_alg"), QStringLiteral("PS256")},
            {QStringLiteral("application_type"), QStringLiteral("web")},
            {QStringLiteral("grant_types"),
             strings({"authorization_code", "client_credentials", "refresh_token"})},
            {QStringLiteral("response_types"), strings({"code id_token"})}};
        obie.source = QStringLiteral("OBIE Dynamic Client Registration v3.3 (swagger "
                                     "OBClientRegistration1, OBRegistrationProperties1, "
                                     "TPPOAuth2Security); FAPI 1.0 Advanced §8.6");
        out << obie;

        // Open Finance Brasil DCR 1.0: a profile of RFC 7591/7592 (JSON body, §9.1's example)
        // with the Directory of Participants' SSA as software_statement, managed with the
        // registration_access_token (which the server "shall not rotate", v2 §6.1-7). Its own
        // rule set (spec ofb) and directory issuers.
        EcosystemPreset brasil;
        brasil.id = QStringLiteral("open-finance-brasil");
        brasil.title = QStringLiteral("Open Finance Brasil (DCR 1.0)");
        brasil.bodyFormat = RequestBodyFormat::Json;
        brasil.contentType = "application/json";
        brasil.specVersion = SpecVersion::Ofb;
        brasil.lifecycleAuth = LifecycleAuth::Rfc7592;
        brasil.tokenAuthMethod = ClientAuthMethod::TlsClientAuth;
        // The DCR/DCM swagger's "required: - software_statement - redirect_uris"; §7.1-5's
        // jwks_uri (required by the OIDF suite); token_endpoint_auth_method, whose RFC 7591
        // default client_secret_basic Brazil does not allow (suite, BrazilOBDCR-7.1-7).
        brasil.requiredClaims = names(
            {"software_statement", "jwks_uri", "redirect_uris", "token_endpoint_auth_method"});
        brasil.claimDefaults = QJsonObject{
            {QStringLiteral("token_endpoint_auth_method"), QStringLiteral("tls_client_auth")},
            {QStringLiteral("grant_types"),
             strings({"authorization_code", "implicit", "refresh_token", "client_credentials"})},
            {QStringLiteral("response_types"), strings({"code id_token"})},
            {QStringLiteral("id_token_signed_response_alg"), QStringLiteral("PS256")},
            {QStringLiteral("request_object_signing_alg"), QStringLiteral("PS256")}};
        brasil.source = QStringLiteral(
            "Open Finance Brasil DCR 1.0 (OpenBanking-Brasil/specs-seguranca "
            "open-banking-brasil-dynamic-client-registration-1_ID3 §7.1, §9.1; DCR/DCM swagger; "
            "v2 §6.1-7 on the registration_access_token); security profile §6.2 (PS256)");
        out << brasil;

        // Australia's Consumer Data Right: a signed application/jwt body with the CDR Register's
        // SSA, private_key_jwt only, the registration managed with a client_credentials token
        // of scope cdr:registration.
        EcosystemPreset cdr;
        cdr.id = QStringLiteral("cdr-au");
        cdr.title = QStringLiteral("Australia CDR (DCR)");
        cdr.bodyFormat = RequestBodyFormat::Jwt;
        cdr.contentType = "application/jwt";
        cdr.specVersion = SpecVersion::Cdr;
        cdr.lifecycleAuth = LifecycleAuth::Cdr;
        cdr.tokenAuthMethod = ClientAuthMethod::PrivateKeyJwt;
        cdr.tokenScope = QStringLiteral("cdr:registration");
        cdr.requiredClaims =
            names({"iss", "iat", "exp", "jti", "aud", "token_endpoint_auth_method",
                   "token_endpoint_auth_signing_alg", "grant_types", "response_types",
                   "id_token_signed_response_alg", "software_statement"});
        cdr.claimDefaults = QJsonObject{
            {QStringLiteral("token_endpoint_auth_method"), QStringLiteral("private_key_jwt")},
            {QStringLiteral("token_endpoint_auth_signing_alg"), QStringLiteral("PS256")},
            {QStringLiteral("id_token_signed_response_alg"), QStringLiteral("PS256")},
            {QStringLiteral("request_object_signing_alg"), QStringLiteral("PS256")},
            {QStringLiteral("authorization_signed_response_alg"), QStringLiteral("PS256")},
            {QStringLiteral("application_type"), QStringLiteral("web")},
            {QStringLiteral("grant_types"),
             strings({"client_credentials", "authorization_code", "refresh_token"})},
            {QStringLiteral("response_types"), strings({"code"})}};
        cdr.source = QStringLiteral(
            "CDR standards (ConsumerDataStandardsAustralia/standards): security "
            "_client_registration (Registration Request using JWT, SSA Definition, Registration "
            "Management), endpoints/_registration (cdr:registration), cds_dcr swagger");
        out << cdr;

        // Generic RFC 7591: JSON metadata, RFC 7592 management. RFC 7591 requires no metadata
        // member as such (redirect_uris only for redirect flows, checked by json-redirect-uris).
        EcosystemPreset generic;
        generic.id = QStringLiteral("rfc7591");
        generic.title = QStringLiteral("Generic RFC 7591 / 7592");
        generic.bodyFormat = RequestBodyFormat::Json;
        generic.contentType = "application/json";
        generic.specVersion = SpecVersion::Seed;
        generic.lifecycleAuth = LifecycleAuth::Rfc7592;
        generic.tokenAuthMethod = ClientAuthMethod::ClientSecretBasic;
        generic.claimDefaults = QJsonObject{
            {QStringLiteral("token_endpoint_auth_method"), QStringLiteral("client_secret_basic")},
            {QStringLiteral("grant_types"), strings({"authorization_code"})},
            {QStringLiteral("response_types"), strings({"code"})}};
        generic.source = QStringLiteral("RFC 7591 §2 (metadata and its defaults), §3.1 "
                                        "(application/json); RFC 7592 §2 (management with the "
                                        "registration access token)");
        out << generic;
        return out;
    }();
    return all;
}

const EcosystemPreset* findEcosystemPreset(const QString& id) {
    if (id.isEmpty())
        return nullptr;
    for (const EcosystemPreset& preset : ecosystemPresets())
        if (preset.id == id)
            return &preset;
    return nullptr;
}

QString ecosystemPresetIds() {
    QStringList ids;
    for (const EcosystemPreset& preset : ecosystemPresets())
        ids << preset.id;
    return ids.join(QStringLiteral(", "));
}

} // namespace dcr
