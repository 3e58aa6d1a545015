#include "Preflight.h"
#include "RoleScopes.h"

#include "ClaimSpec.h"
#include "JsonRegistrationBody.h"

#include "common/JsonInteger.h"
#include "jose/DistinguishedName.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QSet>
#include <QUrl>

namespace dcr {

namespace {

// Finds the rule's severity under the spec being checked; rules that do not apply to it (or FAPI
// rules with FAPI off) produce nothing, so every check below can simply report.
struct Collector {
    const PreflightOptions& options;
    QList<PreflightFinding> findings;

    std::optional<Severity> severityOf(const char* rule) const {
        const PreflightRuleInfo* info = Preflight::findRule(QString::fromLatin1(rule));
        Q_ASSERT(info);
        if (!info || (info->fapi && !options.fapiEnabled()))
            return std::nullopt;
        const bool json = options.bodyFormat == RequestBodyFormat::Json;
        if ((json && info->bodies == PreflightRuleInfo::Bodies::JwtOnly) ||
            (!json && info->bodies == PreflightRuleInfo::Bodies::JsonOnly))
            return std::nullopt;
        return info->severityFor(options.spec);
    }
    void add(const char* rule, const QString& claim, const QString& message) {
        if (auto severity = severityOf(rule))
            findings << PreflightFinding{*severity, QString::fromLatin1(rule), claim, message};
    }
    // For the few rules whose severity depends on the request (iss-software-id).
    void addAs(Severity severity, const char* rule, const QString& claim, const QString& message) {
        if (severityOf(rule))
            findings << PreflightFinding{severity, QString::fromLatin1(rule), claim, message};
    }
    bool obie() const { return isObie(options.spec); }
    bool json() const { return options.bodyFormat == RequestBodyFormat::Json; }
    SpecVersion spec() const { return options.spec; }
};

QString q(const QString& s) {
    return u'"' + s + u'"';
}

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
        return QStringLiteral("a string");
    case ClaimType::SpaceSeparated:
        return QStringLiteral("a space-separated string");
    case ClaimType::Integer:
        return QStringLiteral("an integer (seconds since the epoch)");
    case ClaimType::StringArray:
        return QStringLiteral("an array of strings");
    }
    return {};
}

const QString kCiba = QStringLiteral("urn:openid:params:grant-type:ciba");

// OBIE DCR 3.2 and 3.3 OBRegistrationProperties1 "required" adds these to the seed's set; the
// JWT claims of OBClientRegistration1 add jti.
bool requiredUnder(const ClaimSpec& spec, SpecVersion version) {
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

// Allowed values: the seed's lists (widened as ClaimSpec says) or OBIE's enumerations.
QStringList allowedUnder(const ClaimSpec& spec, SpecVersion version) {
    if (version == SpecVersion::Seed)
        return spec.allowed;
    if (spec.name == QStringLiteral("token_endpoint_auth_method"))
        return {QStringLiteral("private_key_jwt"), QStringLiteral("client_secret_jwt"),
                QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post"),
                QStringLiteral("tls_client_auth")};
    if (spec.name == QStringLiteral("grant_types")) {
        QStringList out = spec.allowed;
        if (version == SpecVersion::Obie33)
            out << kCiba;
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
    return out;
}

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
                      QStringLiteral("required claim %1 is missing (%2)")
                          .arg(q(spec.name), spec.description));
            continue;
        }
        if (!typeMatches(v, spec.type)) {
            c.add("claim-type", spec.name,
                  QStringLiteral("%1 must be %2").arg(q(spec.name), typeName(spec.type)));
            continue;
        }
        if (required && v.isString() && v.toString().trimmed().isEmpty())
            c.add("required-claim", spec.name,
                  QStringLiteral("required claim %1 is empty").arg(q(spec.name)));
        if (spec.type == ClaimType::StringArray && required && v.toArray().isEmpty())
            c.add("required-claim", spec.name,
                  QStringLiteral("required claim %1 is an empty array").arg(q(spec.name)));
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
                      QStringLiteral("%1 is not an allowed value of %2 under %3 (allowed: %4)")
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
                  QStringLiteral("%1 requires %2").arg(c.options.presetName, q(name)));
    }
    QStringList extra = extraKnownClaims(c.spec());
    extra << c.options.presetRequiredClaims;
    for (const QString& name : request.unknownClaims())
        if (!extra.contains(name))
            c.add("unknown-claim", name,
                  QStringLiteral("%1 is not a DCR claim this tool knows; it is kept and sent as is")
                      .arg(q(name)));
}

