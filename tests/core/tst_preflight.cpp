// The preflight rules, table-driven per spec: every rule has one failing case, run under each spec
// version (seed, OBIE 3.1, 3.2, 3.3, Open Finance Brasil, CDR). Where the rule applies, it must
// fire with the severity the rule table gives that spec; where it does not, the same request must
// not trigger it. The passage each case checks is quoted with it (seed document, OBIE DCR
// client-registration-api-specs OpenAPI, FAPI 1.0 Advanced, RFC 4514).
// version (seed, OBIE 3.1, 3.2, 3.3). Where the rule applies, it must fire with the severity the
// rule table gives that spec; where it does not, the same request must not trigger it. The
// passage each case checks is quoted with it (seed document, OBIE DCR client-registration-api-specs
// OpenAPI, FAPI 1.0 Advanced, RFC 4514).
#include "OpensslJws.h"
#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"
#include "registration/Preflight.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <map>

using namespace dcr;

namespace {

const qint64 kNowSecs = 1900000000;
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(kNowSecs, Qt::UTC);
const QByteArray kSecret = "0123456789abcdef0123456789abcdef";
// 18 characters: OBIE 3.1 allows no more for iss.
const QString kSoftwareId = QStringLiteral("beKuxC1RniVsTeLYwf");
const QString kDn = QStringLiteral("CN=tpp,O=Example,C=GB");

Key& directoryKey() {
    static Key key = *Key::generateRsa(2048);
    return key;
}

// The TPP's request-signing key (the signature interop rules' cases).
Key& tppKey() {
    static Key key = *Key::generateRsa(2048);
    return key;
}

// A JWK Set of the given keys, each under its kid (empty: none).
JwkSet jwksOf(const QList<std::pair<Key, QString>>& keys) {
    QJsonArray array;
    for (const auto& [key, kid] : keys) {
        QJsonObject jwk = jwk::fromPublicKey(key);
        if (!kid.isEmpty())
            jwk["kid"] = kid;
        array.append(jwk);
    }
    return *JwkSet::fromJson(QJsonObject{{"keys", array}});
}

// A request JWS signed by our signer with the TPP key under kid (empty: no kid header).
Jws ourRequestJws(const QString& kid) {
    return *Jws::parse(
        *JwsSigner::sign("{\"iss\":\"tpp\"}", tppKey(), {JwsAlgorithm::PS256, kid, {}}));
}

// A request JWS signed by the openssl CLI with the TPP key, kid tpp-1, PSS salt option salt.
Jws opensslRequestJws(const QString& salt) {
    return *Jws::parse(test::opensslPs256Jws(tppKey(), "{\"alg\":\"PS256\",\"kid\":\"tpp-1\"}",
                                             "{\"iss\":\"tpp\"}", salt));
}

Certificate& transportCertificate() {
    static Certificate cert;
    return cert;
}

QJsonObject obieSsaClaims();

// Open Finance Brasil DCR 1.0 §8.1's SSA claims (software_jwks_uri, regulatory roles), issued a
// minute ago (§7.1-3: "not more than 5 minutes prior to the request being received").
QJsonObject ofbSsaClaims() {
    QJsonObject s = obieSsaClaims();
    s["iss"] = "Open Finance Open Finance Brasil sandbox SSA issuer"; // §9.2
    s["iat"] = kNowSecs - 60;
    s["software_roles"] = QJsonArray{"DADOS", "PAGTO"};
    s["software_jwks_uri"] = "https://keystore.example.com/org/software/application.jwks";
    return s;
}

// The CDR standards' "SSA Definition": every Required claim, issued by cdr-register with the
// Register's 10 minute expiry.
QJsonObject cdrSsaClaims() {
    return QJsonObject{
        {"iss", "cdr-register"},
        {"iat", kNowSecs - 60},
        {"exp", kNowSecs + 540},
        {"jti", "3bc205a1ebc943fbb624b14fcb241196"},
        {"org_id", "3B0B0A7B-3E7B-4A2C-9497-E357A71D07C8"},
        {"org_name", "Mock Company Brand"},
        {"client_name", "Mock Software"},
        {"client_description", "A mock software product"},
        {"client_uri", "https://tpp.example.com"},
        {"redirect_uris", QJsonArray{"https://tpp.example.com/cb", "https://tpp.example.com/cb2"}},
        {"logo_uri", "https://tpp.example.com/logo.png"},
        {"jwks_uri", "https://tpp.example.com/jwks"},
        {"revocation_uri", "https://tpp.example.com/revocation"},
        {"recipient_base_uri", "https://tpp.example.com"},
        {"software_id", kSoftwareId},
        {"software_roles", "data-recipient-software-product"},
        {"scope", "openid profile bank:accounts.basic:read bank:transactions:read "
                  "cdr:registration"}};
}

QJsonObject ssaClaims(SpecVersion spec = SpecVersion::Seed) {
    if (spec == SpecVersion::Ofb)
        return ofbSsaClaims();
    if (spec == SpecVersion::Cdr)
        return cdrSsaClaims();
    return obieSsaClaims();
}

QJsonObject obieSsaClaims() {
    return QJsonObject{{"iss", "OpenBanking Ltd"},
                       {"iat", kNowSecs - 3600},
                       {"software_id", kSoftwareId},
                       {"software_environment", "sandbox"},
                       {"software_mode", "Test"},
                       {"software_redirect_uris",
                        QJsonArray{"https://tpp.example.com/cb", "https://tpp.example.com/cb2"}},
                       {"software_roles", QJsonArray{"AISP", "PISP"}},
                       {"organisation_competent_authority_claims",
                        QJsonArray{QJsonObject{{"authority_id", "FCAGBR"},
                                               {"registration_id", "123456"},
                                               {"status", "Active"},
                                               {"authorisations", QJsonArray{}}}}},
                       {"org_status", "Active"}};
}

QByteArray makeSsa(const QJsonObject& claims, bool hmac = false) {
    const QByteArray payload = QJsonDocument(claims).toJson(QJsonDocument::Compact);
    return hmac ? *JwsSigner::signHmac(payload, kSecret)
                : *JwsSigner::sign(payload, directoryKey(), {JwsAlgorithm::PS256, "dir", {}});
}

QString dnClaim(SpecVersion spec) {
    return spec == SpecVersion::Obie31 ? QStringLiteral("tls_client_auth_dn")
                                       : QStringLiteral("tls_client_auth_subject_dn");
}

// Open Finance Brasil's JSON body (no JWT envelope): the swagger's required software_statement and
// redirect_uris, the SSA's software_jwks_uri as jwks_uri, tls_client_auth with the subject DN,
// scopes within DADOS and PAGTO, PS256.
QJsonObject goodOfbClaims() {
    return QJsonObject{
        {"token_endpoint_auth_method", "tls_client_auth"},
        {"tls_client_auth_subject_dn", kDn},
        {"grant_types", QJsonArray{"client_credentials", "authorization_code", "refresh_token"}},
        {"response_types", QJsonArray{"code id_token"}},
        {"software_statement", QString::fromLatin1(makeSsa(ofbSsaClaims()))},
        {"software_id", kSoftwareId},
        {"jwks_uri", "https://keystore.example.com/org/software/application.jwks"},
        {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
        {"scope", "openid accounts payments"},
        {"application_type", "web"},
        {"request_object_signing_alg", "PS256"},
        {"id_token_signed_response_alg", "PS256"}};
}

// The CDR's "Registration Request using JWT" with its Required claims: private_key_jwt only,
// response_types "code" with authorization_signed_response_alg, no scope (the SSA's is used).
QJsonObject goodCdrClaims() {
    return QJsonObject{
        {"iss", kSoftwareId},
        {"iat", kNowSecs - 10},
        {"exp", kNowSecs + 290},
        {"jti", "37747cd1c10545699f754adf28b73e31"},
        {"aud", "0dw23dsa13123"},
        {"token_endpoint_auth_method", "private_key_jwt"},
        {"token_endpoint_auth_signing_alg", "PS256"},
        {"grant_types", QJsonArray{"client_credentials", "authorization_code", "refresh_token"}},
        {"response_types", QJsonArray{"code"}},
        {"authorization_signed_response_alg", "PS256"},
        {"software_statement", QString::fromLatin1(makeSsa(cdrSsaClaims()))},
        {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
        {"application_type", "web"},
        {"request_object_signing_alg", "PS256"},
        {"id_token_signed_response_alg", "PS256"}};
}

// A request every spec accepts: the seed's required claims, OBIE 3.2/3.3's required claims, a
// UUIDv4 jti, a Base62 aud of at most 18 characters, tls_client_auth with the DN claim under the
// spec's name, PS256 everywhere (FAPI); Brazil's and the CDR's own above.
QJsonObject goodClaims(SpecVersion spec) {
    if (spec == SpecVersion::Ofb)
        return goodOfbClaims();
    if (spec == SpecVersion::Cdr)
        return goodCdrClaims();
    return QJsonObject{
        {"iss", kSoftwareId},
        {"iat", kNowSecs - 10},
        {"exp", kNowSecs + 290},
        {"jti", "6f1c4bb4-3a8e-4b53-9d1e-2f1f9b0d7c11"},
        {"aud", "0dw23dsa13123"},
        {"token_endpoint_auth_method", "tls_client_auth"},
        {dnClaim(spec), kDn},
        {"grant_types", QJsonArray{"client_credentials", "authorization_code", "refresh_token"}},
        {"response_types", QJsonArray{"code id_token"}},
        {"software_statement", QString::fromLatin1(makeSsa(ssaClaims()))},
        {"software_id", kSoftwareId},
        {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
        {"scope", "openid accounts payments"},
        {"application_type", "web"},
        {"request_object_signing_alg", "PS256"},
        {"id_token_signed_response_alg", "PS256"}};
}

PreflightInput inputFor(const QJsonObject& claims,
                        SignatureVerdict::State ssaState = SignatureVerdict::State::Valid) {
    PreflightInput in;
    in.request = RegistrationRequest(claims);
    in.requestAlgorithm = JwsAlgorithm::PS256;
    Preflight::decodeSoftwareStatement(in);
    in.ssaSignature.state = ssaState;
    return in;
}

PreflightOptions optionsFor(SpecVersion spec) {
    PreflightOptions o;
    o.spec = spec;
    // Brazil registers with a JSON body (RFC 7591 §3.1), the others with a signed JWT.
    o.bodyFormat = spec == SpecVersion::Ofb ? RequestBodyFormat::Json : RequestBodyFormat::Jwt;
    return o;
}

QSet<QString> ruleIds(const QList<PreflightFinding>& findings) {
    QSet<QString> out;
    for (const auto& f : findings)
        out.insert(f.rule);
    return out;
}

QString dump(const QList<PreflightFinding>& findings) {
    QStringList lines;
    for (const auto& f : findings)
        lines << severityName(f.severity) + u' ' + f.rule + u' ' + f.claim + QStringLiteral(": ") +
                     f.message;
    return lines.join(u'\n');
}

// One failing case: it changes the good request (claims, SSA claims, options, or the input after
// decoding) so that its rule is broken, and quotes what says so.
struct Ctx {
    SpecVersion spec;
    QJsonObject claims;
    QJsonObject ssa;
    bool hmacSsa = false;
    QString rawStatement; // replaces the software_statement when set
    PreflightOptions options;
    std::function<void(PreflightInput&)> post;
};

struct Case {
    const char* rule;
    const char* quote;
    std::function<void(Ctx&)> mutate;
};

const QList<Case>& cases() {
    auto claims = [](std::function<void(QJsonObject&)> f) { return [f](Ctx& c) { f(c.claims); }; };
    auto ssa = [](std::function<void(QJsonObject&)> f) { return [f](Ctx& c) { f(c.ssa); }; };
    auto post = [](std::function<void(PreflightInput&)> f) { return [f](Ctx& c) { c.post = f; }; };
    static const QList<Case> all = {
        {"required-claim",
         "seed: \"aud string, required\"; OBIE: required: iss, iat, exp, aud, jti; CDR: aud "
         "Required; OFB swagger: \"required: - software_statement - redirect_uris\"",
         [](Ctx& c) { c.claims.remove(c.spec == SpecVersion::Ofb ? "redirect_uris" : "aud"); }},
        {"claim-type", "seed: \"iat integer, required\"",
         claims([](auto& c) { c["iat"] = "yesterday"; })},
        {"allowed-value", "seed/OBIE: application_type \"Allowed values: web, mobile\"",
         claims([](auto& c) { c["application_type"] = "desktop"; })},
        {"unknown-claim", "RFC 7591 2: unknown metadata is kept (reported as info)",
         claims([](auto& c) { c["x_bank_extension"] = 1; })},
        {"iss-base62-guid",
         "seed: \"The value must be a Base62 encoded GUID\"; OBIE: pattern ^[0-9a-zA-Z]{1,22}$",
         claims([](auto& c) { c["iss"] = "not-a-guid!"; })},
        {"iss-format-waived",
         "seed: \"For SSAs issued by the OB Directory, this must be the software_id\" (whose "
         "example is a hyphenated UUID)",
         [](Ctx& c) {
             const QString uuid = QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f");
             c.ssa["software_id"] = uuid;
             c.claims["iss"] = uuid;
             c.claims["software_id"] = uuid;
         }},
        {"iss-software-id",
         "seed: \"For SSAs issued by the OB Directory, this must be the software_id\"",
         claims([](auto& c) { c["iss"] = "abc123"; })},
        {"software-id-match",
         "seed: \"If specified, the software_id in the request MUST match the software_id "
         "specified in the SSA\"",
         claims([](auto& c) { c["software_id"] = "other"; })},
        {"aud-format",
         "OBIE 3.2/3.3 aud: \"Implemented as Base62 encoded GUID\", pattern ^[0-9a-zA-Z]{1,18}$",
         claims([](auto& c) { c["aud"] = "https://aspsp.example.com/"; })},
        {"aud-expected",
         "seed: \"This should be the unique identifier for the ASPSP issued by the issuer of the "
         "software statement\"",
         [](Ctx& c) { c.options.expectedAud = QStringLiteral("someOtherBank"); }},
        {"iat-future", "seed: iat \"The time at which the request was issued\"",
         claims([](auto& c) {
             c["iat"] = kNowSecs + 600;
             c["exp"] = kNowSecs + 900;
         })},
        {"exp-after-iat", "seed: exp \"The time at which the request expires\"",
         claims([](auto& c) { c["exp"] = kNowSecs - 20; })},
        {"exp-past", "seed: exp \"The time at which the request expires\"", claims([](auto& c) {
             c["iat"] = 1800000000;
             c["exp"] = 1800000300;
         })},
        {"exp-seed-minimum", "seed: exp \"Values greater than: 1732201627\"", claims([](auto& c) {
             c["iat"] = 1606297853;
             c["exp"] = 1606298169;
         })},
        {"lifetime-long", "FAPI/OBIE: a request object lifetime of an hour at most (a year here)",
         claims([](auto& c) { c["exp"] = kNowSecs + 365 * 86400; })},
        {"jti-missing", "OBIE 3.1: jti is optional but ASPSPs use it against replay",
         claims([](auto& c) { c.remove("jti"); })},
        {"jti-format", "OBIE: jti \"Unique identifier for the JWT implemented as UUID v4\"",
         claims([](auto& c) { c["jti"] = "reused"; })},
        {"redirect-uri-valid", "RFC 7591 2: redirect_uris \"Array of redirection URI strings\"",
         claims([](auto& c) { c["redirect_uris"] = QJsonArray{"not a url"}; })},
        {"redirect-https", "FAPI 1.0 Advanced 5.2.2-20: redirect URIs shall use https",
         claims([](auto& c) { c["redirect_uris"] = QJsonArray{"http://tpp.example.com/cb"}; })},
        {"redirect-fragment", "RFC 6749 3.1.2: \"The endpoint URI MUST NOT include a fragment\"",
         claims([](auto& c) { c["redirect_uris"] = QJsonArray{"https://tpp.example.com/cb#x"}; })},
        {"redirect-localhost", "FAPI: no loopback redirect URIs for a confidential client",
         claims([](auto& c) { c["redirect_uris"] = QJsonArray{"https://127.0.0.1/cb"}; })},
        {"redirect-in-ssa",
         "seed: \"this must match or be a subset of the redirect URIs in the SSA\"",
         claims([](auto& c) { c["redirect_uris"] = QJsonArray{"https://tpp.example.com/other"}; })},
        {"scope-roles",
         "OB Directory: scopes follow the software_roles (CBPII: fundsconfirmations)",
         claims([](auto& c) { c["scope"] = "openid fundsconfirmations"; })},
        {"auth-method-signing-alg",
         "seed: token_endpoint_auth_signing_alg \"Default value: PS256\"; OBIE 3.3: it must be "
         "specified with private_key_jwt",
         claims([](auto& c) {
             c["token_endpoint_auth_method"] = "private_key_jwt";
             c.remove("token_endpoint_auth_signing_alg");
         })},
        {"tls-client-auth-subject-dn", "RFC 8705 2.1.2: tls_client_auth needs the subject DN",
         [](Ctx& c) { c.claims.remove(dnClaim(c.spec)); }},
        {"tls-dn-claim-name",
         "OBIE 3.1 names it tls_client_auth_dn; OBIE 3.2 renamed it tls_client_auth_subject_dn",
         [](Ctx& c) {
             const QString other = c.spec == SpecVersion::Obie31
                                       ? QStringLiteral("tls_client_auth_subject_dn")
                                       : QStringLiteral("tls_client_auth_dn");
             c.claims.insert(other, c.claims.take(dnClaim(c.spec)));
         }},
        {"subject-dn-syntax",
         "RFC 4514 3: distinguishedName = [ relativeDistinguishedName *( COMMA ... ) ]",
         [](Ctx& c) { c.claims[dnClaim(c.spec)] = "not a dn"; }},
        {"subject-dn-certificate",
         "RFC 8705 2.1.2: the subject DN must match the certificate's subject",
         [](Ctx& c) {
             c.options.transportCertificate = transportCertificate();
             c.claims[dnClaim(c.spec)] = "CN=other,O=Example,C=GB";
         }},
        {"subject-dn-rendering", "RFC 4514 2: the same name, rendered with other spacing and case",
         [](Ctx& c) {
             c.options.transportCertificate = transportCertificate();
             c.claims[dnClaim(c.spec)] = "cn=tpp, o=Example, c=GB";
         }},
        {"response-types-grant", "OIDC Registration 2: response_types need authorization_code",
         claims([](auto& c) { c["grant_types"] = QJsonArray{"client_credentials"}; })},
        {"ciba-metadata",
         "OBIE 3.3 backchannel_token_delivery_mode: \"This value MUST be specified iff the "
         "grant_types includes urn:openid:params:grant-type:ciba\"",
         claims([](auto& c) {
             c["grant_types"] = QJsonArray{"client_credentials", "authorization_code",
                                           "urn:openid:params:grant-type:ciba"};
         })},
        {"ssa-decode", "seed: software_statement \"Can raise: ... Invalid\"",
         [](Ctx& c) { c.rawStatement = QStringLiteral("garbage"); }},
        {"ssa-issuer", "OB Directory SSAs are issued by \"OpenBanking Ltd\"",
         ssa([](auto& s) { s["iss"] = "Totally Not A Directory"; })},
        {"ssa-alg", "OB Directory signs SSAs with its private key (PS256), never a shared secret",
         [](Ctx& c) { c.hmacSsa = true; }},
        {"ssa-iat-future", "RFC 7519 4.1.6: iat is when the SSA was issued",
         ssa([](auto& s) { s["iat"] = kNowSecs + 3600; })},
        {"ssa-expired", "RFC 7519 4.1.4: \"MUST NOT be accepted for processing\" after exp",
         ssa([](auto& s) { s["exp"] = kNowSecs - 3600; })},
        {"ssa-org-status", "OB Directory: org_status Active",
         ssa([](auto& s) { s.remove("org_status"); })},
        {"ssa-authority-status", "OB Directory: competent authority claim status Active",
         ssa([](auto& s) {
             QJsonArray a = s["organisation_competent_authority_claims"].toArray();
             if (a.isEmpty()) // a CDR Register SSA has none
                 return;
             QJsonObject o = a.first().toObject();
             o["status"] = "Revoked";
             s["organisation_competent_authority_claims"] = QJsonArray{o};
         })},
        {"ssa-environment", "OB Directory: software_environment sandbox is not for production",
         [](Ctx& c) { c.options.environment = TargetEnvironment::Production; }},
        {"ssa-signature-unverified", "seed: software_statement \"Can raise: ... AccessDenied\"",
         post([](PreflightInput& in) {
             in.ssaSignature.state = SignatureVerdict::State::NotVerified;
         })},
        {"ssa-signature-invalid", "seed: software_statement \"Can raise: ... AccessDenied\"",
         post([](PreflightInput& in) {
             in.ssaSignature = {SignatureVerdict::State::Invalid, "bad"};
         })},
        {"request-alg-fapi", "FAPI 1.0 Advanced 8.6: \"shall use PS256 or ES256 algorithms\"",
         post([](PreflightInput& in) { in.requestAlgorithm = JwsAlgorithm::RS256; })},
        {"request-signature-invalid", "RFC 7515 5.2: the signature must validate",
         post([](PreflightInput& in) {
             in.requestSignature = {SignatureVerdict::State::Invalid, "bad"};
         })},
        {"fapi-auth-method",
         "FAPI 1.0 Advanced 5.2.2-14: \"shall authenticate the confidential client using one of "
         "the following methods: tls_client_auth or self_signed_tls_client_auth ... or "
         "private_key_jwt\"",
         claims([](auto& c) { c["token_endpoint_auth_method"] = "client_secret_basic"; })},
        {"fapi-alg", "FAPI 1.0 Advanced 8.6: \"shall use PS256 or ES256 algorithms\"",
         claims([](auto& c) { c["request_object_signing_alg"] = "RS256"; })},
        {"discovery-unsupported", "OIDC Discovery 3: token_endpoint_auth_methods_supported",
         [](Ctx& c) {
             c.options.supported["token_endpoint_auth_methods_supported"] = {
                 "self_signed_tls_client_auth"};
         }},
        // JSON bodies (RFC 7591 §3.1: "The client sends an HTTP POST to the client registration
        // endpoint with a content type of application/json").
        {"json-jwt-claim",
         "RFC 7591 §2: client metadata are the registered values (redirect_uris, grant_types, "
         "...); iss, aud, iat, exp and jti are RFC 7519 §4.1 JWT claims",
         [](Ctx& c) {
             c.options.bodyFormat = RequestBodyFormat::Json;
             c.claims["aud"] = "0dw23dsa13123";
         }},
        {"json-redirect-uris",
         "RFC 7591 §2: \"Clients using flows with redirection MUST register their redirection "
         "URI values.\"",
         [](Ctx& c) {
             c.options.bodyFormat = RequestBodyFormat::Json;
             c.claims.remove("redirect_uris");
         }},
        {"json-ssa-precedence",
         "RFC 7591 §2.3: \"If the same client metadata name is present in both locations and the "
         "software statement is trusted by the authorization server, the value of a claim in the "
         "software statement MUST take precedence.\"",
         [](Ctx& c) {
             c.options.bodyFormat = RequestBodyFormat::Json;
             c.ssa["client_name"] = "Name in the SSA";
             c.claims["client_name"] = "Another name";
         }},
        // The ecosystems' body formats.
        {"spec-body-format",
         "OFB DCR 1.0 §9.1: \"POST /reg HTTP/1.1 ... Content-Type: application/json\"; CDR: \"The "
         "request MUST use the HTTP POST method, using the application/jwt content type.\"",
         [](Ctx& c) {
             c.options.bodyFormat =
                 c.spec == SpecVersion::Ofb ? RequestBodyFormat::Jwt : RequestBodyFormat::Json;
         }},
        // Australia's CDR (ConsumerDataStandardsAustralia/standards,
        // security/_client_registration).
        {"cdr-ssa-alg",
         "CDR SSA: \"As per [FAPI-1.0-Advanced], SSAs are signed by the CDR Register using "
         "PS256.\"",
         [](Ctx& c) { c.hmacSsa = true; }},
        {"cdr-ssa-required-claims",
         "CDR SSA Definition: revocation_uri Required, \"URI string that references the location "
         "of the Software Product consent revocation endpoint\"",
         ssa([](auto& s) { s.remove("revocation_uri"); })},
        {"cdr-ssa-software-roles",
         "CDR SSA software_roles: \"Initially the only value used will be "
         "data-recipient-software-product.\"",
         ssa([](auto& s) { s["software_roles"] = "data-holder-brand"; })},
        {"cdr-ssa-lifetime",
         "CDR SSA: \"Software Statements are issued with a 10 minute expiry time.\"",
         ssa([](auto& s) { s["exp"] = s["iat"].toInteger() + 3600; })},
        {"cdr-ssa-scope-registration",
         "CDR registration endpoints: \"During registration management requests, Data Holders "
         "MUST validate that the scope of access tokens provided includes cdr:registration.\"",
         ssa([](auto& s) { s["scope"] = "openid profile bank:accounts.basic:read"; })},
        {"cdr-scope-in-request",
         "CDR Registration Response: \"Any additional claims MUST be ignored and not returned on "
         "completion of the request.\" (scope is not a request claim; the SSA's is used)",
         claims([](auto& c) { c["scope"] = "openid bank:payees:read"; })},
        {"cdr-response-types-code-only",
         "CDR: \"From May 12th 2025 Data Recipients SHALL only use response_type value code for "
         "authorisation requests.\"",
         claims([](auto& c) {
             c["response_types"] = QJsonArray{"code id_token"};
             c["id_token_encrypted_response_alg"] = "RSA-OAEP";
             c["id_token_encrypted_response_enc"] = "A256GCM";
         })},
        {"cdr-id-token-encryption",
         "CDR id_token_encrypted_response_alg: \"Required only if OIDC Hybrid Flow (response_type: "
         "code id_token) is registered. SHALL NOT be used for Authorization Code Flow.\"",
         claims([](auto& c) { c["response_types"] = QJsonArray{"code id_token"}; })},
        {"cdr-jarm-signed-alg",
         "CDR authorization_signed_response_alg: \"The algorithm none is not allowed. Required if "
         "response_type of code is registered by the client.\"",
         claims([](auto& c) {
             c["response_types"] = QJsonArray{"code"};
             c.remove("authorization_signed_response_alg");
         })},
        {"cdr-jarm-enc-pair",
         "CDR authorization_encrypted_response_alg: \"Required if "
         "authorization_encrypted_response_enc is included.\"",
         claims([](auto& c) { c["authorization_encrypted_response_enc"] = "A128CBC-HS256"; })},
        // Open Finance Brasil (OpenBanking-Brasil/specs-seguranca,
        // open-banking-brasil-dynamic-client-registration-1_ID3 and the OFB security profile).
        {"ofb-ssa-alg",
         "OFB DCR §7.1-2: \"shall validate that the request contains software_statement JWT "
         "signed using the PS256 algorithim issued by the Open Finance Brasil directory of "
         "participants\"",
         [](Ctx& c) { c.hmacSsa = true; }},
        {"ofb-ssa-fresh",
         "OFB DCR §7.1-3: \"shall validate that the software_statement was issued (iat) not more "
         "than 5 minutes prior to the request being received\"",
         ssa([](auto& s) { s["iat"] = kNowSecs - 301; })},
        {"ofb-jwks-by-value",
         "OFB DCR §7.1-4: \"shall validate that the attribute jwks (key set by value) was not "
         "included; but declared as a reference in the jwks_uri attribute\"",
         claims([](auto& c) {
             c["jwks"] = QJsonObject{{"keys", QJsonArray{}}};
         })},
        {"ofb-jwks-uri",
         "OFB DCR §7.1-5: \"shall, when informed, validate that jwks_uri matches the "
         "software_jwks_uri provided in the software_statement\"",
         claims([](auto& c) { c["jwks_uri"] = "https://tpp.example.com/my-own.jwks"; })},
        {"ofb-scope-roles",
         "OFB DCR §7.1-9: \"shall validate that the requested scopes are adequate for accredited "
         "institutions and their regulatory roles and contained in the software_statement\"",
         ssa([](auto& s) { s["software_roles"] = QJsonArray{"DADOS"}; })},
        {"ofb-tls-san",
         "OFB DCR §7.1-12: \"shall only accept tls_client_auth_subject_dn as an indication of the "
         "certificate subject value\"",
         claims([](auto& c) { c["tls_client_auth_san_dns"] = "tpp.example.com"; })},
        {"ofb-subject-dn-oid-form",
         "OFB DCR §7.1.2: \"Attribute names shall be defined according to dot-decimal notation, "
         "without adding the prefix \"OID\", ie. \"2.5.4.15\", followed by ('=#') plus the "
         "hexadecimal value of the attribute\"",
         [](Ctx& c) {
             c.claims[dnClaim(c.spec)] = "CN=tpp,organizationIdentifier=OFBBR-1234,O=Example,C=GB";
         }},
        {"ofb-subject-dn-uid",
         "OFB DCR §7.1-13: \"the UID field should contain the value of the software_id field of "
         "the SSA\"",
         [](Ctx& c) { c.claims[dnClaim(c.spec)] = "UID=someone-else,CN=tpp,O=Example,C=GB"; }},
        {"ofb-webhook-uris",
         "OFB DCR v2 §7.1-16: \"The value of the software_api_webhook_uris attribute contained as "
         "an attribute in the JWS in software_statement must be compared with the webhook_uris "
         "field. If the values are not exactly the same, the error must be returned\"",
         claims([](auto& c) { c["webhook_uris"] = QJsonArray{"https://tpp.example.com/hooks"}; })},
        {"ofb-jwe-alg",
         "OFB security profile §6.2.1: \"For JWE, both clients and Authorization Servers ... shall "
         "use RSA-OAEP with A256GCM\"",
         claims([](auto& c) { c["id_token_encrypted_response_alg"] = "RSA1_5"; })},
        // Signature interop: what one bank accepts and another refuses.
        {"pss-salt-length",
         "RFC 7518 §3.5: \"The size of the salt value is the same size as the hash function "
         "output.\" (a 20-byte salt, signed by the openssl CLI)",
         post([](PreflightInput& in) {
             static const Jws salt20 = opensslRequestJws(QStringLiteral("20"));
             in.requestJws = salt20;
             in.requestKey = VerificationKey::fromJwks(jwksOf({{tppKey(), "tpp-1"}}));
         })},
        {"kid-not-in-jwks",
         "RFC 7515 §4.1.4: \"The \"kid\" (key ID) Header Parameter is a hint indicating which "
         "key was used to secure the JWS.\" (kid tpp-2, the software_jwks holds tpp-1)",
         [](Ctx& c) {
             c.ssa["software_jwks"] =
                 QJsonDocument::fromJson(jwksOf({{tppKey(), "tpp-1"}}).toJson()).object();
             c.post = [](PreflightInput& in) { in.requestJws = ourRequestJws("tpp-2"); };
         }},
        {"kid-missing",
         "RFC 7515 §6: \"it is necessary for the recipient of a JWS to be able to determine the "
         "key that was employed\" (no kid, a JWKS of two keys)",
         post([](PreflightInput& in) {
             in.requestJws = ourRequestJws({});
             in.requestKey = VerificationKey::fromJwks(
                 jwksOf({{tppKey(), "tpp-1"}, {directoryKey(), "other"}}));
         })},
        {"alg-not-registered",
         "OpenID Connect Registration §2 token_endpoint_auth_signing_alg: \"All Token Requests "
         "using these authentication methods from this Client MUST be rejected, if the JWT is "
         "not signed with this algorithm.\" (request PS256, registered ES256)",
         claims([](auto& c) {
             c["token_endpoint_auth_method"] = "private_key_jwt";
             c["token_endpoint_auth_signing_alg"] = "ES256";
         })},
        {"ssa-jwks-mismatch",
         "RFC 7591 §2: \"The \"jwks_uri\" and \"jwks\" parameters MUST NOT both be present in "
         "the same request or response\" (their keys could differ; here they do)",
         [](Ctx& c) {
             c.ssa["software_jwks"] =
                 QJsonDocument::fromJson(jwksOf({{tppKey(), "tpp-1"}}).toJson()).object();
             c.ssa["software_jwks_endpoint"] = "https://keystore.example.com/tpp.jwks";
             c.post = [](PreflightInput& in) {
                 in.softwareJwksEndpointKeys = jwksOf({{directoryKey(), "tpp-1"}});
             };
         }},
        {"signature-keys",
         "OBIE DCR: the ASPSP verifies the request with the keys of the software statement; "
         "RFC 7515 §6: \"it is necessary for the recipient of a JWS to be able to determine the "
         "key that was employed\" (its software_jwks holds another key under the kid)",
         [](Ctx& c) {
             c.ssa["software_jwks"] =
                 QJsonDocument::fromJson(jwksOf({{directoryKey(), "tpp-1"}}).toJson()).object();
             c.post = [](PreflightInput& in) { in.requestJws = ourRequestJws("tpp-1"); };
         }},
    };
    return all;
}

// #21 (weakly guarded: a rule's severity). The severity each rule has under each spec, written
// down here independently of Preflight::rules() (whose table the engine reads), from the
// "Preflight rules" table of docs/reference.md and the spec text it follows. Columns: seed,
// obie-3.1, obie-3.2, obie-3.3, ofb, cdr; E error, W warning, I info, - the rule does not apply.
// The FAPI rules are off under the seed (docs/reference.md: "warning when FAPI is on (off by
// default)").
const std::map<QString, const char*>& independentSeverities() {
    static const std::map<QString, const char*> table = {
        {"required-claim", "EEEEEE"},
        {"claim-type", "EEEEEE"},
        {"allowed-value", "EEEEEE"},
        {"unknown-claim", "IIIIII"}, // RFC 7591 2: unknown metadata is kept
        {"iss-base62-guid", "EEEE--"},
        // The waiver is the seed's alone (its own SSA contradicts its iss rule); issue #24.5.
        {"iss-format-waived", "I-----"},
        {"iss-software-id", "EEEE-E"}, // seed: "For SSAs issued by the OB Directory, this must be"
        {"software-id-match", "EEEEEE"},
        // OBIE 3.1-3.3 aud: pattern ^[0-9a-zA-Z]{1,18}$; the seed says only "string, required".
        {"aud-format", "-EEE--"},
        {"aud-expected", "EEEE-E"},
        {"iat-future", "EEEE-E"},
        {"exp-after-iat", "EEEE-E"},
        {"exp-past", "EEEE-E"},
        {"exp-seed-minimum", "E-----"}, // the seed alone: exp "Values greater than: 1732201627"
        {"lifetime-long", "WWWW-W"},
        // OBIE 3.1: jti optional (a warning); 3.2/3.3 require it (required-claim); the seed has
        // none.
        {"jti-missing", "-W----"},
        {"jti-format", "-EEE--"}, // OBIE: "Unique identifier for the JWT implemented as UUID v4"
        {"redirect-uri-valid", "EEEEEE"},
        {"redirect-https", "EEEEEE"},
        {"redirect-fragment", "EEEEEE"},
        {"redirect-localhost", "EEEEEE"},
        {"redirect-in-ssa", "EEEEEE"},
        {"scope-roles", "EEEE--"},
        // seed: token_endpoint_auth_signing_alg "Default value: PS256", so only info there.
        {"auth-method-signing-alg", "IEEEEE"},
        {"tls-client-auth-subject-dn", "EEEEE-"},
        {"tls-dn-claim-name", "-WWW--"}, // the seed names neither DN claim
        {"subject-dn-syntax", "EEEEE-"},
        {"subject-dn-certificate", "EEEEE-"},
        {"subject-dn-rendering", "IIIII-"},
        {"response-types-grant", "WWWWWW"},
        {"ciba-metadata", "---E--"}, // OBIE 3.3 added the CIBA grant
        {"ssa-decode", "EEEEEE"},
        // OB Directory SSAs: issuer "OpenBanking Ltd", PS256; the seed's own example SSA is HS256.
        {"ssa-issuer", "-EEEWE"},
        {"ssa-alg", "-EEEEE"},
        {"ssa-iat-future", "EEEEEE"},
        {"ssa-expired", "EEEEEE"},
        {"ssa-org-status", "EEEEE-"},
        {"ssa-authority-status", "EEEEE-"},
        {"ssa-environment", "EEEEE-"},
        {"ssa-signature-unverified", "WWWWWW"},
        {"ssa-signature-invalid", "EEEEEE"},
        {"request-alg-fapi", "WWWW-E"},
        {"request-signature-invalid", "EEEE-E"},
        {"fapi-auth-method", "-WWWWW"},
        {"fapi-alg", "-WWWWW"},
        {"discovery-unsupported", "WWWWWW"},
        {"json-jwt-claim", "IIIII-"},
        {"json-redirect-uris",
         "EEEEE-"}, // RFC 7591 2: "MUST register their redirection URI values"
        {"json-ssa-precedence", "WWWWW-"},
        // OFB registers with JSON, the CDR with a JWT.
        {"spec-body-format", "----EE"},
        // The CDR standards' own rules (quoted with their cases above); the hybrid flow's
        // retirement and the SSA's lifetime and cdr:registration scope are advice, scope in a
        // request is ignored by the data holder (info).
        {"cdr-ssa-alg", "-----E"},
        {"cdr-ssa-required-claims", "-----E"},
        {"cdr-ssa-software-roles", "-----E"},
        {"cdr-ssa-lifetime", "-----W"},
        {"cdr-ssa-scope-registration", "-----W"},
        {"cdr-scope-in-request", "-----I"},
        {"cdr-response-types-code-only", "-----W"},
        {"cdr-id-token-encryption", "-----E"},
        {"cdr-jarm-signed-alg", "-----E"},
        {"cdr-jarm-enc-pair", "-----E"},
        // Open Finance Brasil's "shall"s; UID is "should" (a warning).
        {"ofb-ssa-alg", "----E-"},
        {"ofb-ssa-fresh", "----E-"},
        {"ofb-jwks-by-value", "----E-"},
        {"ofb-jwks-uri", "----E-"},
        {"ofb-scope-roles", "----E-"},
        {"ofb-tls-san", "----E-"},
        {"ofb-subject-dn-oid-form", "----E-"},
        {"ofb-subject-dn-uid", "----W-"},
        {"ofb-webhook-uris", "----E-"},
        {"ofb-jwe-alg", "----E-"},
        // RFC 7518 §3.5 is normative for PS256 whatever the contract; a kid the bank's JWKS lacks
        // leaves it no key to verify with (an error), no kid among several keys only may.
        {"pss-salt-length", "EEEEEE"},
        {"kid-not-in-jwks", "EEEEEE"},
        {"kid-missing", "WWWWWW"},
        // The request itself is accepted; later tokens and request objects would not be.
        {"alg-not-registered", "WWWWWW"},
        {"ssa-jwks-mismatch", "WWWWWW"},
        // A bank verifying with the software's keys refuses it; the request may still verify
        // with a key given here, so not an error of its own.
        {"signature-keys", "WWWWWW"},
    };
    return table;
}

std::optional<Severity> independentSeverity(const QString& rule, SpecVersion spec) {
    const auto it = independentSeverities().find(rule);
    if (it == independentSeverities().end())
        qFatal("no independent severity for rule %s", qPrintable(rule));
    switch (it->second[static_cast<int>(spec)]) {
    case 'E':
        return Severity::Error;
    case 'W':
        return Severity::Warning;
    case 'I':
        return Severity::Info;
    default:
        return std::nullopt;
    }
}

QList<PreflightFinding> runCase(const Case& k, SpecVersion spec, PreflightOptions* used = nullptr) {
    Ctx c{spec, goodClaims(spec), ssaClaims(spec), false, {}, optionsFor(spec), {}};
    k.mutate(c);
    c.claims["software_statement"] =
        c.rawStatement.isEmpty() ? QString::fromLatin1(makeSsa(c.ssa, c.hmacSsa)) : c.rawStatement;
    PreflightInput in = inputFor(c.claims);
    if (c.post)
        c.post(in);
    if (used)
        *used = c.options;
    return Preflight(c.options, [] { return kNow; }).run(in);
}

} // namespace

class TestPreflight : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        // The transport certificate is made by the openssl CLI, independently of our code.
        auto r = test::openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
                                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-out",
                                "c.pem", "-days", "2", "-subj", "/C=GB/O=Example/CN=tpp"},
                               {}, m_dir.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto cert = Certificate::fromPem(test::readFile(m_dir.filePath("c.pem")));
        QVERIFY(cert.ok());
        transportCertificate() = *cert;
    }

