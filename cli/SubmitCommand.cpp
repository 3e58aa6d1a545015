#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "SendAndReport.h"
#include "TargetOptions.h"

namespace dcr::cli {

namespace {

// An earlier registration of the same software_id at the same endpoint got no answer, so the
// bank may hold a client for it (issue #25.2): said on stderr before anything is sent, and the
// send refused (ExitUsage: nothing sent) unless --register-again. A history that cannot be read
// is refused the same way: unchecked is not "nothing lost". Unrecorded sends (--no-history) do
// not open the history, so they cannot be checked.
std::optional<int> refuseLostRegistration(const CommandLine& cmd, CliIo& io, Session& session,
                                          const SubmissionPlan& plan) {
    if (cmd.isSet(QStringLiteral("no-history")))
        return std::nullopt;
    auto lost = session.lostRegistrationsFor(plan);
    if (!lost) {
        // Unchecked is not "nothing lost": refused like a found one, unless --register-again.
        io.err << "warning: could not check the history (" << session.historyLocation()
               << ") for earlier registrations without an answer: " << lost.error().message;
        if (cmd.isSet(QStringLiteral("register-again"))) {
            io.err << " Sending unchecked, as --register-again asks." << Qt::endl;
            return std::nullopt;
        }
        io.err << " Nothing was sent; use --register-again to send unchecked." << Qt::endl;
        return ExitUsage;
    }
    if (lost->isEmpty())
        return std::nullopt;
    io.err << "warning: " << lostRegistrationWarning(lost->last(), plan.profile);
    if (lost->size() > 1)
        io.err << " (" << lost->size() - 1 << " earlier one(s) too)";
    if (cmd.isSet(QStringLiteral("register-again"))) {
        io.err << " Sending again, as --register-again asks." << Qt::endl;
        return std::nullopt;
    }
    io.err << " Send anyway with --register-again." << Qt::endl;
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
                                 "software_id at the same URL got no answer (the bank may "
                                 "already hold a client for it)"));
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