void checkIdentity(const PreflightInput& in, Collector& c) {
    const QString iss = in.request.iss();
    // OBIE 3.1 limits iss to 18 Base62 characters; 3.2 and 3.3 (and the seed's "Base62 encoded
    // GUID") allow the 22 a 128-bit value needs.
    const int issMax = c.spec() == SpecVersion::Obie31 ? 18 : 22;
    const bool issIsSoftwareId = in.ssa && !iss.isEmpty() && iss == in.ssa->softwareId();
    if (!iss.isEmpty() && !isBase62Guid(iss, issMax)) {
        // The seed contradicts itself: its SSA's software_id is a hyphenated UUID, iss must equal
        // it and iss must be Base62. Equality with the SSA wins; the format is then only noted.
        if (issIsSoftwareId)
            c.add(
                "iss-format-waived", QStringLiteral("iss"),
                QStringLiteral("iss %1 is not Base62 (at most %2 characters), but it is the SSA's "
                               "software_id, which the OB Directory rule requires; not an error")
                    .arg(q(iss))
                    .arg(issMax));
        else
            c.add("iss-base62-guid", QStringLiteral("iss"),
                  QStringLiteral("iss %1 is not a Base62-encoded GUID (up to %2 characters of 0-9, "
                                 "A-Z, a-z)")
                      .arg(q(iss))
                      .arg(issMax));
    }
    const QString aud = in.request.aud();
    if (!aud.isEmpty() && !isBase62Guid(aud, 18))
        c.add("aud-format", QStringLiteral("aud"),
              QStringLiteral("aud %1 is not the ASPSP's Base62 id (at most 18 characters of 0-9, "
                             "A-Z, a-z)")
                  .arg(q(aud)));
    if (!aud.isEmpty() && !c.options.expectedAud.isEmpty() && aud != c.options.expectedAud)
        c.add("aud-expected", QStringLiteral("aud"),
              QStringLiteral("aud %1 is not this ASPSP's id %2")
                  .arg(q(aud), q(c.options.expectedAud)));
    if (!in.ssa)
        return;
    const QString ssaSoftwareId = in.ssa->softwareId();
    if (!in.request.softwareId().isEmpty() && in.request.softwareId() != ssaSoftwareId)
        c.add("software-id-match", QStringLiteral("software_id"),
              QStringLiteral("software_id %1 differs from the SSA's software_id %2")
                  .arg(q(in.request.softwareId()), q(ssaSoftwareId)));
    if (!iss.isEmpty() && iss != ssaSoftwareId) {
        // The seed: for SSAs issued by the OB Directory, iss must be the software_id.
        const bool obDirectory = c.options.directoryIssuers.contains(in.ssa->iss());
        c.addAs(obDirectory ? Severity::Error : Severity::Warning, "iss-software-id",
                QStringLiteral("iss"),
                QStringLiteral("iss %1 is not the SSA's software_id %2%3")
                    .arg(q(iss), q(ssaSoftwareId),
                         obDirectory ? QStringLiteral(" (required for OB Directory SSAs)")
                                     : QStringLiteral(" (most ASPSPs expect them equal)")));
    }
}

QString when(qint64 s) {
    return QDateTime::fromSecsSinceEpoch(s, Qt::UTC).toString(Qt::ISODate);
}