    void defaultIsTheSeed() {
        QCOMPARE(Preflight().options().spec, SpecVersion::Seed);
        QVERIFY(!Preflight().options().fapiEnabled());
        QVERIFY(optionsFor(SpecVersion::Obie33).fapiEnabled());
        QVERIFY(specVersionFromName(QStringLiteral("3.2")) == SpecVersion::Obie32);
        QVERIFY(specVersionFromName(QStringLiteral("obie-3.3")) == SpecVersion::Obie33);
        QVERIFY(!specVersionFromName(QStringLiteral("3.4")));
    }

    void goodRequestHasNoFindings_data() {
        QTest::addColumn<int>("spec");
        for (SpecVersion spec : allSpecVersions())
            QTest::newRow(qPrintable(specVersionName(spec))) << static_cast<int>(spec);
    }

    // No false positives: a valid request for each version, with every option that adds checks
    // set (expected aud, transport certificate, target environment), lints clean.
    void goodRequestHasNoFindings() {
        QFETCH(int, spec);
        PreflightOptions o = optionsFor(static_cast<SpecVersion>(spec));
        o.expectedAud = QStringLiteral("0dw23dsa13123");
        o.transportCertificate = transportCertificate();
        o.environment = TargetEnvironment::Sandbox;
        const auto findings = Preflight(o, [] { return kNow; }).run(inputFor(goodClaims(o.spec)));
        QVERIFY2(findings.isEmpty(), qPrintable(dump(findings)));
    }

