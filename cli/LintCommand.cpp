#include "CommandLine.h"
#include "Commands.h"
#include "KeyArguments.h"
#include "registration/RequestInspection.h"
#include "session/EcosystemPreset.h"
#include "transport/DiscoveryDocument.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dcr::cli {

int lintCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("lint"),
        QStringLiteral("Runs the preflight rules on a registration request JWT (or a claims JSON "
                       "file with --claims). Exits 1 when any finding is an error."),
        QStringLiteral("FILE"),
        QStringLiteral("the request JWT or claims file, or - for standard input"));
    cmd.addOption(QStringLiteral("json"),
                  QStringLiteral("print an array of findings {severity, rule, claim, message}"));
    cmd.addOption(QStringLiteral("claims"),
                  QStringLiteral("FILE is a JSON claims object, not a JWT"));
    cmd.addOption(QStringLiteral("now"),
                  QStringLiteral("evaluate times as of this moment (seconds since the epoch)"),
                  QStringLiteral("EPOCH"));
    cmd.addOption(QStringLiteral("ssa-jwks"),
                  QStringLiteral("verify the SSA with this JWKS/key/certificate file"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("ssa-secret-file"),
                  QStringLiteral("verify an HS256 SSA with this shared secret"),
                  QStringLiteral("FILE"));
    cmd.addOption(
        QStringLiteral("jwks"),
        QStringLiteral("verify the request signature with this JWKS/key/certificate file"),
        QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("software-jwks-file"),
                  QStringLiteral("what the SSA's software_jwks_endpoint serves, as a JWKS file "
                                 "(lint fetches nothing): compared with the SSA's software_jwks "
                                 "and tried on the request's signature"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("spec"),
                  QStringLiteral("the contract to check against: seed (default), obie-3.1, "
                                 "obie-3.2, obie-3.3, ofb (Open Finance Brasil; a JSON body "
                                 "unless --body says otherwise) or cdr (Australia's CDR)"),
                  QStringLiteral("SPEC"));
    cmd.addOption(QStringLiteral("cert"),
                  QStringLiteral("the transport certificate (PEM); the subject DN claim must name "
                                 "its subject"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("discovery"),
                  QStringLiteral("the ASPSP's openid-configuration JSON; values it does not "
                                 "advertise are warnings"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("aud"), QStringLiteral("the ASPSP's id that aud must equal"),
                  QStringLiteral("ID"));
    cmd.addOption(QStringLiteral("directory-issuer"),
                  QStringLiteral("the iss of the trusted directory's SSAs (default: the spec's, "
                                 "OpenBanking Ltd, the Brazil directory's, cdr-register; repeat "
                                 "for more)"),
                  QStringLiteral("NAME"));
    cmd.addOption(QStringLiteral("environment"),
                  QStringLiteral("sandbox or production: the SSA must be for it"),
                  QStringLiteral("ENV"));
    cmd.addOption(
        QStringLiteral("no-fapi"),
        QStringLiteral(
            "leave out the FAPI 1.0 Advanced warnings (on for the OBIE, ofb and cdr specs)"));
    cmd.addOption(QStringLiteral("body"),
                  QStringLiteral("jwt (default): FILE is a signed request; json: FILE is an RFC "
                                 "7591 JSON body, checked without the JWT-envelope rules"),
                  QStringLiteral("FORMAT"));
    cmd.addOption(
        QStringLiteral("preset"),
        QStringLiteral("an ecosystem preset (uk-obie, open-finance-brasil, cdr-au, rfc7591): "
                       "its spec, body format, directory and required claims; --spec "
                       "and --body override"),
        QStringLiteral("PRESET"));
    if (auto stop = cmd.parse(args, io))
        return *stop;

    PreflightOptions preflightOptions;
    if (cmd.isSet(QStringLiteral("preset"))) {
        const EcosystemPreset* preset = findEcosystemPreset(cmd.value(QStringLiteral("preset")));
        if (!preset)
            return io.fail(ExitUsage,
                           QStringLiteral("lint: --preset must be one of %1, not '%2'")
                               .arg(ecosystemPresetIds(), cmd.value(QStringLiteral("preset"))));
        // Checked as a profile made from the preset would be (the session's mapping).
        preflightOptions = preflightOptionsFor(preset->applyTo(Profile{}));
    }
    if (cmd.isSet(QStringLiteral("body"))) {
        const auto format = requestBodyFormatFromName(cmd.value(QStringLiteral("body")));
        if (!format)
            return io.fail(ExitUsage, QStringLiteral("lint: --body must be jwt or json, not '%1'")
                                          .arg(cmd.value(QStringLiteral("body"))));
        preflightOptions.bodyFormat = *format;
    }
    if (cmd.isSet(QStringLiteral("spec"))) {
        const auto spec = specVersionFromName(cmd.value(QStringLiteral("spec")));
        if (!spec)
            return io.fail(ExitUsage,
                           QStringLiteral("lint: --spec must be one of %1, not '%2'")
                               .arg(specVersionNames(), cmd.value(QStringLiteral("spec"))));
        preflightOptions.spec = *spec;
        // Brazil registers with a JSON body (RFC 7591 §3.1); --body still decides when given.
        if (*spec == SpecVersion::Ofb && !cmd.isSet(QStringLiteral("body")))
            preflightOptions.bodyFormat = RequestBodyFormat::Json;
    }
    if (cmd.isSet(QStringLiteral("no-fapi")))
        preflightOptions.fapi = false;
    if (cmd.isSet(QStringLiteral("aud")))
        preflightOptions.expectedAud = cmd.value(QStringLiteral("aud"));
    if (cmd.isSet(QStringLiteral("directory-issuer")))
        preflightOptions.directoryIssuers = cmd.parser().values(QStringLiteral("directory-issuer"));
    if (cmd.isSet(QStringLiteral("environment"))) {
        const QString env = cmd.value(QStringLiteral("environment"));
        if (env == QStringLiteral("sandbox"))
            preflightOptions.environment = TargetEnvironment::Sandbox;
        else if (env == QStringLiteral("production"))
            preflightOptions.environment = TargetEnvironment::Production;
        else
            return io.fail(ExitUsage,
                           QStringLiteral("lint: --environment must be sandbox or production"));
    }
    if (cmd.isSet(QStringLiteral("cert"))) {
        auto pem = readInput(cmd.value(QStringLiteral("cert")), io);
        if (!pem)
            return io.fail(ExitUsage, QStringLiteral("lint: --cert: ") + pem.error().toString());
        auto cert = Certificate::fromPem(*pem);
        if (!cert)
            return io.fail(ExitUsage, QStringLiteral("lint: --cert: ") + cert.error().toString());
        preflightOptions.transportCertificate = *cert;
    }
    if (cmd.isSet(QStringLiteral("discovery"))) {
        auto json = readInput(cmd.value(QStringLiteral("discovery")), io);
        if (!json)
            return io.fail(ExitUsage,
                           QStringLiteral("lint: --discovery: ") + json.error().toString());
        auto doc = DiscoveryDocument::parse(*json);
        if (!doc)
            return io.fail(ExitUsage,
                           QStringLiteral("lint: --discovery: ") + doc.error().toString());
        preflightOptions.supported = doc->supported;
    }

    QDateTime now = QDateTime::currentDateTimeUtc();
    if (cmd.isSet(QStringLiteral("now"))) {
        // Seconds since the epoch, up to 9999-12-31 (a QDateTime beyond is invalid).
        const auto epoch = integerOption(cmd, QStringLiteral("now"), 0, 253402300799, 0);
        if (!epoch)
            return io.fail(ExitUsage, QStringLiteral("lint: ") + epoch.error().message +
                                          QStringLiteral(" (seconds since the epoch)"));
        now = QDateTime::fromSecsSinceEpoch(*epoch, Qt::UTC);
    }
    InspectionOptions options;
    auto ssaKey = verificationKeyFromOptions(
        cmd, io, {QStringLiteral("ssa-jwks"), QStringLiteral("ssa-secret-file")}, false);
    if (!ssaKey)
        return io.fail(ExitUsage, QStringLiteral("lint: ") + ssaKey.error().message);
    options.ssaKey = *ssaKey;
    auto requestKey = verificationKeyFromOptions(cmd, io, {QStringLiteral("jwks")}, false);
    if (!requestKey)
        return io.fail(ExitUsage, QStringLiteral("lint: ") + requestKey.error().message);
    options.requestKey = *requestKey;
    if (cmd.isSet(QStringLiteral("software-jwks-file"))) {
        auto json = readInput(cmd.value(QStringLiteral("software-jwks-file")), io);
        if (!json)
            return io.fail(ExitUsage, QStringLiteral("lint: --software-jwks-file: ") +
                                          json.error().toString());
        auto jwks = JwkSet::parse(*json);
        if (!jwks)
            return io.fail(ExitUsage,
                           QStringLiteral("lint: --software-jwks-file: not a JWK Set: ") +
                               jwks.error().toString());
        options.fetchedSoftwareJwks = *jwks;
    }

    auto bytes = readInput(cmd.positional().first(), io);
    if (!bytes)
        return io.fail(ExitUsage, bytes.error().toString());
    const Preflight preflight(preflightOptions, [now] { return now; });
    // A JSON body is a claims object as far as inspection goes: no JWS around it.
    const bool claimsJson = cmd.isSet(QStringLiteral("claims")) ||
                            preflightOptions.bodyFormat == RequestBodyFormat::Json;
    auto inspection = inspectRequest(*bytes, claimsJson, options, preflight);
    if (!inspection)
        return io.fail(ExitUsage, inspection.error().toString());
    const auto& findings = inspection->findings;
    const int code = hasErrors(findings) ? ExitNegative : ExitOk;
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonArray out;
        for (const auto& f : findings)
            out.append(QJsonObject{{QStringLiteral("severity"), severityName(f.severity)},
                                   {QStringLiteral("rule"), f.rule},
                                   {QStringLiteral("claim"), f.claim},
                                   {QStringLiteral("message"), f.message}});
        io.printJson(QJsonDocument(out));
        return code;
    }
    int errors = 0, warnings = 0;
    for (const auto& f : findings) {
        errors += f.severity == Severity::Error;
        warnings += f.severity == Severity::Warning;
        io.out << severityName(f.severity).leftJustified(8) << f.rule.leftJustified(28)
               << (f.claim.isEmpty() ? QStringLiteral("-") : f.claim) << ": " << f.message << '\n';
    }
    // Which key of which key set verified the request and the SSA (issue #25.5).
    for (const QString& line : inspection->signatureKeys)
        io.out << "Keys: " << line << '\n';
    // The SSA's verdict in the words preflight and the console's SSA tab use.
    if (inspection->input.ssa && inspection->input.ssa->hasJws())
        io.out << "SSA signature: " << inspection->input.ssaSignature.text() << '\n';
    io.out << errors << " error(s), " << warnings << " warning(s), "
           << findings.size() - errors - warnings << " info\n";
    io.out.flush();
    return code;
}

} // namespace dcr::cli