void checkTimes(const PreflightInput& in, const QDateTime& now, Collector& c) {
    const int skew = c.options.clockSkewSeconds;
    const qint64 t = now.toSecsSinceEpoch();
    const auto iat = in.request.integer(QStringLiteral("iat"));
    const auto exp = in.request.integer(QStringLiteral("exp"));
    if (iat && *iat > t + skew)
        c.add("iat-future", QStringLiteral("iat"),
              QStringLiteral(
                  "iat %1 is %2 s in the future (allowed clock skew %3 s); check the clock")
                  .arg(when(*iat))
                  .arg(*iat - t)
                  .arg(skew));
    if (iat && exp && *exp <= *iat)
        c.add("exp-after-iat", QStringLiteral("exp"),
              QStringLiteral("exp %1 is not after iat %2").arg(when(*exp), when(*iat)));
    if (exp && *exp < t - skew)
        c.add("exp-past", QStringLiteral("exp"),
              QStringLiteral("exp %1 is in the past (%2 s ago); sign a fresh request")
                  .arg(when(*exp))
                  .arg(t - *exp));
    // The seed: exp "Values greater than: 1732201627".
    constexpr qint64 seedMinimumExp = 1732201627;
    if (exp && *exp <= seedMinimumExp)
        c.add("exp-seed-minimum", QStringLiteral("exp"),
              QStringLiteral("exp %1 is not greater than %2, the seed's minimum")
                  .arg(*exp)
                  .arg(seedMinimumExp));
    if (iat && exp && *exp - *iat > c.options.maxLifetimeSeconds)
        c.add("lifetime-long", QStringLiteral("exp"),
              QStringLiteral("the request is valid for %1 s (iat to exp), more than %2 s; a "
                             "leaked request stays replayable that long")
                  .arg(*exp - *iat)
                  .arg(c.options.maxLifetimeSeconds));
    const QJsonValue jti = in.request.claims().value(QStringLiteral("jti"));
    if (jti.isUndefined())
        c.add("jti-missing", QStringLiteral("jti"),
              QStringLiteral("no jti: OBIE ASPSPs use it to reject replays; add a UUIDv4"));
    else if (jti.isString() && !jti.toString().isEmpty() && !isUuidV4(jti.toString()))
        c.add("jti-format", QStringLiteral("jti"),
              QStringLiteral("jti %1 is not a UUID version 4 (OBIE: \"Unique identifier for the "
                             "JWT implemented as UUID v4\")")
                  .arg(q(jti.toString())));
}

bool isLocalHost(const QString& host) {
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0 ||
        host.endsWith(QStringLiteral(".localhost")))
        return true;
    QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

void checkRedirects(const PreflightInput& in, Collector& c) {
    const QString claim = QStringLiteral("redirect_uris");
    const QStringList ssaUris = in.ssa ? in.ssa->redirectUris() : QStringList();
    for (const QString& uri : in.request.redirectUris()) {
        const QUrl url(uri, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()) {
            c.add("redirect-uri-valid", claim,
                  QStringLiteral("%1 is not an absolute URL").arg(q(uri)));
            continue;
        }
        if (url.scheme() != QStringLiteral("https"))
            c.add("redirect-https", claim, QStringLiteral("%1 must use https").arg(q(uri)));
        if (url.hasFragment())
            c.add("redirect-fragment", claim,
                  QStringLiteral("%1 must not contain a fragment (#...)").arg(q(uri)));
        if (isLocalHost(url.host()))
            c.add("redirect-localhost", claim,
                  QStringLiteral("%1 points at the local machine").arg(q(uri)));
        if (in.ssa && !ssaUris.isEmpty() && !ssaUris.contains(uri))
            c.add("redirect-in-ssa", claim,
                  QStringLiteral("%1 is not one of the SSA's software_redirect_uris (%2)")
                      .arg(q(uri), ssaUris.join(QStringLiteral(", "))));
    }
}

void checkScopes(const PreflightInput& in, Collector& c) {
    if (!in.ssa)
        return;
    const QStringList roles = in.ssa->roles();
    for (const QString& scope : in.request.scopes())
        if (const auto role = roleForScope(scope); role && !roles.contains(*role))
            c.add(
                "scope-roles", QStringLiteral("scope"),
                QStringLiteral("scope %1 needs the %2 role, but the SSA's software_roles are [%3]")
                    .arg(q(scope), *role, roles.join(QStringLiteral(", "))));
}

// OBIE 3.1 names the claim tls_client_auth_dn; 3.2 renamed it tls_client_auth_subject_dn.
QString dnClaimName(SpecVersion spec) {
    return spec == SpecVersion::Obie31 ? QStringLiteral("tls_client_auth_dn")
                                       : QStringLiteral("tls_client_auth_subject_dn");
}

