#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "SendAndReport.h"
#include "TargetOptions.h"

namespace dcr::cli {

int submitCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("submit"),
        QStringLiteral("Sends a registration request (POST, Content-Type application/jwt, or "
                       "application/json with --body json) over mutual TLS and prints the "
                       "classified outcome. Every attempt is recorded in the history unless "
                       "--no-history."));
    addTargetOptions(cmd);
    addRequestOptions(cmd);
    addHistoryOption(cmd);
    cmd.addOption(QStringLiteral("no-history"), QStringLiteral("do not record this submission"));
    cmd.addOption(QStringLiteral("json"),
                  QStringLiteral("print the full exchange and outcome as JSON"));
    cmd.addOption(QStringLiteral("reveal-secrets"),
                  QStringLiteral("show client_secret and registration_access_token unmasked"));
    if (auto stop = cmd.parse(args, io, 0, 0))
        return *stop;
    FilePassphrases passphrases;
    if (auto ok = readPassphraseFiles(cmd, io, passphrases); !ok)
        return io.fail(ExitUsage, QStringLiteral("submit: ") + ok.error().toString());
    // An unrecorded send neither writes nor reads the history, so it does not open it.
    auto session =
        openSession(cmd, io, &passphrases,
                    cmd.isSet(QStringLiteral("no-history")) ? HistoryUse::None : HistoryUse::Open);
    auto profile = resolveProfile(cmd, io, *session);
    if (!profile)
        return io.fail(ExitUsage, QStringLiteral("submit: ") + profile.error().toString());
    auto plan = planRequest(cmd, io, *session, *profile, true);
    if (!plan)
        return io.fail(ExitUsage, QStringLiteral("submit: ") + plan.error().toString());
    return sendAndReport(cmd, io, *session, **plan);
}

} // namespace dcr::cli
