#include "PreflightClientRules.h"

#include "JsonRegistrationBody.h"
#include "RoleScopes.h"
#include "jose/DistinguishedName.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>
#include <QUrl>

namespace dcr::preflight {

namespace {

// User-facing text (finding messages), translated in the preflight's context.
struct PreflightClientRulesTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Preflight)
};

bool isLocalHost(const QString& host) {
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0 ||
        host.endsWith(QStringLiteral(".localhost")))
        return true;
    QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// OBIE 3.1 names the claim tls_client_auth_dn; 3.2 renamed it tls_client_auth_subject_dn.
QString dnClaimName(SpecVersion spec) {
    return spec == SpecVersion::Obie31 ? QStringLiteral("tls_client_auth_dn")
                                       : QStringLiteral("tls_client_auth_subject_dn");
}

} // namespace

void checkRedirects(const PreflightInput& in, Collector& c) {
    const QString claim = QStringLiteral("redirect_uris");
    // A CDR Register SSA names them redirect_uris; OBIE's and Brazil's software_redirect_uris.
    const QString ssaClaim = c.spec() == SpecVersion::Cdr
                                 ? QStringLiteral("redirect_uris")
                                 : QStringLiteral("software_redirect_uris");
    const QStringList ssaUris = in.ssa ? in.ssa->stringList(ssaClaim) : QStringList();
    for (const QString& uri : in.request.redirectUris()) {
        const QUrl url(uri, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()) {
            c.add("redirect-uri-valid", claim,
                  PreflightClientRulesTr::tr("%1 is not an absolute URL").arg(q(uri)));
            continue;
        }
        if (url.scheme() != QStringLiteral("https"))
            c.add("redirect-https", claim,
                  PreflightClientRulesTr::tr("%1 must use https").arg(q(uri)));
        if (url.hasFragment())
            c.add("redirect-fragment", claim,
                  PreflightClientRulesTr::tr("%1 must not contain a fragment (#...)").arg(q(uri)));
        if (isLocalHost(url.host()))
            c.add("redirect-localhost", claim,
                  PreflightClientRulesTr::tr("%1 points at the local machine").arg(q(uri)));
        if (in.ssa && !ssaUris.isEmpty() && !ssaUris.contains(uri))
            c.add("redirect-in-ssa", claim,
                  PreflightClientRulesTr::tr("%1 is not one of the SSA's %2 (%3)")
                      .arg(q(uri), ssaClaim, ssaUris.join(QStringLiteral(", "))));
    }
}

void checkScopes(const PreflightInput& in, Collector& c) {
    if (!in.ssa)
        return;
    const QStringList roles = in.ssa->roles();
    for (const QString& scope : in.request.scopes())
        if (const auto role = roleForScope(scope); role && !roles.contains(*role))
            c.add("scope-roles", QStringLiteral("scope"),
                  PreflightClientRulesTr::tr(
                      "scope %1 needs the %2 role, but the SSA's software_roles are [%3]")
                      .arg(q(scope), *role, roles.join(QStringLiteral(", "))));
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
                  PreflightClientRulesTr::tr(
                      "%1 names the claim %2; an ASPSP on this version ignores %3")
                      .arg(specVersionName(c.spec()), q(expected), q(other)));
            claim = other;
        }
    }
    const QString value = in.request.string(claim);
    if (in.request.tokenEndpointAuthMethod() == QStringLiteral("tls_client_auth") &&
        value.trimmed().isEmpty())
        c.add("tls-client-auth-subject-dn", expected,
              PreflightClientRulesTr::tr(
                  "tls_client_auth needs %1, the transport certificate's subject DN")
                  .arg(expected));
    if (value.trimmed().isEmpty())
        return;
    auto dn = DistinguishedName::parse(value);
    if (!dn) {
        c.add("subject-dn-syntax", claim,
              PreflightClientRulesTr::tr("%1 is not an RFC 4514 distinguished name: %2")
                  .arg(q(value), dn.error().message));
        return;
    }
    const Certificate& cert = c.options.transportCertificate;
    if (cert.isNull())
        return;
    const QString named = cert.subjectDn(DnStyle::Rfc4514Names);
    if (!dn->sameAs(DistinguishedName::fromCertificateSubject(cert))) {
        c.add("subject-dn-certificate", claim,
              PreflightClientRulesTr::tr("%1 does not name the transport certificate's subject %2")
                  .arg(q(value), q(named)));
        return;
    }
    const QString strict = cert.subjectDn(DnStyle::Rfc4514Oid);
    if (value != named && value != strict)
        c.add("subject-dn-rendering", claim,
              PreflightClientRulesTr::tr(
                  "%1 names the transport certificate's subject in another rendering%2; "
                  "ASPSPs that compare strings may expect %3 or %4")
                  .arg(q(value),
                       dn->parsedOrder() == DistinguishedName::Order::Reversed
                           ? PreflightClientRulesTr::tr(" (X.500 order, the reverse of RFC 4514's)")
                           : QString(),
                       q(named), q(strict)));
}