void checkSubjectDn(const PreflightInput& in, Collector& c) {
    const QString expected = dnClaimName(c.spec());
    QString claim = expected;
    if (c.obie() && !in.request.has(expected)) {
        const QString other = expected == QStringLiteral("tls_client_auth_dn")
                                  ? QStringLiteral("tls_client_auth_subject_dn")
                                  : QStringLiteral("tls_client_auth_dn");
        if (in.request.has(other)) {
            c.add("tls-dn-claim-name", other,
                  QStringLiteral("%1 names the claim %2; an ASPSP on this version ignores %3")
                      .arg(specVersionName(c.spec()), q(expected), q(other)));
            claim = other;
        }
    }
    const QString value = in.request.string(claim);
    if (in.request.tokenEndpointAuthMethod() == QStringLiteral("tls_client_auth") &&
        value.trimmed().isEmpty())
        c.add("tls-client-auth-subject-dn", expected,
              QStringLiteral("tls_client_auth needs %1, the transport certificate's subject DN")
                  .arg(expected));
    if (value.trimmed().isEmpty())
        return;
    auto dn = DistinguishedName::parse(value);
    if (!dn) {
        c.add("subject-dn-syntax", claim,
              QStringLiteral("%1 is not an RFC 4514 distinguished name: %2")
                  .arg(q(value), dn.error().message));
        return;
    }
    const Certificate& cert = c.options.transportCertificate;
    if (cert.isNull())
        return;
    const QString named = cert.subjectDn(DnStyle::Rfc4514Names);
    if (!dn->sameAs(DistinguishedName::fromCertificateSubject(cert))) {
        c.add("subject-dn-certificate", claim,
              QStringLiteral("%1 does not name the transport certificate's subject %2")
                  .arg(q(value), q(named)));
        return;
    }
    const QString strict = cert.subjectDn(DnStyle::Rfc4514Oid);
    if (value != named && value != strict)
        c.add("subject-dn-rendering", claim,
              QStringLiteral("%1 names the transport certificate's subject in another rendering%2; "
                             "ASPSPs that compare strings may expect %3 or %4")
                  .arg(q(value),
                       dn->parsedOrder() == DistinguishedName::Order::Reversed
                           ? QStringLiteral(" (X.500 order, the reverse of RFC 4514's)")
                           : QString(),
                       q(named), q(strict)));
}

void checkAuthMethod(const PreflightInput& in, Collector& c) {
    const QString method = in.request.tokenEndpointAuthMethod();
    const bool needsAlg = method == QStringLiteral("private_key_jwt") ||
                          (c.obie() && method == QStringLiteral("client_secret_jwt"));
    if (needsAlg && !in.request.has(QStringLiteral("token_endpoint_auth_signing_alg")))
        c.add("auth-method-signing-alg", QStringLiteral("token_endpoint_auth_signing_alg"),
              c.obie()
                  ? QStringLiteral("%1 needs token_endpoint_auth_signing_alg (PS256 or ES256); "
                                   "OBIE has no default")
                        .arg(method)
                  : QStringLiteral("%1 without token_endpoint_auth_signing_alg: the seed "
                                   "defaults it to PS256")
                        .arg(method));
    const QStringList responseTypes = in.request.stringList(QStringLiteral("response_types"));
    if (!responseTypes.isEmpty() &&
        !in.request.grantTypes().contains(QStringLiteral("authorization_code")))
        c.add("response-types-grant", QStringLiteral("grant_types"),
              QStringLiteral("response_types are set but grant_types lacks authorization_code, so "
                             "they can never be used"));
    if (in.request.grantTypes().contains(kCiba)) {
        const QString mode = in.request.string(QStringLiteral("backchannel_token_delivery_mode"));
        if (!QStringList{QStringLiteral("poll"), QStringLiteral("ping"), QStringLiteral("push")}
                 .contains(mode))
            c.add("ciba-metadata", QStringLiteral("backchannel_token_delivery_mode"),
                  QStringLiteral("the CIBA grant needs backchannel_token_delivery_mode poll, ping "
                                 "or push"));
        if (!in.request.has(QStringLiteral("backchannel_authentication_request_signing_alg")))
            c.add("ciba-metadata", QStringLiteral("backchannel_authentication_request_signing_alg"),
                  QStringLiteral("the CIBA grant needs backchannel_authentication_request_"
                                 "signing_alg"));
        if (!mode.isEmpty() && mode != QStringLiteral("poll") &&
            !in.request.string(QStringLiteral("backchannel_client_notification_endpoint"))
                 .startsWith(QStringLiteral("https://")))
            c.add("ciba-metadata", QStringLiteral("backchannel_client_notification_endpoint"),
                  QStringLiteral("CIBA %1 mode needs an https backchannel_client_notification_"
                                 "endpoint")
                      .arg(mode));
        if (in.request.claims()
                .value(QStringLiteral("backchannel_user_code_parameter_supported"))
                .toBool())
            c.add("ciba-metadata", QStringLiteral("backchannel_user_code_parameter_supported"),
                  QStringLiteral("backchannel_user_code_parameter_supported must be false"));
    }
}

