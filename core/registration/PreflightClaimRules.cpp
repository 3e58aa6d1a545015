#include "PreflightClaimRules.h"

#include "ClaimSpec.h"
#include "JsonRegistrationBody.h"
#include "common/HumanAge.h"
#include "common/JsonInteger.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace dcr::preflight {

namespace {

// User-facing text (finding messages), translated in the preflight's context.
struct PreflightClaimRulesTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Preflight)
};

bool typeMatches(const QJsonValue& v, ClaimType type) {
    switch (type) {
    case ClaimType::String:
    case ClaimType::SpaceSeparated:
        return v.isString();
    case ClaimType::Integer:
        return jsonInteger(v).has_value();
    case ClaimType::StringArray: {
        if (!v.isArray())
            return false;
        for (const auto& item : v.toArray())
            if (!item.isString())
                return false;
        return true;
    }
    }
    return false;
}

QString typeName(ClaimType type) {
    switch (type) {
    case ClaimType::String:
        return PreflightClaimRulesTr::tr("a string");
    case ClaimType::SpaceSeparated:
        return PreflightClaimRulesTr::tr("a space-separated string");
    case ClaimType::Integer:
        return PreflightClaimRulesTr::tr("an integer (seconds since the epoch)");
    case ClaimType::StringArray:
        return PreflightClaimRulesTr::tr("an array of strings");
    }
    return {};
}

// OBIE DCR 3.2 and 3.3 OBRegistrationProperties1 "required" adds these to the seed's set; the
// JWT claims of OBClientRegistration1 add jti. The CDR's "Registration Request using JWT" table
// marks redirect_uris Optional ("If used, redirect_uris MUST match or be a subset of ...") and
// these Required. Open Finance Brasil's JSON body has no JWT envelope (json() leaves those out).
bool requiredUnder(const ClaimSpec& spec, SpecVersion version) {
    if (version == SpecVersion::Cdr) {
        static const QStringList cdr = {QStringLiteral("iss"),
                                        QStringLiteral("iat"),
                                        QStringLiteral("exp"),
                                        QStringLiteral("aud"),
                                        QStringLiteral("jti"),
                                        QStringLiteral("token_endpoint_auth_method"),
                                        QStringLiteral("grant_types"),
                                        QStringLiteral("token_endpoint_auth_signing_alg"),
                                        QStringLiteral("response_types"),
                                        QStringLiteral("id_token_signed_response_alg"),
                                        QStringLiteral("software_statement")};
        return cdr.contains(spec.name);
    }
    if (version == SpecVersion::Ofb) {
        // The DCR/DCM swagger's ClientRegistrationRequest "required: - software_statement -
        // redirect_uris"; token_endpoint_auth_method because RFC 7591's default
        // (client_secret_basic) is not allowed (the OIDF suite, BrazilOBDCR-7.1-7). jwks_uri is
        // ofb-jwks-uri's.
        static const QStringList ofb = {QStringLiteral("software_statement"),
                                        QStringLiteral("redirect_uris"),
                                        QStringLiteral("token_endpoint_auth_method")};
        return ofb.contains(spec.name);
    }
    if (spec.required)
        return true;
    if (version != SpecVersion::Obie32 && version != SpecVersion::Obie33)
        return false;
    static const QStringList more = {QStringLiteral("scope"),
                                     QStringLiteral("application_type"),
                                     QStringLiteral("id_token_signed_response_alg"),
                                     QStringLiteral("request_object_signing_alg"),
                                     QStringLiteral("token_endpoint_auth_method"),
                                     QStringLiteral("jti")};
    return more.contains(spec.name);
}