    void validVariantsHaveNoFindings() {
        // OBIE 3.3: "Added new grant_type enumeration urn:openid:params:grant-type:ciba".
        QJsonObject ciba = goodClaims(SpecVersion::Obie33);
        ciba["grant_types"] = QJsonArray{"authorization_code", "urn:openid:params:grant-type:ciba"};
        ciba["backchannel_token_delivery_mode"] = "ping";
        ciba["backchannel_client_notification_endpoint"] = "https://tpp.example.com/ciba";
        ciba["backchannel_authentication_request_signing_alg"] = "PS256";
        ciba["backchannel_user_code_parameter_supported"] = false;
        auto findings =
            Preflight(optionsFor(SpecVersion::Obie33), [] { return kNow; }).run(inputFor(ciba));
        QVERIFY2(findings.isEmpty(), qPrintable(dump(findings)));
        // private_key_jwt with its signing algorithm, under every spec.
        for (SpecVersion spec : allSpecVersions()) {
            QJsonObject c = goodClaims(spec);
            c["token_endpoint_auth_method"] = "private_key_jwt";
            c["token_endpoint_auth_signing_alg"] = "PS256";
            findings = Preflight(optionsFor(spec), [] { return kNow; }).run(inputFor(c));
            QVERIFY2(findings.isEmpty(), qPrintable(specVersionName(spec) + dump(findings)));
        }
    }

