#include "RequestInspection.h"

#include "InputKind.h"

namespace dcr {

namespace {

// requestVerdict: what is already known about the request's signature (it could not be read).
RequestInspection inspect(const RegistrationRequest& request, const std::optional<Jws>& jws,
                          const InspectionOptions& options, const Preflight& preflight,
                          const std::optional<SignatureVerdict>& requestVerdict) {
    RequestInspection out;
    out.jws = jws;
    out.input.request = request;
    out.input.supported = options.supported;
    if (jws) {
        out.input.requestAlgorithm = jws->algorithm();
        if (options.requestKey)
            out.input.requestSignature =
                SignatureVerdict::check(*jws, *options.requestKey, asymmetricAlgorithms());
    }
    Preflight::decodeSoftwareStatement(out.input);
    if (out.input.ssa && out.input.ssa->hasJws())
        out.input.ssaSignature = verifySoftwareStatement(out.input.ssa->jws(), options.ssaKey);
    if (requestVerdict)
        out.input.requestSignature = *requestVerdict;
    out.findings = preflight.run(out.input);
    return out;
}

} // namespace

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