// The CDR's enumerations ("Registration Request using JWT" and the cds_dcr swagger): "The only
// supported method will be private_key_jwt", "The only supported application type will be web",
// grant types "client_credentials authorization_code refresh_token", response types "code" and
// "code id_token", and FAPI 1.0 Advanced §8.6 algorithms (PS256, ES256) for every signature.
QStringList allowedUnderCdr(const ClaimSpec& spec) {
    const QStringList fapiAlgs = {QStringLiteral("PS256"), QStringLiteral("ES256")};
    if (spec.name == QStringLiteral("token_endpoint_auth_method"))
        return {QStringLiteral("private_key_jwt")};
    if (spec.name == QStringLiteral("application_type"))
        return {QStringLiteral("web")};
    if (spec.name == QStringLiteral("token_endpoint_auth_signing_alg") ||
        spec.name == QStringLiteral("id_token_signed_response_alg") ||
        spec.name == QStringLiteral("request_object_signing_alg"))
        return fapiAlgs;
    if (spec.name == QStringLiteral("scope"))
        return {}; // the SSA's scope decides (cdr-scope-in-request)
    return spec.allowed;
}

// Open Finance Brasil: FAPI 1.0 Advanced client authentication (the OIDF suite's
// FAPIBrazilValidateClientAuthenticationMethods: tls_client_auth, self_signed_tls_client_auth,
// private_key_jwt), PS256 for every signature (security profile §6.2 "shall use PS256
// algorithm"), the implicit grant beside "code id_token" and the §9.1 example's values.
QStringList allowedUnderOfb(const ClaimSpec& spec) {
    if (spec.name == QStringLiteral("token_endpoint_auth_method"))
        return {QStringLiteral("private_key_jwt"), QStringLiteral("tls_client_auth"),
                QStringLiteral("self_signed_tls_client_auth")};
    if (spec.name == QStringLiteral("grant_types"))
        return spec.allowed + QStringList{QStringLiteral("implicit")};
    if (spec.name == QStringLiteral("response_types"))
        return spec.allowed + QStringList{QStringLiteral("id_token")};
    if (spec.name == QStringLiteral("application_type"))
        return {QStringLiteral("web"), QStringLiteral("native")};
    if (spec.name == QStringLiteral("token_endpoint_auth_signing_alg") ||
        spec.name == QStringLiteral("id_token_signed_response_alg") ||
        spec.name == QStringLiteral("request_object_signing_alg"))
        return {QStringLiteral("PS256")};
    if (spec.name == QStringLiteral("scope"))
        return {}; // the SSA's regulatory roles decide (ofb-scope-roles)
    return spec.allowed;
}

// Allowed values: the seed's lists (widened as ClaimSpec says) or OBIE's enumerations.
QStringList allowedUnder(const ClaimSpec& spec, SpecVersion version) {
    if (version == SpecVersion::Seed)
        return spec.allowed;
    if (version == SpecVersion::Cdr)
        return allowedUnderCdr(spec);
    if (version == SpecVersion::Ofb)
        return allowedUnderOfb(spec);
    if (spec.name == QStringLiteral("token_endpoint_auth_method"))
        return {QStringLiteral("private_key_jwt"), QStringLiteral("client_secret_jwt"),
                QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post"),
                QStringLiteral("tls_client_auth")};
    if (spec.name == QStringLiteral("grant_types")) {
        QStringList out = spec.allowed;
        if (version == SpecVersion::Obie33)
            out << cibaGrantType();
        return out;
    }
    if (spec.name == QStringLiteral("scope"))
        return {}; // OBIE: "string, minLength 1, maxLength 256", no enumeration
    return spec.allowed;
}

