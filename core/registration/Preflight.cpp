#include "Preflight.h"

#include "PreflightCdrRules.h"
#include "PreflightClaimRules.h"
#include "PreflightClientRules.h"
#include "PreflightOfbRules.h"
#include "PreflightInteropRules.h"
#include "PreflightSignatureRules.h"
#include "PreflightSsaRules.h"

#include <QCoreApplication>

namespace dcr {

Preflight::Preflight(Clock clock, int clockSkewSeconds)
    : m_clock(std::move(clock)) {
    m_options.clockSkewSeconds = clockSkewSeconds;
}

Preflight::Preflight(PreflightOptions options, Clock clock)
    : m_clock(std::move(clock))
    , m_options(std::move(options)) {}

QList<PreflightFinding> Preflight::run(const PreflightInput& input) const {
    using namespace preflight;
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
    checkBodyFormat(c);
    checkCdr(input, c);
    checkOfb(input, now, c);
    checkSignatureInterop(input, c);
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
    // Severities per spec, in allSpecVersions() order (seed, obie-3.1, obie-3.2, obie-3.3, ofb,
    // cdr):
    // E error, W warning, I info, - not checked under that spec. The rule table in
    // docs/reference.md says the same (tst_preflight keeps the two in step).
    using Bodies = PreflightRuleInfo::Bodies;
    auto r = [](const char* id, const char* severities, const char* d, bool fapi = false,
                Bodies bodies = Bodies::Both) {
        PreflightRuleInfo info{QString::fromLatin1(id),
                               Severity::Error,
                               QCoreApplication::translate("dcr::Preflight", d),
                               {},
                               fapi,
                               bodies};
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
        r("required-claim", "EEEEEE",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "iss, iat, exp, aud, grant_types, software_statement, redirect_uris are present and "
              "non-empty; OBIE 3.2/3.3 add scope, application_type, id_token_signed_response_alg, "
              "request_object_signing_alg, token_endpoint_auth_method and jti")),
        r("claim-type", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "each known claim has its JSON type (string, integer, string array)")),
        r("allowed-value", "EEEEEE",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "enumerated claims use the spec's allowed values (seed: its lists plus OBIE's "
              "tls_client_auth, ES256, \"code id_token\"; OBIE 3.3 adds the CIBA grant)")),
        r("unknown-claim", "IIIIII",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "claims the tool does not know are reported and kept")),
        r("iss-base62-guid", "EEEE--",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "iss is a Base62-encoded GUID (at most 22 characters; OBIE 3.1: 18)"),
          false, Bodies::JwtOnly),
        r("iss-format-waived", "I-----",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "iss fails the format but equals the SSA's software_id, which wins "
                            "under the seed (whose own SSA has a hyphenated UUID there); under "
                            "OBIE the format is an error (iss-base62-guid)"),
          false, Bodies::JwtOnly),
        r("iss-software-id", "EEEE-E",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "iss equals the SSA's software_id (error for directory SSAs, warning otherwise)"),
          false, Bodies::JwtOnly),
        r("software-id-match", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "software_id equals the SSA's software_id")),
        r("aud-format", "-EEE--",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "aud is the ASPSP's Base62 id of at most 18 characters"),
          false, Bodies::JwtOnly),
        r("aud-expected", "EEEE-E",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "aud is the configured ASPSP id (when one is configured)"),
          false, Bodies::JwtOnly),
        r("iat-future", "EEEE-E",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "iat is not in the future beyond the clock skew (60 s)"),
          false, Bodies::JwtOnly),
        r("exp-after-iat", "EEEE-E", QT_TRANSLATE_NOOP("dcr::Preflight", "exp is after iat"), false,
          Bodies::JwtOnly),
        r("exp-past", "EEEE-E", QT_TRANSLATE_NOOP("dcr::Preflight", "exp is not in the past"),
          false, Bodies::JwtOnly),
        r("exp-seed-minimum", "E-----",
          QT_TRANSLATE_NOOP("dcr::Preflight", "exp is greater than 1732201627, the seed's minimum"),
          false, Bodies::JwtOnly),
        r("lifetime-long", "WWWW-W",
          QT_TRANSLATE_NOOP("dcr::Preflight", "exp - iat is at most one hour"), false,
          Bodies::JwtOnly),
        r("jti-missing", "-W----",
          QT_TRANSLATE_NOOP("dcr::Preflight", "a jti is present (OBIE replay protection)"), false,
          Bodies::JwtOnly),
        r("jti-format", "-EEE--", QT_TRANSLATE_NOOP("dcr::Preflight", "jti is a UUIDv4"), false,
          Bodies::JwtOnly),
        r("redirect-uri-valid", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "each redirect URI is an absolute URL")),
        r("redirect-https", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "each redirect URI uses https")),
        r("redirect-fragment", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "no redirect URI has a fragment")),
        r("redirect-localhost", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "no redirect URI points at localhost or a loopback address")),
        r("redirect-in-ssa", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "each redirect URI is one of the SSA's software_redirect_uris")),
        r("scope-roles", "EEEE--",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "scopes fit the SSA's roles: accounts needs AISP, payments PISP, fundsconfirmations "
              "CBPII")),
        r("auth-method-signing-alg", "IEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "private_key_jwt (OBIE: also client_secret_jwt) comes with "
                            "token_endpoint_auth_signing_alg; the seed defaults it to PS256")),
        r("tls-client-auth-subject-dn", "EEEEE-",
          QT_TRANSLATE_NOOP("dcr::Preflight", "tls_client_auth comes with the subject DN claim")),
        r("tls-dn-claim-name", "-WWW--",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the subject DN claim has the spec's name: tls_client_auth_dn in 3.1, "
                            "tls_client_auth_subject_dn from 3.2")),
        r("subject-dn-syntax", "EEEEE-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the subject DN claim is an RFC 4514 distinguished name")),
        r("subject-dn-certificate", "EEEEE-",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "the subject DN names the transport certificate's subject (compared by meaning)")),
        r("subject-dn-rendering", "IIIII-",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "the subject DN names the certificate's subject in another rendering than ours")),
        r("response-types-grant", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "response_types are only useful with the authorization_code grant")),
        r("ciba-metadata", "---E--",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the CIBA grant comes with its backchannel_* metadata")),
        r("ssa-decode", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the software_statement is a decodable JWT")),
        r("ssa-issuer", "-EEEWE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the SSA's iss is a trusted directory (OpenBanking Ltd)")),
        r("ssa-alg", "-EEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the SSA is not signed with a shared secret (HS256)")),
        r("ssa-iat-future", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the SSA's iat is not in the future")),
        r("ssa-expired", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the SSA's exp, when present, has not passed")),
        r("ssa-org-status", "EEEEE-",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the SSA's org_status is present and Active")),
        r("ssa-authority-status", "EEEEE-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "every competent-authority claim of the SSA has status Active")),
        r("ssa-environment", "EEEEE-",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "the SSA's software_environment/software_mode fit the target (production refuses "
              "sandbox)")),
        r("ssa-signature-unverified", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the SSA's signature was checked")),
        r("ssa-signature-invalid", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the SSA's signature verifies")),
        r("request-alg-fapi", "WWWW-E",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the request is signed with PS256 or ES256 (FAPI)"),
          false, Bodies::JwtOnly),
        r("request-signature-invalid", "EEEE-E",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the request signature verifies against the given key or JWKS"),
          false, Bodies::JwtOnly),
        r("fapi-auth-method", "WWWWWW",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "token_endpoint_auth_method is tls_client_auth, self_signed_tls_client_auth or "
              "private_key_jwt (FAPI 1.0 Advanced 5.2.2)"),
          true),
        r("fapi-alg", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "every *_alg claim is PS256 or ES256 (FAPI 1.0 Advanced 8.6)"),
          true),
        r("discovery-unsupported", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "values are among those the ASPSP's discovery document advertises")),
        r("spec-body-format", "----EE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the body has the ecosystem's format: a JSON body for Open Finance "
                            "Brasil (RFC 7591 §3.1), a signed JWT for the CDR")),
        r("cdr-ssa-alg", "-----E",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the SSA is signed with PS256 (the CDR Register)")),
        r("cdr-ssa-required-claims", "-----E",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the SSA has every claim the CDR's SSA Definition marks Required")),
        r("cdr-ssa-software-roles", "-----E",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the SSA's software_roles is data-recipient-software-product")),
        r("cdr-ssa-lifetime", "-----W",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the SSA's exp is at most 10 minutes after its iat")),
        r("cdr-ssa-scope-registration", "-----W",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the SSA's scope includes cdr:registration (needed to manage the "
                            "client)")),
        r("cdr-scope-in-request", "-----I",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "scope is not a CDR registration claim: the SSA's scope is used")),
        r("cdr-response-types-code-only", "-----W",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "response_types is \"code\" only (the hybrid flow is retired since "
                            "12 May 2025)")),
        r("cdr-id-token-encryption", "-----E",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "id_token_encrypted_response_alg/enc with the hybrid flow, and only "
                            "with it")),
        r("cdr-jarm-signed-alg", "-----E",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "response_types \"code\" comes with authorization_signed_response_alg "
                            "PS256 or ES256")),
        r("cdr-jarm-enc-pair", "-----E",
          QT_TRANSLATE_NOOP("dcr::Preflight", "authorization_encrypted_response_enc comes with "
                                              "authorization_encrypted_response_alg")),
        r("ofb-ssa-alg", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the SSA is signed with PS256 (the Directory of Participants)")),
        r("ofb-ssa-fresh", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the SSA has an iat at most 5 minutes before the request")),
        r("ofb-jwks-by-value", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight", "no jwks by value, only a jwks_uri")),
        r("ofb-jwks-uri", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "jwks_uri is present and is the SSA's software_jwks_uri")),
        r("ofb-scope-roles", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "scopes are allowed by the SSA's active regulatory roles (DADOS, "
                            "PAGTO, CONTA, CCORR)")),
        r("ofb-tls-san", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "no tls_client_auth_san_* claim: only the subject DN names the "
                            "certificate")),
        r("ofb-subject-dn-oid-form", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the subject DN writes businessCategory, jurisdictionCountryName, "
                            "serialNumber and organizationIdentifier as OID=#hex")),
        r("ofb-subject-dn-uid", "----W-",
          QT_TRANSLATE_NOOP("dcr::Preflight", "the subject DN's UID is the SSA's software_id")),
        r("ofb-webhook-uris", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight", "webhook_uris, when present, is exactly the SSA's "
                                              "software_api_webhook_uris")),
        r("ofb-jwe-alg", "----E-",
          QT_TRANSLATE_NOOP("dcr::Preflight", "encryption metadata uses RSA-OAEP with A256GCM")),
        r("json-jwt-claim", "IIIII-",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "a JSON body (RFC 7591) leaves out iss, aud, iat, exp and jti, the JWT envelope's "
              "claims"),
          false, Bodies::JsonOnly),
        r("json-redirect-uris", "EEEEE-",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "a JSON body with a redirect-based grant registers redirect_uris (RFC 7591 §2)"),
          false, Bodies::JsonOnly),
        r("json-ssa-precedence", "WWWWW-",
          QT_TRANSLATE_NOOP(
              "dcr::Preflight",
              "metadata that differs from the software statement's value: the statement's takes "
              "precedence (RFC 7591 §2.3)"),
          false, Bodies::JsonOnly),
        // Signature interop (PreflightInteropRules): what one bank accepts and another refuses.
        r("pss-salt-length", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "a PS256 signature (request or SSA) uses a PSS salt as long as the "
                            "hash, 32 bytes (RFC 7518 §3.5); checked with the key that verifies "
                            "it")),
        r("kid-not-in-jwks", "EEEEEE",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the JWS header's kid is in the JWKS the bank verifies with: the "
                            "given JWKS or the SSA's software_jwks (request), the directory's "
                            "JWKS (SSA)")),
        r("kid-missing", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "a JWS verified with a JWKS of several keys names its kid")),
        r("alg-not-registered", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "the request's alg is the token_endpoint_auth_signing_alg and "
                            "request_object_signing_alg it registers"),
          false, Bodies::JwtOnly),
        r("ssa-jwks-mismatch", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "an SSA's software_jwks and the JWKS of its software_jwks_endpoint "
                            "hold the same keys (RFC 7638 thumbprints), when the endpoint's keys "
                            "are known (fetched, or a file)")),
        r("signature-keys", "WWWWWW",
          QT_TRANSLATE_NOOP("dcr::Preflight",
                            "a key of the software's (the SSA's software_jwks, the endpoint's "
                            "JWKS when known) verifies the request; else the kid it needs is "
                            "named")),
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
