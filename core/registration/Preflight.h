#pragma once

#include "PreflightFinding.h"
#include "RegistrationRequest.h"
#include "RequestBodyFormat.h"
#include "SignatureVerdict.h"
#include "SoftwareStatement.h"
#include "SpecVersion.h"
#include "jose/Certificate.h"

#include <QDateTime>
#include <QMap>
#include <QStringList>

#include <functional>
#include <optional>

namespace dcr {

// Values an ASPSP advertises in its discovery document, keyed by metadata name
// (e.g. "token_endpoint_auth_methods_supported"). Absent keys mean "not advertised".
using SupportedValues = QMap<QString, QStringList>;

struct PreflightInput {
    RegistrationRequest request;
    std::optional<JwsAlgorithm> requestAlgorithm; // when the request is a signed JWT
    SignatureVerdict requestSignature;
    std::optional<SoftwareStatement> ssa; // decoded software_statement, if it decodes
    QString ssaDecodeError;
    SignatureVerdict ssaSignature;
    SupportedValues supported;
    // What the signature interop rules (PreflightInteropRules) compare: the request as signed and
    // the keys each party verifies with. inspectRequest fills them; unset, those rules are silent.
    std::optional<Jws> requestJws;
    std::optional<VerificationKey> requestKey; // the key or JWKS given for the request
    std::optional<VerificationKey> ssaKey;     // the directory's key or JWKS given for the SSA
    // What the SSA's software_jwks_endpoint serves, when known here: fetched on request (the
    // console's inspector) or given as a file (dcrctl lint --software-jwks-file). Never fetched.
    std::optional<JwkSet> softwareJwksEndpointKeys;
};

// The environment a request is meant for; a production ASPSP refuses sandbox SSAs.
enum class TargetEnvironment { Any, Sandbox, Production };

// What preflight checks against. The defaults are the seed contract with nothing configured, which
// is what Preflight() has always done.
struct PreflightOptions {
    SpecVersion spec = SpecVersion::Seed;
    // FAPI 1.0 Advanced checks (as warnings); unset means on for every spec but the seed.
    std::optional<bool> fapi;
    // SSA issuers that are the ecosystem's directories (iss of the SSA); empty: the spec's own
    // (specDirectoryIssuers).
    QStringList directoryIssuers;
    QString expectedAud; // the ASPSP's id; empty: not checked
    int clockSkewSeconds = 60;
    int maxLifetimeSeconds = 3600;    // longer request lifetimes are a warning
    Certificate transportCertificate; // checked against the subject DN claim when not null
    SupportedValues supported;        // discovery values, used when the input has none
    TargetEnvironment environment = TargetEnvironment::Any;
    // How the request travels. Json (RFC 7591 §3.1): the rules about the JWT envelope (iss, aud,
    // iat, exp, jti, the request's signature and alg) do not apply, and RFC 7591's own do.
    RequestBodyFormat bodyFormat = RequestBodyFormat::Jwt;
    // An ecosystem preset's required claims, checked besides the spec's (required-claim), and the
    // preset's name for the message.
    QStringList presetRequiredClaims;
    QString presetName;

    bool fapiEnabled() const { return fapi.value_or(isFapiEcosystem(spec)); }
    QStringList trustedDirectoryIssuers() const {
        return directoryIssuers.isEmpty() ? specDirectoryIssuers(spec) : directoryIssuers;
    }
};

struct PreflightRuleInfo {
    QString id;
    Severity severity; // under the seed, or the first spec the rule applies to
    QString description;
    // Severity under each spec of allSpecVersions(); nullopt: the rule does not apply there.
    QList<std::optional<Severity>> perSpec;
    bool fapi = false; // only when PreflightOptions::fapiEnabled()
    // The body formats the rule applies to: the JWT envelope's rules only to signed JWT bodies,
    // RFC 7591's JSON-body rules only to JSON bodies; most rules to both.
    enum class Bodies { Both, JwtOnly, JsonOnly };
    Bodies bodies = Bodies::Both;

    std::optional<Severity> severityFor(SpecVersion spec) const {
        return perSpec.value(static_cast<int>(spec));
    }
};

// The rule engine. Time comes from an injectable clock so rules about iat/exp are testable.
class Preflight {
public:
    using Clock = std::function<QDateTime()>;
    // The seed contract (spec "seed") with the given clock skew.
    explicit Preflight(Clock clock = &QDateTime::currentDateTimeUtc, int clockSkewSeconds = 60);
    explicit Preflight(PreflightOptions options, Clock clock = &QDateTime::currentDateTimeUtc);

    QList<PreflightFinding> run(const PreflightInput& input) const;
    const PreflightOptions& options() const { return m_options; }

    // Decodes the request's software_statement into input.ssa (or ssaDecodeError).
    static void decodeSoftwareStatement(PreflightInput& input);

    static const QList<PreflightRuleInfo>& rules();
    static const PreflightRuleInfo* findRule(const QString& id);

private:
    Clock m_clock;
    PreflightOptions m_options;
};

// True when text is a Base62-encoded 128-bit value (the seed's "Base62 encoded GUID"): at most
// maxLength characters of 0-9, A-Z, a-z.
bool isBase62Guid(const QString& text, int maxLength = 22);
// True for a UUID version 4 in its 36-character form (OBIE's jti pattern).
bool isUuidV4(const QString& text);

} // namespace dcr