void checkFapi(const PreflightInput& in, Collector& c) {
    const QString method = in.request.tokenEndpointAuthMethod();
    if (!method.isEmpty() && method != QStringLiteral("tls_client_auth") &&
        method != QStringLiteral("self_signed_tls_client_auth") &&
        method != QStringLiteral("private_key_jwt"))
        c.add("fapi-auth-method", QStringLiteral("token_endpoint_auth_method"),
              QStringLiteral("%1 is not a FAPI 1.0 Advanced client authentication method "
                             "(tls_client_auth, self_signed_tls_client_auth or private_key_jwt)%2")
                  .arg(q(method), in.request.has(QStringLiteral("token_endpoint_auth_method"))
                                      ? QString()
                                      : QStringLiteral(" (it is the default when absent)")));
    for (const char* name : {"token_endpoint_auth_signing_alg", "request_object_signing_alg",
                             "id_token_signed_response_alg"}) {
        const QString claim = QString::fromLatin1(name);
        const QString alg = in.request.string(claim);
        if (!alg.isEmpty() && alg != QStringLiteral("PS256") && alg != QStringLiteral("ES256"))
            c.add("fapi-alg", claim,
                  QStringLiteral("%1 is %2; FAPI 1.0 Advanced requires PS256 or ES256")
                      .arg(claim, q(alg)));
    }
}

void checkSsa(const PreflightInput& in, const QDateTime& now, Collector& c) {
    const QString claim = QStringLiteral("software_statement");
    if (!in.ssaDecodeError.isEmpty()) {
        c.add(
            "ssa-decode", claim,
            QStringLiteral("the software statement cannot be decoded: %1").arg(in.ssaDecodeError));
        return;
    }
    if (!in.ssa)
        return;
    const SoftwareStatement& ssa = *in.ssa;
    if (!c.options.directoryIssuers.contains(ssa.iss()))
        c.add("ssa-issuer", claim,
              QStringLiteral("the SSA is issued by %1, not a trusted directory (%2)")
                  .arg(q(ssa.iss()), c.options.directoryIssuers.join(QStringLiteral(", "))));
    if (ssa.hasJws()) {
        const QString alg = ssa.header().value(QStringLiteral("alg")).toString();
        if (alg.startsWith(QStringLiteral("HS")))
            c.add("ssa-alg", claim,
                  QStringLiteral("the SSA is signed with %1, a shared secret; an OB Directory SSA "
                                 "is signed with the directory's private key (PS256)")
                      .arg(alg));
    }
    const qint64 t = now.toSecsSinceEpoch();
    const int skew = c.options.clockSkewSeconds;
    const auto iat = jsonInteger(ssa.claims().value(QStringLiteral("iat")));
    if (iat && *iat > t + skew)
        c.add("ssa-iat-future", claim,
              QStringLiteral("the SSA's iat %1 is in the future").arg(when(*iat)));
    const auto exp = jsonInteger(ssa.claims().value(QStringLiteral("exp")));
    if (exp && *exp < t - skew)
        c.add("ssa-expired", claim, QStringLiteral("the SSA expired at %1").arg(when(*exp)));
    if (ssa.orgStatus() != QStringLiteral("Active"))
        c.add("ssa-org-status", claim,
              ssa.orgStatus().isEmpty()
                  ? QStringLiteral("the SSA has no org_status; ASPSPs register only Active "
                                   "organisations")
                  : QStringLiteral("the SSA's org_status is %1, not Active; ASPSPs refuse "
                                   "inactive organisations")
                        .arg(q(ssa.orgStatus())));
    for (const auto& authority : ssa.competentAuthorityClaims())
        if (authority.status != QStringLiteral("Active"))
            c.add("ssa-authority-status", claim,
                  QStringLiteral("the competent authority claim %1/%2 has status %3, not Active")
                      .arg(authority.authorityId, authority.registrationId, q(authority.status)));
    const bool sandboxSsa =
        ssa.environment().compare(QStringLiteral("sandbox"), Qt::CaseInsensitive) == 0 ||
        ssa.mode().compare(QStringLiteral("Test"), Qt::CaseInsensitive) == 0;
    const bool productionSsa =
        ssa.environment().compare(QStringLiteral("production"), Qt::CaseInsensitive) == 0 ||
        ssa.mode().compare(QStringLiteral("Live"), Qt::CaseInsensitive) == 0;
    if (c.options.environment == TargetEnvironment::Production && sandboxSsa)
        c.add("ssa-environment", claim,
              QStringLiteral("the SSA is for the sandbox (software_environment %1, software_mode "
                             "%2); a production ASPSP refuses it")
                  .arg(q(ssa.environment()), q(ssa.mode())));
    if (c.options.environment == TargetEnvironment::Sandbox && productionSsa && !sandboxSsa)
        c.add("ssa-environment", claim,
              QStringLiteral("the SSA is for production (software_environment %1, software_mode "
                             "%2) but the target is a sandbox")
                  .arg(q(ssa.environment()), q(ssa.mode())));
    switch (in.ssaSignature.state) {
    case SignatureCheck::State::NotChecked:
        c.add("ssa-signature-unverified", claim,
              QStringLiteral("the SSA's signature was not verified; give the directory's JWKS or "
                             "shared secret to check it"));
        break;
    case SignatureCheck::State::Failed:
        c.add("ssa-signature-invalid", claim,
              QStringLiteral("the SSA's signature is invalid: %1").arg(in.ssaSignature.detail));
        break;
    case SignatureCheck::State::Verified:
        break;
    }
}

