#include "SandboxOfbAnswers.h"

#include "common/Utf8.h"
#include "jose/JwkSet.h"
#include "jose/JwsVerifier.h"
#include "registration/Preflight.h"

#include <QJsonDocument>

namespace dcr {

namespace {

SandboxRefusal refusal(const QString& error, const QString& description) {
    return {400, error, description};
}

// The swagger's error for a preflight finding: the SSA's own rules give
// invalid_software_statement, redirect URIs invalid_redirect_uri, webhooks invalid_webhook_uris
// (v2 §7.1-16), everything else invalid_client_metadata (research_ofb §4's table).
SandboxRefusal refusalFor(const PreflightFinding& finding) {
    const QString where = finding.claim.isEmpty() ? finding.rule : finding.claim;
    if (finding.rule == s("ofb-webhook-uris"))
        // DCR v2 §7.1-16, the error_description it prescribes.
        return refusal(s("invalid_webhook_uris"),
                       s("The content of the webhook_uris field different from what was "
                         "Registered in the software_statement noted via the JWS "
                         "software_api_webhook_uris field. (%1)")
                           .arg(finding.message));
    if (finding.rule.startsWith(s("ofb-ssa")) || finding.rule.startsWith(s("ssa-")))
        return refusal(s("invalid_software_statement"), s("%1: %2").arg(where, finding.message));
    if (finding.claim == s("redirect_uris"))
        return refusal(s("invalid_redirect_uri"), s("%1: %2").arg(where, finding.message));
    return refusal(s("invalid_client_metadata"), s("%1: %2").arg(where, finding.message));
}

} // namespace

std::optional<SandboxRefusal> SandboxOfbAnswers::validate(const SandboxKit& kit,
                                                          const SandboxRequest& request,
                                                          const QDateTime& now,
                                                          QJsonObject* claimsOut) {
    // DCR 1.0 §9.1: "POST /reg HTTP/1.1 ... Content-Type: application/json".
    const QByteArray type = sandboxMediaType(request.headers);
    if (type != "application/json")
        return refusal(s("invalid_request"),
                       s("this Open Finance Brasil registration endpoint takes RFC 7591 JSON "
                         "metadata (Content-Type application/json, DCR 1.0 §9.1), not \"%1\"; "
                         "send the request with body format json (dcrctl --body json)")
                           .arg(QString::fromLatin1(type)));
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (!doc.isObject())
        return refusal(s("invalid_request"),
                       s("the body is not one JSON object (%1)").arg(parseError.errorString()));
    *claimsOut = doc.object();
    const QJsonValue statement = claimsOut->value(s("software_statement"));
    if (!statement.isString() || statement.toString().isEmpty())
        return refusal(s("invalid_software_statement"),
                       s("software_statement is missing: the swagger's ClientRegistrationRequest "
                         "requires it (a directory SSA, at most 5 minutes old)"));
    auto ssa = SoftwareStatement::decode(statement.toString().toLatin1());
    if (!ssa)
        return refusal(s("invalid_software_statement"),
                       s("software_statement: %1").arg(ssa.error().message));
    // DCR 1.0 §7.1-2: "software_statement JWT signed using the PS256 algorithim issued by the
    // Open Finance Brasil directory of participants".
    if (auto verified = JwsVerifier::verifyWithJwks(
            ssa->jws(), JwkSet::single(kit.directoryKey(), kit.directoryKid()),
            {JwsAlgorithm::PS256});
        !verified)
        return refusal(s("invalid_software_statement"),
                       s("the software statement is not a PS256 signature of the sandbox "
                         "directory: %1")
                           .arg(verified.error().message));
    if (ssa->softwareId() != kit.softwareId())
        return refusal(s("unapproved_software_statement"),
                       s("software_id %1 is not known to this bank").arg(ssa->softwareId()));

    PreflightInput input;
    input.request = RegistrationRequest(*claimsOut);
    input.ssa = *ssa;
    input.ssaSignature.state = SignatureVerdict::State::Valid;
    PreflightOptions options;
    options.spec = SpecVersion::Ofb;
    options.bodyFormat = RequestBodyFormat::Json;
    options.directoryIssuers = {SandboxKit::ofbDirectoryIssuer()};
    options.transportCertificate = request.clientCertificate;
    for (const auto& finding : Preflight(options, [now] { return now; }).run(input))
        if (finding.severity == Severity::Error)
            return refusalFor(finding);
    return std::nullopt;
}

} // namespace dcr
