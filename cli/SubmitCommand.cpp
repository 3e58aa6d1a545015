#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "SendAndReport.h"
#include "TargetOptions.h"
#include "session/LostRegistrationCheck.h"

namespace dcr::cli {

namespace {

// An earlier registration of the same software_id at the same endpoint got no answer, or the
// history could not be read to tell (issue #25.2, LostRegistrationCheck: the console's rule
// too): said on stderr before anything is sent, and the send refused (ExitUsage: nothing sent)
// unless --register-again.
std::optional<int> refuseLostRegistration(const CommandLine& cmd, CliIo& io, Session& session,
                                          const SubmissionPlan& plan) {
    using Kind = LostRegistrationCheck::Finding::Kind;
    const auto finding = LostRegistrationCheck::checkNow(session, plan);
    if (!finding.mustAsk())
        return std::nullopt;
    io.err << "warning: " << finding.text;
    const bool unchecked = finding.kind == Kind::Unchecked;
    if (cmd.isSet(QStringLiteral("register-again"))) {
        io.err << (unchecked ? " Sending unchecked, as --register-again asks."
                             : " Sending again, as --register-again asks.")
               << Qt::endl;
        return std::nullopt;
    }
    io.err << (unchecked ? " Nothing was sent; use --register-again to send unchecked."
                         : " Send anyway with --register-again.")
           << Qt::endl;
    return ExitUsage;
}

} // namespace

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
    cmd.addOption(QStringLiteral("register-again"),
                  QStringLiteral("send even though an earlier registration of the same "
                                 "software_id at the same URL got no answer, or the history "
                                 "could not be read to tell (the bank may already hold a client "
                                 "for it)"));
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
    if (auto refused = refuseLostRegistration(cmd, io, *session, **plan))
        return *refused;
    return sendAndReport(cmd, io, *session, **plan);
}

} // namespace dcr::cli