// Claims a spec defines beyond registrationClaimSpecs(), so they are not "unknown" there.
QStringList extraKnownClaims(SpecVersion version) {
    QStringList out;
    if (isObie(version))
        out << QStringLiteral("tls_client_auth_dn");
    if (version == SpecVersion::Obie33)
        out << QStringLiteral("backchannel_token_delivery_mode")
            << QStringLiteral("backchannel_client_notification_endpoint")
            << QStringLiteral("backchannel_authentication_request_signing_alg")
            << QStringLiteral("backchannel_user_code_parameter_supported");
    if (version == SpecVersion::Cdr || version == SpecVersion::Ofb)
        out << QStringLiteral("id_token_encrypted_response_alg")
            << QStringLiteral("id_token_encrypted_response_enc");
    if (version == SpecVersion::Cdr)
        out << QStringLiteral("authorization_signed_response_alg")
            << QStringLiteral("authorization_encrypted_response_alg")
            << QStringLiteral("authorization_encrypted_response_enc");
    if (version == SpecVersion::Ofb)
        out << QStringLiteral("jwks_uri") << QStringLiteral("webhook_uris")
            << QStringLiteral("require_signed_request_object")
            << QStringLiteral("tls_client_certificate_bound_access_tokens")
            << QStringLiteral("client_name") << QStringLiteral("client_uri")
            << QStringLiteral("logo_uri") << QStringLiteral("policy_uri")
            << QStringLiteral("tos_uri");
    return out;
}

} // namespace

void checkShapes(const RegistrationRequest& request, Collector& c) {
    for (const ClaimSpec& spec : registrationClaimSpecs()) {
        // A JSON body has no JWT envelope: its claims are left out, so never required there.
        const bool required =
            (requiredUnder(spec, c.spec()) || c.options.presetRequiredClaims.contains(spec.name)) &&
            !(c.json() && JsonRegistrationBody::isJwtOnlyClaim(spec.name));
        const QJsonValue v = request.claims().value(spec.name);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                c.add("required-claim", spec.name,
                      PreflightClaimRulesTr::tr("required claim %1 is missing (%2)")
                          .arg(q(spec.name), spec.description()));
            continue;
        }
        if (!typeMatches(v, spec.type)) {
            c.add(
                "claim-type", spec.name,
                PreflightClaimRulesTr::tr("%1 must be %2").arg(q(spec.name), typeName(spec.type)));
            continue;
        }
        if (required && v.isString() && v.toString().trimmed().isEmpty())
            c.add("required-claim", spec.name,
                  PreflightClaimRulesTr::tr("required claim %1 is empty").arg(q(spec.name)));
        if (spec.type == ClaimType::StringArray && required && v.toArray().isEmpty())
            c.add(
                "required-claim", spec.name,
                PreflightClaimRulesTr::tr("required claim %1 is an empty array").arg(q(spec.name)));
        const QStringList allowed = allowedUnder(spec, c.spec());
        if (allowed.isEmpty())
            continue;
        QStringList values;
        if (spec.type == ClaimType::StringArray)
            for (const auto& item : v.toArray())
                values << item.toString();
        else if (spec.type == ClaimType::SpaceSeparated)
            values = v.toString().split(u' ', Qt::SkipEmptyParts);
        else
            values << v.toString();
        for (const QString& value : values)
            if (!allowed.contains(value))
                c.add("allowed-value", spec.name,
                      PreflightClaimRulesTr::tr(
                          "%1 is not an allowed value of %2 under %3 (allowed: %4)")
                          .arg(q(value), q(spec.name), specVersionName(c.spec()),
                               allowed.join(QStringLiteral(", "))));
    }
    // Claims a preset requires that the claim table does not describe (jwks_uri, ...).
    for (const QString& name : c.options.presetRequiredClaims) {
        if (findClaimSpec(name))
            continue;
        const QJsonValue v = request.claims().value(name);
        if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty()) ||
            (v.isArray() && v.toArray().isEmpty()))
            c.add("required-claim", name,
                  PreflightClaimRulesTr::tr("%1 requires %2").arg(c.options.presetName, q(name)));
    }
    QStringList extra = extraKnownClaims(c.spec());
    extra << c.options.presetRequiredClaims;
    for (const QString& name : request.unknownClaims())
        if (!extra.contains(name))
            c.add("unknown-claim", name,
                  PreflightClaimRulesTr::tr(
                      "%1 is not a DCR claim this tool knows; it is kept and sent as is")
                      .arg(q(name)));
}

