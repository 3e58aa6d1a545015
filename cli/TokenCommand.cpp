#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "SendAndReport.h"
#include "TargetOptions.h"
#include "TokenOptions.h"

#include <QJsonObject>

namespace dcr::cli {

int tokenCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("token"),
        QStringLiteral("Asks the ASPSP's token endpoint for a client_credentials access token "
                       "(the OBIE way to authorise client get/update/delete). The token is printed "
                       "masked unless --reveal-secrets. The request and its answer are recorded in "
                       "the history "
                       "like every request (the token masked in every view and export, never "
                       "shared in clear)."));
    addTargetOptions(cmd);
    addTokenOptions(cmd, QStringLiteral("auth"));
    cmd.addOption(QStringLiteral("client-id"), QStringLiteral("the client_id the ASPSP issued"),
                  QStringLiteral("ID"));
    addSigningOptions(
        cmd, QStringLiteral("private_key_jwt: the client's signing key (default: the profile's)"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("print the token response as JSON"));
    cmd.addOption(QStringLiteral("reveal-secrets"), QStringLiteral("print the access token"));
    if (auto stop = cmd.parse(args, io, 0, 0))
        return *stop;
    const QString clientId = cmd.value(QStringLiteral("client-id"));
    if (clientId.isEmpty())
        return io.fail(ExitUsage, QStringLiteral("token: --client-id is required"));
    FilePassphrases passphrases;
    if (auto ok = readPassphraseFiles(cmd, io, passphrases); !ok)
        return io.fail(ExitUsage, QStringLiteral("token: ") + ok.error().toString());
    auto session = openSession(cmd, io, &passphrases);
    Profile base;
    if (cmd.isSet(QStringLiteral("profile")) || cmd.isSet(QStringLiteral("url"))) {
        auto resolved = resolveProfile(cmd, io, *session);
        if (!resolved)
            return io.fail(ExitUsage, QStringLiteral("token: ") + resolved.error().toString());
        base = *resolved;
    } else {
        // Only a token URL: the transport options describe the client certificate.
        for (const auto& [option, field] :
             {std::pair{"cert", &base.transportCertPath}, std::pair{"key", &base.transportKeyPath},
              std::pair{"cacert", &base.caBundlePath}})
            if (cmd.isSet(QString::fromLatin1(option)))
                *field = cmd.value(QString::fromLatin1(option));
        if (cmd.isSet(QStringLiteral("signing-key")))
            base.signingKeyPath = cmd.value(QStringLiteral("signing-key"));
        if (cmd.isSet(QStringLiteral("kid")))
            base.signingKid = cmd.value(QStringLiteral("kid"));
        const auto timeout =
            integerOption(cmd, QStringLiteral("timeout"), Profile::MinTimeoutSeconds,
                          Profile::MaxTimeoutSeconds, base.timeoutSeconds);
        if (!timeout)
            return io.fail(ExitUsage, QStringLiteral("token: ") + timeout.error().message);
        base.timeoutSeconds = static_cast<int>(*timeout);
        base.insecure = cmd.isSet(QStringLiteral("insecure"));
    }
    auto spec = tokenSpecFromOptions(cmd, io, *session, base, clientId, QStringLiteral("auth"));
    if (!spec)
        return io.fail(ExitUsage, QStringLiteral("token: ") + spec.error().toString());
    const TokenResult result = requestTokenAndWait(*session, base, *spec);
    const bool reveal = cmd.isSet(QStringLiteral("reveal-secrets"));
    if (!result.exchange.completed()) {
        if (cmd.isSet(QStringLiteral("json")))
            io.printJson(QJsonDocument(
                QJsonObject{{QStringLiteral("failure"), result.exchange.failure->message},
                            {QStringLiteral("failure_class"),
                             failureClassName(result.exchange.failure->kind)}}));
        return io.fail(ExitNetwork, QStringLiteral("token: ") + result.exchange.failure->message);
    }
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject out = result.response.toJson(reveal);
        if (result.historyId != 0)
            out.insert(QStringLiteral("history_id"), result.historyId);
        if (!result.refusalReason.isEmpty())
            out.insert(QStringLiteral("refusal_reason"), result.refusalReason);
        io.printJson(QJsonDocument(out));
    } else {
        io.out << result.response.summary() << '\n';
        if (result.response.ok)
            io.out << "  access_token: "
                   << (reveal ? QString::fromUtf8(result.response.accessToken)
                              : result.response.toJson(false)
                                    .value(QStringLiteral("access_token"))
                                    .toString())
                   << '\n';
        else if (!result.refusalReason.isEmpty()) // the history's reason is the fix
            io.out << "  why:     " << result.refusalReason << '\n';
        else if (!result.response.likelyFix.isEmpty())
            io.out << "  fix:     " << result.response.likelyFix << '\n';
        io.out.flush();
    }
    return result.response.ok ? ExitOk : ExitNegative;
}

} // namespace dcr::cli