    void eachRuleUnderEachSpec_data() {
        QTest::addColumn<int>("caseIndex");
        QTest::addColumn<int>("spec");
        for (int i = 0; i < cases().size(); ++i)
            for (SpecVersion spec : allSpecVersions())
                QTest::addRow("%s/%s", cases().at(i).rule, qPrintable(specVersionName(spec)))
                    << i << static_cast<int>(spec);
    }

    void eachRuleUnderEachSpec() {
        QFETCH(int, caseIndex);
        QFETCH(int, spec);
        const Case& k = cases().at(caseIndex);
        const QString rule = QString::fromLatin1(k.rule);
        const PreflightRuleInfo* info = Preflight::findRule(rule);
        QVERIFY2(info, k.rule);
        PreflightOptions used;
        const auto findings = runCase(k, static_cast<SpecVersion>(spec), &used);
        const bool json = used.bodyFormat == RequestBodyFormat::Json;
        const bool otherBody = (json && info->bodies == PreflightRuleInfo::Bodies::JwtOnly) ||
                               (!json && info->bodies == PreflightRuleInfo::Bodies::JsonOnly);
        // #21: the severity expected is the independent table's, not the engine's own.
        const std::optional<Severity> expected =
            otherBody ? std::nullopt : independentSeverity(rule, static_cast<SpecVersion>(spec));
        const QString context = rule + QStringLiteral(" (") + QString::fromUtf8(k.quote) +
                                QStringLiteral(")\n") + dump(findings);
        bool found = false;
        for (const auto& f : findings)
            if (f.rule == rule) {
                found = true;
                QVERIFY2(expected,
                         qPrintable(QStringLiteral("fired where it does not apply: ") + context));
                // value_or, not *: GCC's -O3 (release preset) cannot see the QVERIFY2 above
                // and calls the dereference maybe-uninitialized (an error under -Werror).
                const Severity wanted = expected.value_or(Severity{});
                QVERIFY2(f.severity == wanted,
                         qPrintable(QStringLiteral("%1 under %2 is %3, expected %4: ")
                                        .arg(rule, specVersionName(static_cast<SpecVersion>(spec)),
                                             severityName(f.severity), severityName(wanted)) +
                                    context));
                QVERIFY2(!f.message.isEmpty(), k.rule);
            }
        QVERIFY2(found == expected.has_value(),
                 qPrintable((expected ? QStringLiteral("did not fire: ")
                                      : QStringLiteral("fired where it does not apply: ")) +
                            context));
    }

