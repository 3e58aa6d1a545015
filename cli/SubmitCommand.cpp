#include "CommandLine.h"
#include "Commands.h"
#include "TargetOptions.h"
#include "history/HistoryStore.h"
#include "registration/SoftwareStatement.h"
#include "transport/Submitter.h"

#include <QEventLoop>
#include <QJsonObject>

namespace dcr::cli {

namespace {

void addHistoryOption(CommandLine& cmd) {
    cmd.addOption(
        QStringLiteral("history-db"),
        QStringLiteral("history database file (default: %1)").arg(HistoryStore::defaultPath()),
        QStringLiteral("FILE"));
}

Result<std::unique_ptr<HistoryStore>> openHistory(const CommandLine& cmd, CliIo& io) {
    auto store = HistoryStore::open(cmd.isSet(QStringLiteral("history-db"))
                                        ? cmd.value(QStringLiteral("history-db"))
                                        : HistoryStore::defaultPath());
    if (store && !(*store)->recoveryNotice().isEmpty())
        io.err << "history: " << (*store)->recoveryNotice() << Qt::endl;
    return store;
}

// Sends one request and waits for it (a CLI may block; the library never does).
int sendAndReport(const CommandLine& cmd, CliIo& io, const Target& target,
                  const SubmissionStart& start, const HeaderList& headers, const QByteArray& body) {
    std::unique_ptr<HistoryStore> history;
    if (!cmd.isSet(QStringLiteral("no-history"))) {
        auto store = openHistory(cmd, io);
        if (!store)
            return io.fail(
                ExitUsage,
                QStringLiteral("history: %1 (use --no-history to send without recording)")
                    .arg(store.error().message));
        history = std::move(store.value());
    }
    RegistrationClient client;
    client.setTransport(target.transport);
    Submitter submitter(&client, history.get());
    SubmissionResult result;
    QEventLoop loop;
    QObject::connect(&submitter, &Submitter::finished, &loop,
                     [&](quint64, const SubmissionResult& r) {
                         result = r;
                         loop.quit();
                     });
    auto id = submitter.submit(start, QUrl(start.url), headers, body);
    if (!id)
        return io.fail(ExitUsage, id.error().message);
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

SubmissionStart startFor(const Target& target, const QByteArray& method, const QUrl& url,
                         const QByteArray& jwt, const QJsonObject& claims) {
    SubmissionStart s;
    s.profile = target.profileName;
    s.method = method;
    s.url = url.toString();
    s.contentType = jwt.isEmpty() ? QByteArray() : target.contentType;
    s.requestJwt = jwt;
    s.requestClaims = claims;
    const QString ssa = claims.value(QStringLiteral("software_statement")).toString();
    if (auto decoded = SoftwareStatement::decode(ssa.toLatin1())) {
        s.softwareId = decoded->softwareId();
        s.clientName = decoded->clientName();
    } else {
        s.softwareId = claims.value(QStringLiteral("software_id")).toString();
    }
    return s;
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
    auto target = resolveTarget(cmd, io);
    if (!target)
        return io.fail(ExitUsage, QStringLiteral("submit: ") + target.error().toString());
    auto request = resolveRequest(cmd, io, *target, true);
    if (!request)
        return io.fail(ExitUsage, QStringLiteral("submit: ") + request.error().toString());
    const HeaderList headers{{"Content-Type", target->contentType}, {"Accept", "application/json"}};
    return sendAndReport(cmd, io, *target,
                         startFor(*target, "POST", target->endpoint, request->jwt, request->claims),
                         headers, request->jwt);
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
    auto target = resolveTarget(cmd, io);
    if (!target)
        return io.fail(ExitUsage, QStringLiteral("client: ") + target.error().toString());
    auto request = resolveRequest(cmd, io, *target, action == QStringLiteral("update"));
    if (!request)
        return io.fail(ExitUsage, QStringLiteral("client: ") + request.error().toString());
    QUrl url = target->endpoint;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + cmd.value(QStringLiteral("client-id")));
    const QByteArray method = action == QStringLiteral("get")      ? "GET"
                              : action == QStringLiteral("update") ? "PUT"
                                                                   : "DELETE";
    HeaderList headers{{"Accept", "application/json"}, {"Authorization", "Bearer " + *token}};
    if (method == "PUT")
        headers.prepend({"Content-Type", target->contentType});
    return sendAndReport(cmd, io, *target,
                         startFor(*target, method, url, request->jwt, request->claims), headers,
                         request->jwt);
}

} // namespace dcr::cli