void checkIdentity(const PreflightInput& in, Collector& c) {
    const QString iss = in.request.iss();
    // OBIE 3.1 limits iss to 18 Base62 characters; 3.2 and 3.3 (and the seed's "Base62 encoded
    // GUID") allow the 22 a 128-bit value needs.
    const int issMax = c.spec() == SpecVersion::Obie31 ? 18 : 22;
    // The seed contradicts itself: its SSA's software_id is a hyphenated UUID, iss must equal it
    // and iss must be Base62. Under the seed, equality with the SSA wins and the format is only
    // noted. The OBIE specs have no such contradiction (their iss is "Base62 encoded GUID", OBIE
    // 3.1: at most 18 characters, and an OBIE bank enforces it), so there it is an error.
    const bool waived =
        c.spec() == SpecVersion::Seed && in.ssa && !iss.isEmpty() && iss == in.ssa->softwareId();
    if (!iss.isEmpty() && !isBase62Guid(iss, issMax)) {
        if (waived)
            c.add("iss-format-waived", QStringLiteral("iss"),
                  PreflightClaimRulesTr::tr(
                      "iss %1 is not Base62 (at most %2 characters), but it is the SSA's "
                      "software_id, which the OB Directory rule requires; not an error")
                      .arg(q(iss))
                      .arg(issMax));
        else
            c.add("iss-base62-guid", QStringLiteral("iss"),
                  PreflightClaimRulesTr::tr(
                      "iss %1 is not a Base62-encoded GUID (up to %2 characters of 0-9, "
                      "A-Z, a-z)")
                      .arg(q(iss))
                      .arg(issMax));
    }
    const QString aud = in.request.aud();
    if (!aud.isEmpty() && !isBase62Guid(aud, 18))
        c.add("aud-format", QStringLiteral("aud"),
              PreflightClaimRulesTr::tr(
                  "aud %1 is not the ASPSP's Base62 id (at most 18 characters of 0-9, "
                  "A-Z, a-z)")
                  .arg(q(aud)));
    if (!aud.isEmpty() && !c.options.expectedAud.isEmpty() && aud != c.options.expectedAud)
        c.add("aud-expected", QStringLiteral("aud"),
              PreflightClaimRulesTr::tr("aud %1 is not this ASPSP's id %2")
                  .arg(q(aud), q(c.options.expectedAud)));
    if (!in.ssa)
        return;
    const QString ssaSoftwareId = in.ssa->softwareId();
    if (!in.request.softwareId().isEmpty() && in.request.softwareId() != ssaSoftwareId)
        c.add("software-id-match", QStringLiteral("software_id"),
              PreflightClaimRulesTr::tr("software_id %1 differs from the SSA's software_id %2")
                  .arg(q(in.request.softwareId()), q(ssaSoftwareId)));
    if (!iss.isEmpty() && iss != ssaSoftwareId) {
        // The seed: for SSAs issued by the OB Directory, iss must be the software_id.
        const bool obDirectory = c.options.trustedDirectoryIssuers().contains(in.ssa->iss());
        c.addAs(obDirectory ? Severity::Error : Severity::Warning, "iss-software-id",
                QStringLiteral("iss"),
                PreflightClaimRulesTr::tr("iss %1 is not the SSA's software_id %2%3")
                    .arg(q(iss), q(ssaSoftwareId),
                         obDirectory
                             ? PreflightClaimRulesTr::tr(" (required for OB Directory SSAs)")
                             : PreflightClaimRulesTr::tr(" (most ASPSPs expect them equal)")));
    }
}