    // A JSON body has no JWT envelope: every rule about iss, aud, iat, exp, jti or the request's
    // signature stays silent for it, while the same broken request as a JWT body is caught; and
    // RFC 7591's JSON-body rules stay silent for a JWT body.
    void rulesFollowTheBodyFormat() {
        int jwtOnly = 0, jsonOnly = 0;
        for (const Case& k : cases()) {
            const PreflightRuleInfo* info = Preflight::findRule(QString::fromLatin1(k.rule));
            QVERIFY(info);
            if (info->bodies == PreflightRuleInfo::Bodies::Both)
                continue;
            const bool forJwt = info->bodies == PreflightRuleInfo::Bodies::JwtOnly;
            (forJwt ? jwtOnly : jsonOnly) += 1;
            for (const RequestBodyFormat format :
                 {RequestBodyFormat::Jwt, RequestBodyFormat::Json}) {
                Ctx c{SpecVersion::Obie33,
                      goodClaims(SpecVersion::Obie33),
                      ssaClaims(),
                      false,
                      {},
                      optionsFor(SpecVersion::Obie33),
                      {}};
                k.mutate(c);
                c.options.bodyFormat = format;
                c.claims["software_statement"] =
                    c.rawStatement.isEmpty() ? QString::fromLatin1(makeSsa(c.ssa, c.hmacSsa))
                                             : c.rawStatement;
                PreflightInput in = inputFor(c.claims);
                if (c.post)
                    c.post(in);
                const bool fires = ruleIds(Preflight(c.options, [] { return kNow; }).run(in))
                                       .contains(QString::fromLatin1(k.rule));
                const bool applies = forJwt == (format == RequestBodyFormat::Jwt);
                // exp-seed-minimum and aud-format apply to some specs only; under OBIE 3.3 the
                // seed minimum does not apply at all.
                if (!info->severityFor(SpecVersion::Obie33))
                    QVERIFY(!fires);
                else
                    QVERIFY2(fires == applies, qPrintable(QStringLiteral("%1 as %2 body: fires=%3")
                                                              .arg(QString::fromLatin1(k.rule),
                                                                   requestBodyFormatName(format))
                                                              .arg(fires)));
            }
        }
        // iss x3, aud x2, iat/exp x5, jti x2, request alg and signature, alg-not-registered
        QCOMPARE(jwtOnly, 15);
        QCOMPARE(jsonOnly, 3);
    }

