#include "RequestInspection.h"

#include "InputKind.h"
#include "PreflightInteropRules.h"

#include <QCoreApplication>

namespace dcr {

namespace {

struct RequestInspectionTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::RequestInspection)
};

// The request's verdict against its SSA's keys (requestKeysFromSsa): by value first, then what
// was fetched from its software_jwks_endpoint. Nothing when the SSA offers neither.
void verifyWithSsaKeys(const Jws& jws, const InspectionOptions& options, RequestInspection& out) {
    const SoftwareStatement& ssa = *out.input.ssa;
    if (carriesSoftwareJwks(ssa)) {
        out.requestKeysSource = RequestInspectionTr::tr("the SSA's software_jwks");
        const Result<JwkSet> jwks = *softwareJwksByValue(ssa);
        out.input.requestSignature =
            jwks ? SignatureVerdict::check(jws, VerificationKey::fromJwks(*jwks),
                                           asymmetricAlgorithms())
                 : SignatureVerdict::invalid(
                       RequestInspectionTr::tr("the SSA's software_jwks is not a JWK Set: %1")
                           .arg(jwks.error().message));
        return;
    }
    if (!options.fetchedSoftwareJwks)
        return;
    out.requestKeysSource =
        RequestInspectionTr::tr("the JWKS fetched from software_jwks_endpoint %1")
            .arg(ssa.softwareJwksEndpoint());
    out.input.requestSignature = SignatureVerdict::check(
        jws, VerificationKey::fromJwks(*options.fetchedSoftwareJwks), asymmetricAlgorithms());
}

// requestVerdict: what is already known about the request's signature (it could not be read).
RequestInspection inspect(const RegistrationRequest& request, const std::optional<Jws>& jws,
                          const InspectionOptions& options, const Preflight& preflight,
                          const std::optional<SignatureVerdict>& requestVerdict) {
    RequestInspection out;
    out.jws = jws;
    out.input.request = request;
    out.input.supported = options.supported;
    // For the signature interop rules: the token and every key set a bank may verify it with.
    out.input.requestJws = jws;
    out.input.requestKey = options.requestKey;
    out.input.ssaKey = options.ssaKey;
    out.input.softwareJwksEndpointKeys = options.fetchedSoftwareJwks;
    if (jws) {
        out.input.requestAlgorithm = jws->algorithm();
        if (options.requestKey)
            out.input.requestSignature =
                SignatureVerdict::check(*jws, *options.requestKey, asymmetricAlgorithms());
    }
    Preflight::decodeSoftwareStatement(out.input);
    if (out.input.ssa && out.input.ssa->hasJws())
        out.input.ssaSignature = verifySoftwareStatement(out.input.ssa->jws(), options.ssaKey);
    if (jws && !options.requestKey && options.requestKeysFromSsa && out.input.ssa)
        verifyWithSsaKeys(*jws, options, out);
    if (requestVerdict)
        out.input.requestSignature = *requestVerdict;
    out.findings = preflight.run(out.input);
    out.signatureKeys = signatureKeys(out.input);
    return out;
}

} // namespace

bool carriesSoftwareJwks(const SoftwareStatement& ssa) {
    const QJsonValue value = ssa.claims().value(QStringLiteral("software_jwks"));
    return !value.isUndefined() && !value.isNull();
}

RequestInspection inspectRequest(const RegistrationRequest& request, const std::optional<Jws>& jws,
                                 const InspectionOptions& options, const Preflight& preflight) {
    return inspect(request, jws, options, preflight, std::nullopt);
}

Result<RequestInspection> inspectRequest(const QByteArray& bytes, bool isClaimsJson,
                                         const InspectionOptions& options,
                                         const Preflight& preflight) {
    if (isClaimsJson) {
        auto request = RegistrationRequest::fromJsonBytes(bytes);
        if (!request)
            return request.error();
        return inspectRequest(*request, std::nullopt, options, preflight);
    }
    auto jws = Jws::parse(bytes);
    if (!jws && options.inspectBrokenSignature) {
        // Still a request by its claims; what stopped the parse is why its signature is invalid.
        if (auto shape = readJwsShape(bytes))
            return inspect(RegistrationRequest(shape->claims), std::nullopt, options, preflight,
                           SignatureVerdict::invalid(jws.error().message));
    }
    if (!jws)
        return jws.error();
    return inspectRequest(RegistrationRequest(jws->claims()), *jws, options, preflight);
}

} // namespace dcr
