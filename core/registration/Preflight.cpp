#include "Preflight.h"
#include "RoleScopes.h"

#include "ClaimSpec.h"

#include "common/JsonInteger.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QSet>
#include <QUrl>

namespace dcr {

namespace {

struct Collector {
    QList<PreflightFinding> findings;
    void add(Severity s, const char* rule, const QString& claim, const QString& message) {
        findings << PreflightFinding{s, QString::fromLatin1(rule), claim, message};
    }
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

void checkShapes(const RegistrationRequest& request, Collector& c) {
    for (const ClaimSpec& spec : registrationClaimSpecs()) {
        const QJsonValue v = request.claims().value(spec.name);
        if (v.isUndefined() || v.isNull()) {
            if (spec.required)
                c.add(Severity::Error, "required-claim", spec.name,
                      QStringLiteral("required claim %1 is missing (%2)")
                          .arg(q(spec.name), spec.description));
            continue;
        }
        if (!typeMatches(v, spec.type)) {
            c.add(Severity::Error, "claim-type", spec.name,
                  QStringLiteral("%1 must be %2").arg(q(spec.name), typeName(spec.type)));
            continue;
        }
        if (spec.required && v.isString() && v.toString().trimmed().isEmpty())
            c.add(Severity::Error, "required-claim", spec.name,
                  QStringLiteral("required claim %1 is empty").arg(q(spec.name)));
        if (spec.type == ClaimType::StringArray && spec.required && v.toArray().isEmpty())
            c.add(Severity::Error, "required-claim", spec.name,
                  QStringLiteral("required claim %1 is an empty array").arg(q(spec.name)));
        if (spec.allowed.isEmpty())
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
            if (!spec.allowed.contains(value))
                c.add(Severity::Error, "allowed-value", spec.name,
                      QStringLiteral("%1 is not an allowed value of %2 (allowed: %3)")
                          .arg(q(value), q(spec.name), spec.allowed.join(QStringLiteral(", "))));
    }
    for (const QString& name : request.unknownClaims())
        c.add(Severity::Info, "unknown-claim", name,
              QStringLiteral("%1 is not a DCR claim this tool knows; it is kept and sent as is")
                  .arg(q(name)));
}

void checkIdentity(const PreflightInput& in, Collector& c) {
    const QString iss = in.request.iss();
    if (!iss.isEmpty() && !isBase62Guid(iss))
        c.add(Severity::Error, "iss-base62-guid", QStringLiteral("iss"),
              QStringLiteral(
                  "iss %1 is not a Base62-encoded GUID (up to 22 characters of 0-9, A-Z, a-z)")
                  .arg(q(iss)));
    if (!in.ssa)
        return;
    const QString ssaSoftwareId = in.ssa->softwareId();
    if (!in.request.softwareId().isEmpty() && in.request.softwareId() != ssaSoftwareId)
        c.add(Severity::Error, "software-id-match", QStringLiteral("software_id"),
              QStringLiteral("software_id %1 differs from the SSA's software_id %2")
                  .arg(q(in.request.softwareId()), q(ssaSoftwareId)));
    if (!iss.isEmpty() && iss != ssaSoftwareId) {
        // The seed: for SSAs issued by the OB Directory, iss must be the software_id.
        const bool obDirectory = in.ssa->iss().startsWith(QStringLiteral("OpenBanking"));
        c.add(obDirectory ? Severity::Error : Severity::Warning, "iss-software-id",
              QStringLiteral("iss"),
              QStringLiteral("iss %1 is not the SSA's software_id %2%3")
                  .arg(q(iss), q(ssaSoftwareId),
                       obDirectory ? QStringLiteral(" (required for OB Directory SSAs)")
                                   : QStringLiteral(" (most ASPSPs expect them equal)")));
    }
}

void checkTimes(const PreflightInput& in, const QDateTime& now, int skew, Collector& c) {
    const qint64 t = now.toSecsSinceEpoch();
    const auto iat = in.request.integer(QStringLiteral("iat"));
    const auto exp = in.request.integer(QStringLiteral("exp"));
    auto when = [](qint64 s) {
        return QDateTime::fromSecsSinceEpoch(s, Qt::UTC).toString(Qt::ISODate);
    };
    if (iat && *iat > t + skew)
        c.add(Severity::Error, "iat-future", QStringLiteral("iat"),
              QStringLiteral(
                  "iat %1 is %2 s in the future (allowed clock skew %3 s); check the clock")
                  .arg(when(*iat))
                  .arg(*iat - t)
                  .arg(skew));
    if (iat && exp && *exp <= *iat)
        c.add(Severity::Error, "exp-after-iat", QStringLiteral("exp"),
              QStringLiteral("exp %1 is not after iat %2").arg(when(*exp), when(*iat)));
    if (exp && *exp < t - skew)
        c.add(Severity::Error, "exp-past", QStringLiteral("exp"),
              QStringLiteral("exp %1 is in the past (%2 s ago); sign a fresh request")
                  .arg(when(*exp))
                  .arg(t - *exp));
    if (!in.request.has(QStringLiteral("jti")))
        c.add(Severity::Warning, "jti-missing", QStringLiteral("jti"),
              QStringLiteral("no jti: OBIE ASPSPs use it to reject replays; add a UUIDv4"));
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
            c.add(Severity::Error, "redirect-uri-valid", claim,
                  QStringLiteral("%1 is not an absolute URL").arg(q(uri)));
            continue;
        }
        if (url.scheme() != QStringLiteral("https"))
            c.add(Severity::Error, "redirect-https", claim,
                  QStringLiteral("%1 must use https").arg(q(uri)));
        if (url.hasFragment())
            c.add(Severity::Error, "redirect-fragment", claim,
                  QStringLiteral("%1 must not contain a fragment (#...)").arg(q(uri)));
        if (isLocalHost(url.host()))
            c.add(Severity::Error, "redirect-localhost", claim,
                  QStringLiteral("%1 points at the local machine").arg(q(uri)));
        if (in.ssa && !ssaUris.isEmpty() && !ssaUris.contains(uri))
            c.add(Severity::Error, "redirect-in-ssa", claim,
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
                Severity::Error, "scope-roles", QStringLiteral("scope"),
                QStringLiteral("scope %1 needs the %2 role, but the SSA's software_roles are [%3]")
                    .arg(q(scope), *role, roles.join(QStringLiteral(", "))));
}

void checkAuthMethod(const PreflightInput& in, Collector& c) {
    const QString method = in.request.tokenEndpointAuthMethod();
    if (method == QStringLiteral("private_key_jwt") &&
        !in.request.has(QStringLiteral("token_endpoint_auth_signing_alg")))
        c.add(Severity::Error, "auth-method-signing-alg",
              QStringLiteral("token_endpoint_auth_signing_alg"),
              QStringLiteral(
                  "private_key_jwt needs token_endpoint_auth_signing_alg (PS256 or ES256)"));
    if (method == QStringLiteral("tls_client_auth") &&
        in.request.string(QStringLiteral("tls_client_auth_subject_dn")).trimmed().isEmpty())
        c.add(Severity::Error, "tls-client-auth-subject-dn",
              QStringLiteral("tls_client_auth_subject_dn"),
              QStringLiteral("tls_client_auth needs tls_client_auth_subject_dn, the transport "
                             "certificate's subject DN"));
    const QStringList responseTypes = in.request.stringList(QStringLiteral("response_types"));
    if (!responseTypes.isEmpty() &&
        !in.request.grantTypes().contains(QStringLiteral("authorization_code")))
        c.add(Severity::Warning, "response-types-grant", QStringLiteral("grant_types"),
              QStringLiteral("response_types are set but grant_types lacks authorization_code, so "
                             "they can never be used"));
}

void checkSsa(const PreflightInput& in, Collector& c) {
    const QString claim = QStringLiteral("software_statement");
    if (!in.ssaDecodeError.isEmpty()) {
        c.add(
            Severity::Error, "ssa-decode", claim,
            QStringLiteral("the software statement cannot be decoded: %1").arg(in.ssaDecodeError));
        return;
    }
    if (!in.ssa)
        return;
    if (!in.ssa->orgStatus().isEmpty() && in.ssa->orgStatus() != QStringLiteral("Active"))
        c.add(Severity::Error, "ssa-org-status", claim,
              QStringLiteral(
                  "the SSA's org_status is %1, not Active; ASPSPs refuse inactive organisations")
                  .arg(q(in.ssa->orgStatus())));
    switch (in.ssaSignature.state) {
    case SignatureCheck::State::NotChecked:
        c.add(Severity::Warning, "ssa-signature-unverified", claim,
              QStringLiteral("the SSA's signature was not verified; give the directory's JWKS or "
                             "shared secret to check it"));
        break;
    case SignatureCheck::State::Failed:
        c.add(Severity::Error, "ssa-signature-invalid", claim,
              QStringLiteral("the SSA's signature is invalid: %1").arg(in.ssaSignature.detail));
        break;
    case SignatureCheck::State::Verified:
        break;
    }
}

void checkRequestSignature(const PreflightInput& in, Collector& c) {
    if (in.requestAlgorithm && *in.requestAlgorithm != JwsAlgorithm::PS256 &&
        *in.requestAlgorithm != JwsAlgorithm::ES256)
        c.add(Severity::Warning, "request-alg-fapi", QString(),
              QStringLiteral(
                  "the request is signed with %1; FAPI and Open Banking expect PS256 or ES256")
                  .arg(algorithmName(*in.requestAlgorithm)));
    if (in.requestSignature.state == SignatureCheck::State::Failed)
        c.add(Severity::Error, "request-signature-invalid", QString(),
              QStringLiteral("the request signature does not verify: %1")
                  .arg(in.requestSignature.detail));
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
        const QStringList supported = in.supported.value(QString::fromLatin1(metadata));
        if (supported.isEmpty() || !in.request.has(claim))
            continue;
        const QStringList values =
            claim == QStringLiteral("scope") ? in.request.scopes() : in.request.stringList(claim);
        for (const QString& value : values)
            if (!supported.contains(value))
                c.add(Severity::Warning, "discovery-unsupported", claim,
                      QStringLiteral("the ASPSP's discovery document does not list %1 in %2")
                          .arg(q(value), QString::fromLatin1(metadata)));
    }
}

} // namespace

