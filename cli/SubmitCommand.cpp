#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "TargetOptions.h"

#include <QEventLoop>
#include <QJsonObject>

namespace dcr::cli {

namespace {

// Sends one request and waits for it (a CLI may block; the library never does).
int sendAndReport(const CommandLine& cmd, CliIo& io, Session& session, const SubmissionPlan& plan) {
    SubmissionResult result;
    QEventLoop loop;
    QObject::connect(&session, &Session::submissionFinished, &loop,
                     [&](quint64, const SubmissionResult& r) {
                         result = r;
                         loop.quit();
                     });
    auto id = session.submit(plan, !cmd.isSet(QStringLiteral("no-history")));
    if (!id)
        return io.fail(ExitUsage,
                       id.error().message +
                           QStringLiteral(" (use --no-history to send without recording)"));
    loop.exec();

    const bool json = cmd.isSet(QStringLiteral("json"));
    const bool reveal = cmd.isSet(QStringLiteral("reveal-secrets"));
    if (json) {
        QJsonObject out{{QStringLiteral("exchange"), result.exchange.toJson(reveal)}};
        if (result.exchange.completed()) {
            QJsonObject outcome = result.outcome.toJson();
            if (!reveal && outcome.contains(QStringLiteral("client")))
                outcome.insert(QStringLiteral("client"),
                               QJsonDocument::fromJson(
                                   maskSecretsInJson(QJsonDocument(result.outcome.client).toJson()))
                                   .object());
            out.insert(QStringLiteral("outcome"), outcome);
        }
        if (result.historyId)
            out.insert(QStringLiteral("history_id"), result.historyId);
        if (!result.historyError.isEmpty())
            out.insert(QStringLiteral("history_error"), result.historyError);
        io.printJson(QJsonDocument(out));
    } else {
        if (!result.exchange.completed()) {
            io.out << "FAILED (" << failureClassName(result.exchange.failure->kind)
                   << "): " << result.exchange.failure->message << '\n';
        } else {
            io.out << result.outcome.summary() << '\n';
            if (!result.outcome.explanation.isEmpty())
                io.out << "  meaning: " << result.outcome.explanation << '\n';
            if (!result.outcome.likelyFix.isEmpty())
                io.out << "  fix:     " << result.outcome.likelyFix << '\n';
            for (const auto& change : result.outcome.changes)
                io.out << "  changed: " << change.claim << " requested "
                       << QString::fromUtf8(
                              QJsonDocument(QJsonObject{{QStringLiteral("v"), change.requested}})
                                  .toJson(QJsonDocument::Compact))
                              .mid(5)
                              .chopped(1)
                       << ", granted "
                       << (change.granted.isUndefined()
                               ? QStringLiteral("(dropped)")
                               : QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("v"),
                                                                              change.granted}})
                                                       .toJson(QJsonDocument::Compact))
                                     .mid(5)
                                     .chopped(1))
                       << '\n';
            if (!result.outcome.client.isEmpty())
                io.out
                    << "  client:  "
                    << QString::fromUtf8(
                           reveal
                               ? QJsonDocument(result.outcome.client).toJson(QJsonDocument::Compact)
                               : maskSecretsInJson(QJsonDocument(result.outcome.client).toJson()))
                    << '\n';
        }
        if (result.exchange.insecure)
            io.out << "  WARNING: TLS verification was OFF for this request\n";
        if (result.historyId)
            io.out << "  history: #" << result.historyId << '\n';
        io.out.flush();
    }
    if (!result.historyError.isEmpty())
        io.err << "history: the answer could not be recorded: " << result.historyError << Qt::endl;
    if (!result.exchange.completed())
        return ExitNetwork;
    return (result.outcome.kind == OutcomeKind::Accepted ||
            result.outcome.kind == OutcomeKind::Registered ||
            (result.exchange.status >= 200 && result.exchange.status < 300))
               ? ExitOk
               : ExitNegative;
}

} // namespace

int submitCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("submit"),
        QStringLiteral("Sends a registration request (POST, Content-Type application/jwt) over "
                       "mutual TLS and prints the classified outcome. Every attempt is recorded in "
                       "the history unless --no-history."));
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
    auto session = openSession(cmd, io, &passphrases);
    auto profile = resolveProfile(cmd, io, *session);
    if (!profile)
        return io.fail(ExitUsage, QStringLiteral("submit: ") + profile.error().toString());
    auto plan = planRequest(cmd, io, *session, *profile, true);
    if (!plan)
        return io.fail(ExitUsage, QStringLiteral("submit: ") + plan.error().toString());
    return sendAndReport(cmd, io, *session, **plan);
}

int clientCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(QStringLiteral("client"),
                    QStringLiteral("OBIE DCR client lifecycle: 'get', 'update' or 'delete' "
                                   "{endpoint}/{client_id} with the registration access token."),
                    QStringLiteral("ACTION"), QStringLiteral("get, update or delete"));
    addTargetOptions(cmd);
    addRequestOptions(cmd);
    addHistoryOption(cmd);
    cmd.addOption(QStringLiteral("client-id"), QStringLiteral("the client_id the ASPSP issued"),
                  QStringLiteral("ID"));
    cmd.addOption(QStringLiteral("access-token-file"),
                  QStringLiteral("file holding the registration_access_token"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("no-history"), QStringLiteral("do not record this request"));
    cmd.addOption(QStringLiteral("json"),
                  QStringLiteral("print the full exchange and outcome as JSON"));
    cmd.addOption(QStringLiteral("reveal-secrets"), QStringLiteral("show secrets unmasked"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    const QString action = cmd.positional().first();
    if (action != QStringLiteral("get") && action != QStringLiteral("update") &&
        action != QStringLiteral("delete"))
        return io.fail(
            ExitUsage,
            QStringLiteral("client: ACTION must be get, update or delete, not '%1'").arg(action));
    if (!cmd.isSet(QStringLiteral("client-id")) || !cmd.isSet(QStringLiteral("access-token-file")))
        return io.fail(ExitUsage,
                       QStringLiteral("client: --client-id and --access-token-file are required"));
    auto token = readSecretFile(cmd.value(QStringLiteral("access-token-file")), io);
    if (!token)
        return io.fail(ExitUsage, QStringLiteral("client: ") + token.error().toString());
    FilePassphrases passphrases;
    if (auto ok = readPassphraseFiles(cmd, io, passphrases); !ok)
        return io.fail(ExitUsage, QStringLiteral("client: ") + ok.error().toString());
    auto session = openSession(cmd, io, &passphrases);
    auto profile = resolveProfile(cmd, io, *session);
    if (!profile)
        return io.fail(ExitUsage, QStringLiteral("client: ") + profile.error().toString());
    const ClientOperation operation = action == QStringLiteral("get") ? ClientOperation::Read
                                      : action == QStringLiteral("update")
                                          ? ClientOperation::Update
                                          : ClientOperation::Delete;
    auto request = planRequest(cmd, io, *session, *profile, operation == ClientOperation::Update);
    if (!request)
        return io.fail(ExitUsage, QStringLiteral("client: ") + request.error().toString());
    auto target = session->target(*profile);
    if (!target)
        return io.fail(ExitUsage, QStringLiteral("client: ") + target.error().toString());
    auto plan = planClientOperation(operation, cmd.value(QStringLiteral("client-id")), *token,
                                    *request ? (*request)->requestJwt : QByteArray(), *target);
    if (!plan)
        return io.fail(ExitUsage, QStringLiteral("client: ") + plan.error().toString());
    return sendAndReport(cmd, io, *session, *plan);
}

} // namespace dcr::cli