void checkTimes(const PreflightInput& in, const QDateTime& now, Collector& c) {
    const int skew = c.options.clockSkewSeconds;
    const qint64 t = now.toSecsSinceEpoch();
    const auto iat = in.request.integer(QStringLiteral("iat"));
    const auto exp = in.request.integer(QStringLiteral("exp"));
    if (iat && *iat > t + skew)
        c.add("iat-future", QStringLiteral("iat"),
              PreflightClaimRulesTr::tr(
                  "iat %1 is %2 s in the future (allowed clock skew %3 s); check the clock")
                  .arg(when(*iat))
                  .arg(*iat - t)
                  .arg(skew));
    if (iat && exp && *exp <= *iat)
        c.add("exp-after-iat", QStringLiteral("exp"),
              PreflightClaimRulesTr::tr("exp %1 is not after iat %2").arg(when(*exp), when(*iat)));
    if (exp && *exp < t - skew)
        c.add("exp-past", QStringLiteral("exp"),
              PreflightClaimRulesTr::tr("exp %1 is in the past (%2); sign a fresh request")
                  .arg(when(*exp), humanAge(t - *exp)));
    // The seed: exp "Values greater than: 1732201627".
    constexpr qint64 seedMinimumExp = 1732201627;
    if (exp && *exp <= seedMinimumExp)
        c.add("exp-seed-minimum", QStringLiteral("exp"),
              PreflightClaimRulesTr::tr("exp %1 is not greater than %2, the seed's minimum")
                  .arg(*exp)
                  .arg(seedMinimumExp));
    if (iat && exp && *exp - *iat > c.options.maxLifetimeSeconds)
        c.add("lifetime-long", QStringLiteral("exp"),
              PreflightClaimRulesTr::tr(
                  "the request is valid for %1 s (iat to exp), more than %2 s; a "
                  "leaked request stays replayable that long")
                  .arg(*exp - *iat)
                  .arg(c.options.maxLifetimeSeconds));
    const QJsonValue jti = in.request.claims().value(QStringLiteral("jti"));
    if (jti.isUndefined())
        c.add("jti-missing", QStringLiteral("jti"),
              PreflightClaimRulesTr::tr(
                  "no jti: OBIE ASPSPs use it to reject replays; add a UUIDv4"));
    else if (jti.isString() && !jti.toString().isEmpty() && !isUuidV4(jti.toString()))
        c.add("jti-format", QStringLiteral("jti"),
              PreflightClaimRulesTr::tr(
                  "jti %1 is not a UUID version 4 (OBIE: \"Unique identifier for the "
                  "JWT implemented as UUID v4\")")
                  .arg(q(jti.toString())));
}

void checkSupported(const PreflightInput& in, Collector& c) {
    const std::pair<const char*, const char*> map[] = {
        {"token_endpoint_auth_method", "token_endpoint_auth_methods_supported"},
        {"token_endpoint_auth_signing_alg", "token_endpoint_auth_signing_alg_values_supported"},
        {"grant_types", "grant_types_supported"},
        {"response_types", "response_types_supported"},
        {"scope", "scopes_supported"},
        {"request_object_signing_alg", "request_object_signing_alg_values_supported"},
        {"id_token_signed_response_alg", "id_token_signing_alg_values_supported"}};
    for (const auto& [claimName, metadata] : map) {
        const QString claim = QString::fromLatin1(claimName);
        const SupportedValues& all = in.supported.isEmpty() ? c.options.supported : in.supported;
        const QStringList supported = all.value(QString::fromLatin1(metadata));
        if (supported.isEmpty() || !in.request.has(claim))
            continue;
        const QStringList values =
            claim == QStringLiteral("scope") ? in.request.scopes() : in.request.stringList(claim);
        for (const QString& value : values)
            if (!supported.contains(value))
                c.add("discovery-unsupported", claim,
                      PreflightClaimRulesTr::tr(
                          "the ASPSP's discovery document does not list %1 in %2")
                          .arg(q(value), QString::fromLatin1(metadata)));
    }
}

} // namespace dcr::preflight