    // RFC 7591 §3.1 leaves the JWT envelope out, so iss, aud, iat, exp and jti are never required
    // of a JSON body, even under OBIE 3.3, which requires all five of a signed request.
    void jsonBodiesNeedNoEnvelopeClaims() {
        QJsonObject c = goodClaims(SpecVersion::Obie33);
        for (const char* name : {"iss", "aud", "iat", "exp", "jti"})
            c.remove(QLatin1String(name));
        PreflightOptions o = optionsFor(SpecVersion::Obie33);
        QStringList asJwt;
        for (const auto& f : Preflight(o, [] { return kNow; }).run(inputFor(c)))
            if (f.rule == QStringLiteral("required-claim"))
                asJwt << f.claim;
        asJwt.sort();
        QCOMPARE(asJwt, (QStringList{"aud", "exp", "iat", "iss", "jti"}));
        o.bodyFormat = RequestBodyFormat::Json;
        const auto findings = Preflight(o, [] { return kNow; }).run(inputFor(c));
        QVERIFY2(findings.isEmpty(), qPrintable(dump(findings)));
    }

    // A preset's required claims are checked beside the spec's, named after the preset.
    void presetRequiredClaims() {
        PreflightOptions o = optionsFor(SpecVersion::Obie33);
        o.bodyFormat = RequestBodyFormat::Json;
        o.presetName = QStringLiteral("Open Finance Brasil (DCR 1.0)");
        o.presetRequiredClaims = {QStringLiteral("jwks_uri"), QStringLiteral("software_statement")};
        QJsonObject c = goodClaims(SpecVersion::Obie33);
        for (const char* name : {"iss", "aud", "iat", "exp", "jti"})
            c.remove(QLatin1String(name));
        auto findings = Preflight(o, [] { return kNow; }).run(inputFor(c));
        bool named = false;
        for (const auto& f : findings)
            named = named || (f.rule == QStringLiteral("required-claim") &&
                              f.claim == QStringLiteral("jwks_uri") &&
                              f.message.contains(o.presetName) && f.severity == Severity::Error);
        QVERIFY2(named, qPrintable(dump(findings)));
        c["jwks_uri"] = "https://tpp.example.com/jwks";
        findings = Preflight(o, [] { return kNow; }).run(inputFor(c));
        QVERIFY2(findings.isEmpty(), qPrintable(dump(findings))); // and not "unknown-claim"
    }

    // #21: the independent severity table names exactly the engine's rules.
    void everyRuleHasAnIndependentSeverity() {
        QSet<QString> engine;
        for (const auto& info : Preflight::rules())
            engine.insert(info.id);
        QSet<QString> independent;
        for (const auto& [rule, severities] : independentSeverities()) {
            independent.insert(rule);
            QCOMPARE(qstrlen(severities), qsizetype(allSpecVersions().size()));
        }
        QCOMPARE(independent, engine);
    }

    // #21: under the seed the FAPI rules are off by default and warnings when FAPI is switched on
    // (docs/reference.md: "warning when FAPI is on (off by default)").
    void fapiRulesUnderTheSeedWhenSwitchedOn() {
        for (const char* rule : {"fapi-auth-method", "fapi-alg"}) {
            const Case* k = nullptr;
            for (const Case& c : cases())
                if (qstrcmp(c.rule, rule) == 0)
                    k = &c;
            QVERIFY(k);
            Ctx c{SpecVersion::Seed,
                  goodClaims(SpecVersion::Seed),
                  ssaClaims(),
                  false,
                  {},
                  optionsFor(SpecVersion::Seed),
                  {}};
            k->mutate(c);
            c.options.fapi = true;
            c.claims["software_statement"] = QString::fromLatin1(makeSsa(c.ssa, c.hmacSsa));
            const auto findings = Preflight(c.options, [] { return kNow; }).run(inputFor(c.claims));
            bool warned = false;
            for (const auto& f : findings)
                if (f.rule == QLatin1String(rule)) {
                    QCOMPARE(severityName(f.severity), severityName(Severity::Warning));
                    warned = true;
                }
            QVERIFY2(warned, qPrintable(QString::fromLatin1(rule) + u'\n' + dump(findings)));
        }
    }

    void everyRuleHasACase() {
        QSet<QString> covered;
        for (const auto& k : cases())
            covered.insert(QString::fromLatin1(k.rule));
        for (const auto& info : Preflight::rules())
            QVERIFY2(covered.contains(info.id),
                     qPrintable(QStringLiteral("no case for ") + info.id));
    }