Preflight::Preflight(Clock clock, int clockSkewSeconds)
    : m_clock(std::move(clock))
    , m_skew(clockSkewSeconds) {}

QList<PreflightFinding> Preflight::run(const PreflightInput& input) const {
    Collector c;
    checkShapes(input.request, c);
    checkIdentity(input, c);
    checkTimes(input, m_clock(), m_skew, c);
    checkRedirects(input, c);
    checkScopes(input, c);
    checkAuthMethod(input, c);
    checkSsa(input, c);
    checkRequestSignature(input, c);
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
    auto r = [](const char* id, Severity s, const char* d) {
        return PreflightRuleInfo{QString::fromLatin1(id), s, QString::fromUtf8(d)};
    };
    static const QList<PreflightRuleInfo> all = {
        r("required-claim", Severity::Error,
          "iss, iat, exp, aud, grant_types, software_statement, redirect_uris are present and "
          "non-empty"),
        r("claim-type", Severity::Error,
          "each known claim has its JSON type (string, integer, string array)"),
        r("allowed-value", Severity::Error,
          "enumerated claims use the seed's allowed values (plus OBIE's tls_client_auth, ES256, "
          "\"code id_token\")"),
        r("unknown-claim", Severity::Info, "claims the tool does not know are reported and kept"),
        r("iss-base62-guid", Severity::Error, "iss is a Base62-encoded GUID"),
        r("iss-software-id", Severity::Error,
          "iss equals the SSA's software_id (error for OB Directory SSAs, warning otherwise)"),
        r("software-id-match", Severity::Error, "software_id equals the SSA's software_id"),
        r("iat-future", Severity::Error, "iat is not in the future beyond the clock skew (60 s)"),
        r("exp-after-iat", Severity::Error, "exp is after iat"),
        r("exp-past", Severity::Error, "exp is not in the past"),
        r("jti-missing", Severity::Warning, "a jti is present (OBIE replay protection)"),
        r("redirect-uri-valid", Severity::Error, "each redirect URI is an absolute URL"),
        r("redirect-https", Severity::Error, "each redirect URI uses https"),
        r("redirect-fragment", Severity::Error, "no redirect URI has a fragment"),
        r("redirect-localhost", Severity::Error,
          "no redirect URI points at localhost or a loopback address"),
        r("redirect-in-ssa", Severity::Error,
          "each redirect URI is one of the SSA's software_redirect_uris"),
        r("scope-roles", Severity::Error,
          "scopes fit the SSA's roles: accounts needs AISP, payments PISP, fundsconfirmations "
          "CBPII"),
        r("auth-method-signing-alg", Severity::Error,
          "private_key_jwt comes with token_endpoint_auth_signing_alg"),
        r("tls-client-auth-subject-dn", Severity::Error,
          "tls_client_auth comes with tls_client_auth_subject_dn"),
        r("response-types-grant", Severity::Warning,
          "response_types are only useful with the authorization_code grant"),
        r("ssa-decode", Severity::Error, "the software_statement is a decodable JWT"),
        r("ssa-org-status", Severity::Error, "the SSA's org_status is Active"),
        r("ssa-signature-unverified", Severity::Warning, "the SSA's signature was checked"),
        r("ssa-signature-invalid", Severity::Error, "the SSA's signature verifies"),
        r("request-alg-fapi", Severity::Warning,
          "the request is signed with PS256 or ES256 (FAPI)"),
        r("request-signature-invalid", Severity::Error,
          "the request signature verifies against the given key or JWKS"),
        r("discovery-unsupported", Severity::Warning,
          "values are among those the ASPSP's discovery document advertises"),
    };
    return all;
}

bool isBase62Guid(const QString& text) {
    // A 128-bit value takes at most 22 base62 digits. The numeric range is not checked: directory
    // encoders differ in digit order and alphabet, so real software_ids can exceed 2^128 in any one
    // reading.
    if (text.isEmpty() || text.size() > 22)
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar ch) {
        const char16_t c = ch.unicode();
        return (c >= u'0' && c <= u'9') || (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z');
    });
}

} // namespace dcr
