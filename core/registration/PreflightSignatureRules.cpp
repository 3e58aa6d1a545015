#include "PreflightSignatureRules.h"

#include <QCoreApplication>

namespace dcr::preflight {

namespace {

// User-facing text (finding messages), translated in the preflight's context.
struct PreflightSignatureRulesTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Preflight)
};

} // namespace

void checkRequestSignature(const PreflightInput& in, Collector& c) {
    if (in.requestAlgorithm && *in.requestAlgorithm != JwsAlgorithm::PS256 &&
        *in.requestAlgorithm != JwsAlgorithm::ES256)
        c.add("request-alg-fapi", QString(),
              PreflightSignatureRulesTr::tr(
                  "the request is signed with %1; FAPI and Open Banking expect PS256 or ES256")
                  .arg(algorithmName(*in.requestAlgorithm)));
    if (in.requestSignature.state == SignatureVerdict::State::Invalid)
        c.add("request-signature-invalid", QString(),
              PreflightSignatureRulesTr::tr("the request's signature is %1")
                  .arg(in.requestSignature.text()));
}

void checkFapi(const PreflightInput& in, Collector& c) {
    const QString method = in.request.tokenEndpointAuthMethod();
    if (!method.isEmpty() && method != QStringLiteral("tls_client_auth") &&
        method != QStringLiteral("self_signed_tls_client_auth") &&
        method != QStringLiteral("private_key_jwt"))
        c.add("fapi-auth-method", QStringLiteral("token_endpoint_auth_method"),
              PreflightSignatureRulesTr::tr(
                  "%1 is not a FAPI 1.0 Advanced client authentication method "
                  "(tls_client_auth, self_signed_tls_client_auth or private_key_jwt)%2")
                  .arg(q(method),
                       in.request.has(QStringLiteral("token_endpoint_auth_method"))
                           ? QString()
                           : PreflightSignatureRulesTr::tr(" (it is the default when absent)")));
    for (const char* name : {"token_endpoint_auth_signing_alg", "request_object_signing_alg",
                             "id_token_signed_response_alg"}) {
        const QString claim = QString::fromLatin1(name);
        const QString alg = in.request.string(claim);
        if (!alg.isEmpty() && alg != QStringLiteral("PS256") && alg != QStringLiteral("ES256"))
            c.add(
                "fapi-alg", claim,
                PreflightSignatureRulesTr::tr("%1 is %2; FAPI 1.0 Advanced requires PS256 or ES256")
                    .arg(claim, q(alg)));
    }
}

} // namespace dcr::preflight