void checkAuthMethod(const PreflightInput& in, Collector& c) {
    const QString method = in.request.tokenEndpointAuthMethod();
    const bool needsAlg = method == QStringLiteral("private_key_jwt") ||
                          (c.obie() && method == QStringLiteral("client_secret_jwt"));
    if (needsAlg && !in.request.has(QStringLiteral("token_endpoint_auth_signing_alg")))
        c.add("auth-method-signing-alg", QStringLiteral("token_endpoint_auth_signing_alg"),
              c.obie() ? PreflightClientRulesTr::tr(
                             "%1 needs token_endpoint_auth_signing_alg (PS256 or ES256); "
                             "OBIE has no default")
                             .arg(method)
                       : PreflightClientRulesTr::tr(
                             "%1 without token_endpoint_auth_signing_alg: the seed "
                             "defaults it to PS256")
                             .arg(method));
    const QStringList responseTypes = in.request.stringList(QStringLiteral("response_types"));
    if (!responseTypes.isEmpty() &&
        !in.request.grantTypes().contains(QStringLiteral("authorization_code")))
        c.add("response-types-grant", QStringLiteral("grant_types"),
              PreflightClientRulesTr::tr(
                  "response_types are set but grant_types lacks authorization_code, so "
                  "they can never be used"));
    if (in.request.grantTypes().contains(cibaGrantType())) {
        const QString mode = in.request.string(QStringLiteral("backchannel_token_delivery_mode"));
        if (!QStringList{QStringLiteral("poll"), QStringLiteral("ping"), QStringLiteral("push")}
                 .contains(mode))
            c.add("ciba-metadata", QStringLiteral("backchannel_token_delivery_mode"),
                  PreflightClientRulesTr::tr(
                      "the CIBA grant needs backchannel_token_delivery_mode poll, ping "
                      "or push"));
        if (!in.request.has(QStringLiteral("backchannel_authentication_request_signing_alg")))
            c.add("ciba-metadata", QStringLiteral("backchannel_authentication_request_signing_alg"),
                  PreflightClientRulesTr::tr(
                      "the CIBA grant needs backchannel_authentication_request_"
                      "signing_alg"));
        if (!mode.isEmpty() && mode != QStringLiteral("poll") &&
            !in.request.string(QStringLiteral("backchannel_client_notification_endpoint"))
                 .startsWith(QStringLiteral("https://")))
            c.add("ciba-metadata", QStringLiteral("backchannel_client_notification_endpoint"),
                  PreflightClientRulesTr::tr(
                      "CIBA %1 mode needs an https backchannel_client_notification_"
                      "endpoint")
                      .arg(mode));
        if (in.request.claims()
                .value(QStringLiteral("backchannel_user_code_parameter_supported"))
                .toBool())
            c.add("ciba-metadata", QStringLiteral("backchannel_user_code_parameter_supported"),
                  PreflightClientRulesTr::tr(
                      "backchannel_user_code_parameter_supported must be false"));
    }
}

// RFC 7591's own rules for a JSON body (a signed JWT body carries the same metadata, but these
// rules are about a body the ASPSP reads as plain metadata).
void checkBodyFormat(Collector& c) {
    // Brazil DCR 1.0 profiles RFC 7591, whose §3.1 request is "application/json"; the CDR: "The
    // request MUST use the HTTP POST method, using the application/jwt content type."
    if (c.spec() == SpecVersion::Ofb && !c.json())
        c.add("spec-body-format", QString(),
              PreflightClientRulesTr::tr(
                  "Open Finance Brasil registers with a JSON body (application/json, RFC 7591 "
                  "§3.1), not a signed JWT; set the profile's body format to json"));
    if (c.spec() == SpecVersion::Cdr && c.json())
        c.add("spec-body-format", QString(),
              PreflightClientRulesTr::tr(
                  "the CDR registers with a signed JWT (application/jwt), not a JSON body; "
                  "set the profile's body format to jwt"));
}

void checkJsonBody(const PreflightInput& in, Collector& c) {
    for (const QString& name : JsonRegistrationBody::jwtOnlyClaims())
        if (in.request.has(name))
            c.add("json-jwt-claim", name,
                  PreflightClientRulesTr::tr(
                      "%1 is a claim of a signed request JWT, not RFC 7591 client "
                      "metadata; a JSON body leaves it out")
                      .arg(q(name)));
    // RFC 7591 §2: "Clients using flows with redirection MUST register their redirection URI
    // values."
    const QStringList grants = in.request.grantTypes();
    if ((grants.contains(QStringLiteral("authorization_code")) ||
         grants.contains(QStringLiteral("implicit"))) &&
        in.request.redirectUris().isEmpty())
        c.add("json-redirect-uris", QStringLiteral("redirect_uris"),
              PreflightClientRulesTr::tr(
                  "grant_types has a redirect-based grant but there are no "
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
                  PreflightClientRulesTr::tr(
                      "%1 differs from the software statement's value; RFC 7591 §2.3: "
                      "the software statement's value takes precedence")
                      .arg(q(it.key())));
    }
}

} // namespace dcr::preflight
