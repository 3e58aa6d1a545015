#include "RequestInspection.h"

namespace dcr {

RequestInspection inspectRequest(const RegistrationRequest& request, const std::optional<Jws>& jws,
                                 const InspectionOptions& options, const Preflight& preflight) {
    RequestInspection out;
    out.jws = jws;
    out.input.request = request;
    out.input.supported = options.supported;
    if (jws) {
        out.input.requestAlgorithm = jws->algorithm();
        if (options.requestKey) {
            auto verified = options.requestKey->verify(*jws, asymmetricAlgorithms());
            out.input.requestSignature =
                verified ? SignatureCheck{SignatureCheck::State::Verified, *verified}
                         : SignatureCheck{SignatureCheck::State::Failed, verified.error().message};
        }
    }
    Preflight::decodeSoftwareStatement(out.input);
    if (out.input.ssa && out.input.ssa->hasJws() && options.ssaKey) {
        auto verified =
            options.ssaKey->verify(out.input.ssa->jws(), options.ssaKey->defaultAlgorithms());
        out.input.ssaSignature =
            verified ? SignatureCheck{SignatureCheck::State::Verified, *verified}
                     : SignatureCheck{SignatureCheck::State::Failed, verified.error().message};
    }
    out.findings = preflight.run(out.input);
    return out;
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
    if (!jws)
        return jws.error();
    return inspectRequest(RegistrationRequest(jws->claims()), *jws, options, preflight);
}

} // namespace dcr