void checkRequestSignature(const PreflightInput& in, Collector& c) {
    if (in.requestAlgorithm && *in.requestAlgorithm != JwsAlgorithm::PS256 &&
        *in.requestAlgorithm != JwsAlgorithm::ES256)
        c.add("request-alg-fapi", QString(),
              QStringLiteral(
                  "the request is signed with %1; FAPI and Open Banking expect PS256 or ES256")
                  .arg(algorithmName(*in.requestAlgorithm)));
    if (in.requestSignature.state == SignatureCheck::State::Failed)
        c.add("request-signature-invalid", QString(),
              QStringLiteral("the request signature does not verify: %1")
                  .arg(in.requestSignature.detail));
}

// RFC 7591's own rules for a JSON body (a signed JWT body carries the same metadata, but these
// rules are about a body the ASPSP reads as plain metadata).
void checkJsonBody(const PreflightInput& in, Collector& c) {
    for (const QString& name : JsonRegistrationBody::jwtOnlyClaims())
        if (in.request.has(name))
            c.add("json-jwt-claim", name,
                  QStringLiteral("%1 is a claim of a signed request JWT, not RFC 7591 client "
                                 "metadata; a JSON body leaves it out")
                      .arg(q(name)));
    // RFC 7591 §2: "Clients using flows with redirection MUST register their redirection URI
    // values."
    const QStringList grants = in.request.grantTypes();
    if ((grants.contains(QStringLiteral("authorization_code")) ||
         grants.contains(QStringLiteral("implicit"))) &&
        in.request.redirectUris().isEmpty())
        c.add("json-redirect-uris", QStringLiteral("redirect_uris"),
              QStringLiteral("grant_types has a redirect-based grant but there are no "
                             "redirect_uris; RFC 7591 §2: \"Clients using flows with redirection "
                             "MUST register their redirection URI values\""));
    // RFC 7591 §2.3: "If the same client metadata name is present in both locations and the
    // software statement is trusted by the authorization server, the value of a claim in the
    // software statement MUST take precedence."
    if (!in.ssa)
        return;
    const QJsonObject ssaClaims = in.ssa->claims();
    for (auto it = in.request.claims().begin(); it != in.request.claims().end(); ++it) {
        if (it.key() == QStringLiteral("software_statement") ||
            JsonRegistrationBody::isJwtOnlyClaim(it.key()) || !ssaClaims.contains(it.key()))
            continue;
        if (ssaClaims.value(it.key()) != it.value())
            c.add("json-ssa-precedence", it.key(),
                  QStringLiteral("%1 differs from the software statement's value; RFC 7591 §2.3: "
                                 "the software statement's value takes precedence")
                      .arg(q(it.key())));
    }
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
                      QStringLiteral("the ASPSP's discovery document does not list %1 in %2")
                          .arg(q(value), QString::fromLatin1(metadata)));
    }
}

} // namespace

Preflight::Preflight(Clock clock, int clockSkewSeconds)
    : m_clock(std::move(clock)) {
    m_options.clockSkewSeconds = clockSkewSeconds;
}

Preflight::Preflight(PreflightOptions options, Clock clock)
    : m_clock(std::move(clock))
    , m_options(std::move(options)) {}

QList<PreflightFinding> Preflight::run(const PreflightInput& input) const {
    Collector c{m_options, {}};
    const QDateTime now = m_clock();
    checkShapes(input.request, c);
    checkIdentity(input, c);
    checkTimes(input, now, c);
    checkRedirects(input, c);
    checkScopes(input, c);
    checkSubjectDn(input, c);
    checkAuthMethod(input, c);
    checkFapi(input, c);
    checkSsa(input, now, c);
    checkRequestSignature(input, c);
    checkJsonBody(input, c);
    checkSupported(input, c);
    std::stable_sort(c.findings.begin(), c.findings.end(), [](const auto& a, const auto& b) {
        return static_cast<int>(a.severity) < static_cast<int>(b.severity);
    });
    return c.findings;
}