    void requiredClaimsPerSpec_data() {
        QTest::addColumn<QString>("claim");
        // OBIE 3.2/3.3 OBRegistrationProperties1 "required: redirect_uris,
        // token_endpoint_auth_method, grant_types, scope, software_statement, application_type,
        // id_token_signed_response_alg, request_object_signing_alg"; OBClientRegistration1
        // "required: iss, iat, exp, aud, jti". The seed marks all of these optional. The CDR's
        // request table marks jti, token_endpoint_auth_method and id_token_signed_response_alg
        // Required ("Required for both Authorization Code Flow ... and OIDC Hybrid Flow"), scope
        // and application_type not (Optional; scope is the SSA's), request_object_signing_alg
        // Optional ("If field not present in the request, data holders are expected to respond
        // with an appropriate default value"). Brazil requires token_endpoint_auth_method: "The
        // default value, client_secret_basic, is not allowed by Open Banking Brazil
        // specifications so token_endpoint_auth_method must be set in registration request"
        // (OIDF suite, BrazilOBDCR-7.1-7).
        for (const char* c : {"scope", "application_type", "id_token_signed_response_alg",
                              "request_object_signing_alg", "token_endpoint_auth_method", "jti"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }

    void requiredClaimsPerSpec() {
        QFETCH(QString, claim);
        for (SpecVersion spec : allSpecVersions()) {
            QJsonObject c = goodClaims(spec);
            c.remove(claim);
            const auto findings = Preflight(optionsFor(spec), [] { return kNow; }).run(inputFor(c));
            bool required = false;
            for (const auto& f : findings)
                required |= f.rule == QStringLiteral("required-claim") && f.claim == claim;
            const bool cdr = claim == QStringLiteral("jti") ||
                             claim == QStringLiteral("token_endpoint_auth_method") ||
                             claim == QStringLiteral("id_token_signed_response_alg");
            const bool expected =
                spec == SpecVersion::Obie32 || spec == SpecVersion::Obie33 ||
                (spec == SpecVersion::Cdr && cdr) ||
                (spec == SpecVersion::Ofb && claim == QStringLiteral("token_endpoint_auth_method"));
            QVERIFY2(required == expected,
                     qPrintable(specVersionName(spec) + QStringLiteral(": ") + dump(findings)));
        }
    }

    void issLengthPerSpec() {
        // OBIE 3.1 allows 18 Base62 characters for iss; 3.2/3.3: pattern ^[0-9a-zA-Z]{1,22}$.
        const QString nineteen = QStringLiteral("abcdefghij123456789");
        for (SpecVersion spec : allSpecVersions()) {
            QJsonObject c = goodClaims(spec);
            c["iss"] = nineteen;
            const auto rules =
                ruleIds(Preflight(optionsFor(spec), [] { return kNow; }).run(inputFor(c)));
            QCOMPARE(rules.contains(QStringLiteral("iss-base62-guid")),
                     spec == SpecVersion::Obie31);
        }
    }

    // Issue #24 item 5. An iss equal to the SSA's software_id is still held to the OBIE format:
    // OBIE DCR 3.3 swagger (OpenBankingUK/client-registration-api-specs, tag v3.3),
    // OBClientRegistration1 iss: "Unique identifier for the TPP. Implemented as Base62 encoded
    // GUID", pattern: '^[0-9a-zA-Z]{1,22}$', maxLength: 22; OBIE 3.1 allows 18 of those
    // characters (our rule table, issLengthPerSpec), and 3.1-RC1 made the same iss "the
    // software_id" for directory SSAs ("Updated the definition of the iss claim to state 'For
    // SSAs issued by the OB Directory, this must be the software_id'", DCR v3.2 version
    // control) without lifting the format. Only the seed, whose own SSA example puts a
    // hyphenated UUID in software_id, keeps the waiver (an info finding).
    void issFormatWaiverIsTheSeedsAlone() {
        const QString nineteen = QStringLiteral("abcdefghij123456789"); // Base62, 19 characters
        const QString uuid = QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f");
        for (SpecVersion spec : allSpecVersions()) {
            for (const QString& softwareId : {nineteen, uuid}) {
                QJsonObject ssa = ssaClaims(spec);
                ssa["software_id"] = softwareId;
                QJsonObject c = goodClaims(spec);
                c["iss"] = softwareId;
                c["software_id"] = softwareId;
                c["software_statement"] = QString::fromLatin1(makeSsa(ssa));
                const auto findings =
                    Preflight(optionsFor(spec), [] { return kNow; }).run(inputFor(c));
                const QSet<QString> rules = ruleIds(findings);
                const QString where =
                    specVersionName(spec) + u' ' + softwareId + u' ' + dump(findings);
                if (spec == SpecVersion::Ofb || spec == SpecVersion::Cdr) {
                    // Brazil's JSON body has no iss; the CDR's iss is "the identifier for the
                    // Data Recipient Software Product (SoftwareProductId) as defined in the CDR
                    // Register", with no format of its own.
                    QVERIFY2(!rules.contains(QStringLiteral("iss-base62-guid")) &&
                                 !rules.contains(QStringLiteral("iss-format-waived")),
                             qPrintable(where));
                    continue;
                }
                // Nineteen Base62 characters are a format violation only under OBIE 3.1.
                const bool badFormat = softwareId == uuid || spec == SpecVersion::Obie31;
                if (!badFormat) {
                    QVERIFY2(!rules.contains(QStringLiteral("iss-base62-guid")) &&
                                 !rules.contains(QStringLiteral("iss-format-waived")),
                             qPrintable(where));
                    continue;
                }
                if (spec == SpecVersion::Seed) {
                    QVERIFY2(rules.contains(QStringLiteral("iss-format-waived")),
                             qPrintable(where));
                    QVERIFY2(!rules.contains(QStringLiteral("iss-base62-guid")), qPrintable(where));
                    continue;
                }
                QVERIFY2(!rules.contains(QStringLiteral("iss-format-waived")), qPrintable(where));
                bool error = false;
                for (const auto& f : findings)
                    error |= f.rule == QStringLiteral("iss-base62-guid") &&
                             f.severity == Severity::Error;
                QVERIFY2(error, qPrintable(where));
            }
        }
    }

    void cibaGrantIsOnlyAllowedFrom33() {
        // OBIE 3.3 change log: "Added new grant_type enumeration
        // urn:openid:params:grant-type:ciba in the list of grant_types".
        for (SpecVersion spec : allSpecVersions()) {
            QJsonObject c = goodClaims(spec);
            c["grant_types"] =
                QJsonArray{"authorization_code", "urn:openid:params:grant-type:ciba"};
            bool grantFlagged = false;
            for (const auto& f : Preflight(optionsFor(spec), [] { return kNow; }).run(inputFor(c)))
                grantFlagged |= f.rule == QStringLiteral("allowed-value") &&
                                f.claim == QStringLiteral("grant_types");
            QCOMPARE(grantFlagged, spec != SpecVersion::Obie33);
        }
    }

    void theIssueSsaIsRefusedUnderObie() {
        // Issue 13: "an HS256 SSA from issuer 'Totally Not A Directory', expired, no org_status,
        // competent-authority status 'Revoked' lints clean".
        QJsonObject s = ssaClaims();
        s["iss"] = "Totally Not A Directory";
        s["exp"] = kNowSecs - 86400;
        s.remove("org_status");
        s["organisation_competent_authority_claims"] =
            QJsonArray{QJsonObject{{"authority_id", "FCAGBR"}, {"status", "Revoked"}}};
        QJsonObject c = goodClaims(SpecVersion::Obie33);
        c["software_statement"] = QString::fromLatin1(makeSsa(s, true));
        const auto rules = ruleIds(
            Preflight(optionsFor(SpecVersion::Obie33), [] { return kNow; }).run(inputFor(c)));
        for (const char* r :
             {"ssa-issuer", "ssa-alg", "ssa-expired", "ssa-org-status", "ssa-authority-status"})
            QVERIFY2(rules.contains(QString::fromLatin1(r)), r);
    }

    void directoryIssuersAreConfigurable() {
        QJsonObject s = ssaClaims();
        s["iss"] = "Sandbox Directory";
        QJsonObject c = goodClaims(SpecVersion::Obie33);
        c["software_statement"] = QString::fromLatin1(makeSsa(s));
        c["iss"] = "abc123";
        PreflightOptions o = optionsFor(SpecVersion::Obie33);
        auto run = [&] { return Preflight(o, [] { return kNow; }).run(inputFor(c)); };
        auto severityOf = [](const QList<PreflightFinding>& fs, const char* rule) {
            for (const auto& f : fs)
                if (f.rule == QLatin1String(rule))
                    return std::optional<Severity>(f.severity);
            return std::optional<Severity>();
        };
        auto findings = run();
        QVERIFY(severityOf(findings, "ssa-issuer") == Severity::Error);
        QVERIFY(severityOf(findings, "iss-software-id") == Severity::Warning);
        o.directoryIssuers = {QStringLiteral("Sandbox Directory")};
        findings = run();
        QVERIFY(!severityOf(findings, "ssa-issuer"));
        // A directory's SSA makes iss != software_id an error, as the seed says.
        QVERIFY(severityOf(findings, "iss-software-id") == Severity::Error);
    }

    // #21.21: exp must be strictly after iat. The seed: iat "The time at which the request was
    // issued by the TPP expressed as \"seconds since the epoch\""; exp "The time at which the
    // request expires expressed as seconds since the epoch." A request that expires the second it
    // is issued is never valid (RFC 7519 4.1.4: "the current date/time MUST be before the
    // expiration date/time listed in the \"exp\" claim"), so exp == iat is the finding and
    // exp == iat + 1 is clean.
    void expEqualToIatIsTheBoundary() {
        const qint64 iat = kNowSecs - 10;
        for (SpecVersion spec : allSpecVersions()) {
            if (optionsFor(spec).bodyFormat == RequestBodyFormat::Json)
                continue; // Brazil's JSON body has no exp (rulesFollowTheBodyFormat)
            for (const qint64 exp : {iat - 1, iat, iat + 1}) {
                QJsonObject c = goodClaims(spec);
                c["iat"] = iat;
                c["exp"] = exp;
                const auto findings =
                    Preflight(optionsFor(spec), [] { return kNow; }).run(inputFor(c));
                const QString context = QStringLiteral("%1, exp - iat = %2:\n")
                                            .arg(specVersionName(spec))
                                            .arg(exp - iat) +
                                        dump(findings);
                if (exp > iat) {
                    // Clean: not that finding, nor any other (a one-second lifetime is fine).
                    QVERIFY2(findings.isEmpty(), qPrintable(context));
                    continue;
                }
                QCOMPARE(findings.size(), 1);
                QCOMPARE(findings.first().rule, QStringLiteral("exp-after-iat"));
                QCOMPARE(findings.first().claim, QStringLiteral("exp"));
                QCOMPARE(severityName(findings.first().severity), severityName(Severity::Error));
                QVERIFY2(findings.first().message.contains(QStringLiteral("not after iat")),
                         qPrintable(context));
            }
        }
    }

    void clockSkewIsConfigurable() {
        QJsonObject c = goodClaims(SpecVersion::Seed);
        c["iat"] = kNowSecs + 120;
        c["exp"] = kNowSecs + 400;
        PreflightOptions o;
        QVERIFY(ruleIds(Preflight(o, [] { return kNow; }).run(inputFor(c)))
                    .contains(QStringLiteral("iat-future")));
        o.clockSkewSeconds = 300;
        QVERIFY(!ruleIds(Preflight(o, [] { return kNow; }).run(inputFor(c)))
                     .contains(QStringLiteral("iat-future")));
        QVERIFY(ruleIds(Preflight([] { return kNow; }, 60).run(inputFor(c)))
                    .contains(QStringLiteral("iat-future")));
    }

    void hugeAndFractionalNumbersAreTypeErrorsNotUndefinedBehaviour() {
        // Found by fuzz_ssa: 1.6e27 used to be cast to qint64 (undefined behaviour).
        for (const QJsonValue& bad :
             {QJsonValue(1.607e27), QJsonValue(-1e300), QJsonValue(1900000000.5)}) {
            QJsonObject c = goodClaims(SpecVersion::Seed);
            c["iat"] = bad;
            const auto findings = Preflight([] { return kNow; }).run(inputFor(c));
            QVERIFY2(ruleIds(findings).contains(QStringLiteral("claim-type")),
                     qPrintable(dump(findings)));
        }
        QJsonObject ok = goodClaims(SpecVersion::Seed);
        ok["iat"] = 9007199254740992.0; // 2^53 is still an integer; it is merely in the future
        QVERIFY(ruleIds(Preflight([] { return kNow; }).run(inputFor(ok)))
                    .contains(QStringLiteral("iat-future")));
    }

    // The reference's rule table (docs/reference.md) has a column per spec; each cell starts with
    // the severity the rule has under that spec, or "—" where the rule does not apply (FAPI rules:
    // off under the seed).
    void readmeRuleTableMatchesTheRules() {
        const QString readme = test::readDoc(QStringLiteral("docs/reference.md"));
        const QStringList header = {
            QStringLiteral("| Rule | seed | obie-3.1 | obie-3.2 | obie-3.3 | ofb | cdr |")};
        QVERIFY2(readme.contains(header.first()),
                 "docs/reference.md's rule table lacks the spec columns");
        for (const auto& info : Preflight::rules()) {
            const QString prefix = QStringLiteral("| `%1` |").arg(info.id);
            const qsizetype at = readme.indexOf(prefix);
            QVERIFY2(at >= 0,
                     qPrintable(QStringLiteral("docs/reference.md lacks rule ") + info.id));
            const QString line = readme.mid(at, readme.indexOf(u'\n', at) - at);
            const QStringList cells = line.split(u'|');
            QVERIFY2(cells.size() >= 9, qPrintable(line));
            for (SpecVersion spec : allSpecVersions()) {
                const QString cell = cells.at(2 + static_cast<int>(spec)).trimmed();
                const auto severity = info.severityFor(spec);
                const QString want = severity ? severityName(*severity) : QStringLiteral("—");
                QVERIFY2(cell.startsWith(want),
                         qPrintable(QStringLiteral(
                                        "%1 under %2: docs/reference.md says '%3', rules say %4")
                                        .arg(info.id, specVersionName(spec), cell, want)));
            }
        }
    }

    void base62Guid() {
        QVERIFY(isBase62Guid(QStringLiteral("beKuxC1RniVsTeLYwfpgNP")));
        QVERIFY(isBase62Guid(QStringLiteral("7ZAYzXRoN2HjRr7MjD2XqA")));
        QVERIFY(!isBase62Guid(QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f")));
        QVERIFY(!isBase62Guid(QStringLiteral("beKuxC1RniVsTeLYwfpgNPx"))); // 23 characters
        QVERIFY(!isBase62Guid(QStringLiteral("beKuxC1RniVsTeLYwfp"), 18));
        QVERIFY(!isBase62Guid(QString()));
    }

    void uuidV4() {
        QVERIFY(isUuidV4(QStringLiteral("6f1c4bb4-3a8e-4b53-9d1e-2f1f9b0d7c11")));
        QVERIFY(isUuidV4(newUuidV4()));
        QVERIFY(!isUuidV4(QStringLiteral("6f1c4bb4-3a8e-1b53-9d1e-2f1f9b0d7c11"))); // version 1
        QVERIFY(!isUuidV4(QStringLiteral("6f1c4bb4-3a8e-4b53-cd1e-2f1f9b0d7c11"))); // variant
        QVERIFY(!isUuidV4(QStringLiteral("6f1c4bb43a8e4b539d1e2f1f9b0d7c11")));
        QVERIFY(!isUuidV4(QStringLiteral("reused")));
    }

    // The seed's own example request, linted against the seed: exactly what is wrong with it, and
    // nothing the seed allows (it has no jti, uses client_secret_basic and an HS256 SSA, which
    // the seed permits).
    void seedExampleRequestIsLintedWithItsProblems() {
        const QByteArray jwt =
            test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed();
        auto request = RegistrationRequest::fromJwt(jwt);
        QVERIFY(request.ok());
        PreflightInput in;
        in.request = *request;
        in.requestAlgorithm = JwsAlgorithm::PS256;
        Preflight::decodeSoftwareStatement(in);
        QVERIFY(in.ssa.has_value());
        QCOMPARE(in.ssa->clientName(), QStringLiteral("Amazon Prime Movies"));
        const auto findings = Preflight([] { return kNow; }).run(in);
        QStringList got;
        for (const auto& f : findings)
            got << f.rule + u'/' + f.claim;
        got.sort();
        QStringList expected = {
            // scope "makepayment": seed "Allowed values: openid, accounts, payments,
            // fundsconfirmations"
            QStringLiteral("allowed-value/scope"),
            // iss beKuxC1RniVsTeLYwfpgNP, SSA software_id 65d1f27c-...: "For SSAs issued by the OB
            // Directory, this must be the software_id"
            QStringLiteral("iss-software-id/iss"),
            // "the software_id in the request MUST match the software_id specified in the SSA"
            QStringLiteral("software-id-match/software_id"),
            // exp 1606298169 (2020-11-25): long past, and not "greater than: 1732201627"
            QStringLiteral("exp-past/exp"),
            QStringLiteral("exp-seed-minimum/exp"),
            // http://and.here
            QStringLiteral("redirect-https/redirect_uris"),
            // neither https://redirect.here nor http://and.here is in the SSA: "this must match or
            // be a subset of the redirect URIs in the SSA"
            QStringLiteral("redirect-in-ssa/redirect_uris"),
            QStringLiteral("redirect-in-ssa/redirect_uris"),
            // no shared secret given for its HS256 SSA
            QStringLiteral("ssa-signature-unverified/software_statement"),
        };
        expected.sort();
        QCOMPARE(got, expected);
        bool scopeFinding = false;
        for (const auto& f : findings)
            scopeFinding |= f.rule == QStringLiteral("allowed-value") &&
                            f.message.contains(QStringLiteral("makepayment"));
        QVERIFY2(scopeFinding, qPrintable(dump(findings)));

        // The same request against OBIE 3.3 also misses what 3.3 requires and breaks FAPI.
        const auto obie =
            ruleIds(Preflight(optionsFor(SpecVersion::Obie33), [] { return kNow; }).run(in));
        for (const char* r : {"required-claim", "ssa-alg", "fapi-auth-method"})
            QVERIFY2(obie.contains(QString::fromLatin1(r)), r);
        QVERIFY(!obie.contains(QStringLiteral("exp-seed-minimum")));
    }
};

QTEST_APPLESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