void Preflight::decodeSoftwareStatement(PreflightInput& input) {
    const QString ssa = input.request.softwareStatement();
    if (ssa.isEmpty())
        return;
    auto decoded = SoftwareStatement::decode(ssa.toLatin1());
    if (decoded)
        input.ssa = *decoded;
    else
        input.ssaDecodeError = decoded.error().message;
}

const QList<PreflightRuleInfo>& Preflight::rules() {
    // Severities per spec, in allSpecVersions() order (seed, obie-3.1, obie-3.2, obie-3.3):
    // E error, W warning, I info, - not checked under that spec. README's rule table says the same
    // (tst_preflight keeps the two in step).
    using Bodies = PreflightRuleInfo::Bodies;
    auto r = [](const char* id, const char* severities, const char* d, bool fapi = false,
                Bodies bodies = Bodies::Both) {
        PreflightRuleInfo info{
            QString::fromLatin1(id), Severity::Error, QString::fromUtf8(d), {}, fapi, bodies};
        bool first = true;
        for (const char* p = severities; *p; ++p) {
            std::optional<Severity> s;
            if (*p == 'E')
                s = Severity::Error;
            else if (*p == 'W')
                s = Severity::Warning;
            else if (*p == 'I')
                s = Severity::Info;
            info.perSpec << s;
            if (s && first) {
                info.severity = *s;
                first = false;
            }
        }
        return info;
    };
    static const QList<PreflightRuleInfo> all = {
        r("required-claim", "EEEE",
          "iss, iat, exp, aud, grant_types, software_statement, redirect_uris are present and "
          "non-empty; OBIE 3.2/3.3 add scope, application_type, id_token_signed_response_alg, "
          "request_object_signing_alg, token_endpoint_auth_method and jti"),
        r("claim-type", "EEEE",
          "each known claim has its JSON type (string, integer, string array)"),
        r("allowed-value", "EEEE",
          "enumerated claims use the spec's allowed values (seed: its lists plus OBIE's "
          "tls_client_auth, ES256, \"code id_token\"; OBIE 3.3 adds the CIBA grant)"),
        r("unknown-claim", "IIII", "claims the tool does not know are reported and kept"),
        r("iss-base62-guid", "EEEE",
          "iss is a Base62-encoded GUID (at most 22 characters; OBIE 3.1: 18)", false,
          Bodies::JwtOnly),
        r("iss-format-waived", "IIII",
          "iss fails the format but equals the SSA's software_id, which wins", false,
          Bodies::JwtOnly),
        r("iss-software-id", "EEEE",
          "iss equals the SSA's software_id (error for directory SSAs, warning otherwise)", false,
          Bodies::JwtOnly),
        r("software-id-match", "EEEE", "software_id equals the SSA's software_id"),
        r("aud-format", "-EEE", "aud is the ASPSP's Base62 id of at most 18 characters", false,
          Bodies::JwtOnly),
        r("aud-expected", "EEEE", "aud is the configured ASPSP id (when one is configured)", false,
          Bodies::JwtOnly),
        r("iat-future", "EEEE", "iat is not in the future beyond the clock skew (60 s)", false,
          Bodies::JwtOnly),
        r("exp-after-iat", "EEEE", "exp is after iat", false, Bodies::JwtOnly),
        r("exp-past", "EEEE", "exp is not in the past", false, Bodies::JwtOnly),
        r("exp-seed-minimum", "E---", "exp is greater than 1732201627, the seed's minimum", false,
          Bodies::JwtOnly),
        r("lifetime-long", "WWWW", "exp - iat is at most one hour", false, Bodies::JwtOnly),
        r("jti-missing", "-W--", "a jti is present (OBIE replay protection)", false,
          Bodies::JwtOnly),
        r("jti-format", "-EEE", "jti is a UUIDv4", false, Bodies::JwtOnly),
        r("redirect-uri-valid", "EEEE", "each redirect URI is an absolute URL"),
        r("redirect-https", "EEEE", "each redirect URI uses https"),
        r("redirect-fragment", "EEEE", "no redirect URI has a fragment"),
        r("redirect-localhost", "EEEE",
          "no redirect URI points at localhost or a loopback address"),
        r("redirect-in-ssa", "EEEE",
          "each redirect URI is one of the SSA's software_redirect_uris"),
        r("scope-roles", "EEEE",
          "scopes fit the SSA's roles: accounts needs AISP, payments PISP, fundsconfirmations "
          "CBPII"),
        r("auth-method-signing-alg", "IEEE",
          "private_key_jwt (OBIE: also client_secret_jwt) comes with "
          "token_endpoint_auth_signing_alg; the seed defaults it to PS256"),
        r("tls-client-auth-subject-dn", "EEEE", "tls_client_auth comes with the subject DN claim"),
        r("tls-dn-claim-name", "-WWW",
          "the subject DN claim has the spec's name: tls_client_auth_dn in 3.1, "
          "tls_client_auth_subject_dn from 3.2"),
        r("subject-dn-syntax", "EEEE", "the subject DN claim is an RFC 4514 distinguished name"),
        r("subject-dn-certificate", "EEEE",
          "the subject DN names the transport certificate's subject (compared by meaning)"),
        r("subject-dn-rendering", "IIII",
          "the subject DN names the certificate's subject in another rendering than ours"),
        r("response-types-grant", "WWWW",
          "response_types are only useful with the authorization_code grant"),
        r("ciba-metadata", "---E", "the CIBA grant comes with its backchannel_* metadata"),
        r("ssa-decode", "EEEE", "the software_statement is a decodable JWT"),
        r("ssa-issuer", "-EEE", "the SSA's iss is a trusted directory (OpenBanking Ltd)"),
        r("ssa-alg", "-EEE", "the SSA is not signed with a shared secret (HS256)"),
        r("ssa-iat-future", "EEEE", "the SSA's iat is not in the future"),
        r("ssa-expired", "EEEE", "the SSA's exp, when present, has not passed"),
        r("ssa-org-status", "EEEE", "the SSA's org_status is present and Active"),
        r("ssa-authority-status", "EEEE",
          "every competent-authority claim of the SSA has status Active"),
        r("ssa-environment", "EEEE",
          "the SSA's software_environment/software_mode fit the target (production refuses "
          "sandbox)"),
        r("ssa-signature-unverified", "WWWW", "the SSA's signature was checked"),
        r("ssa-signature-invalid", "EEEE", "the SSA's signature verifies"),
        r("request-alg-fapi", "WWWW", "the request is signed with PS256 or ES256 (FAPI)", false,
          Bodies::JwtOnly),
        r("request-signature-invalid", "EEEE",
          "the request signature verifies against the given key or JWKS", false, Bodies::JwtOnly),
        r("fapi-auth-method", "WWWW",
          "token_endpoint_auth_method is tls_client_auth, self_signed_tls_client_auth or "
          "private_key_jwt (FAPI 1.0 Advanced 5.2.2)",
          true),
        r("fapi-alg", "WWWW", "every *_alg claim is PS256 or ES256 (FAPI 1.0 Advanced 8.6)", true),
        r("discovery-unsupported", "WWWW",
          "values are among those the ASPSP's discovery document advertises"),
        r("json-jwt-claim", "IIII",
          "a JSON body (RFC 7591) leaves out iss, aud, iat, exp and jti, the JWT envelope's "
          "claims",
          false, Bodies::JsonOnly),
        r("json-redirect-uris", "EEEE",
          "a JSON body with a redirect-based grant registers redirect_uris (RFC 7591 §2)", false,
          Bodies::JsonOnly),
        r("json-ssa-precedence", "WWWW",
          "metadata that differs from the software statement's value: the statement's takes "
          "precedence (RFC 7591 §2.3)",
          false, Bodies::JsonOnly),
    };
    return all;
}

const PreflightRuleInfo* Preflight::findRule(const QString& id) {
    for (const auto& info : rules())
        if (info.id == id)
            return &info;
    return nullptr;
}

bool isBase62Guid(const QString& text, int maxLength) {
    // A 128-bit value takes at most 22 base62 digits. The numeric range is not checked: directory
    // encoders differ in digit order and alphabet, so real software_ids can exceed 2^128 in any one
    // reading.
    if (text.isEmpty() || text.size() > maxLength)
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar ch) {
        const char16_t c = ch.unicode();
        return (c >= u'0' && c <= u'9') || (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z');
    });
}

bool isUuidV4(const QString& text) {
    // ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < 36; ++i) {
        const char16_t c = text.at(i).unicode();
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
            continue;
        }
        const bool hex =
            (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex)
            return false;
    }
    const char16_t variant = text.at(19).toLower().unicode();
    return text.at(14) == u'4' &&
           (variant == u'8' || variant == u'9' || variant == u'a' || variant == u'b');
}

} // namespace dcr
