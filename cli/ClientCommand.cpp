#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "SendAndReport.h"
#include "TargetOptions.h"
#include "TokenOptions.h"
#include "transport/TokenOrigin.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dcr::cli {

namespace {

// --json keeps the array of clients (every entry has a client_id); the lost attempts join it
// only with --with-lost, as {"clients": [...], "answer_lost": [...]} (and "answer_lost_error"
// when they could not be read).
void printClientsJson(const CommandLine& cmd, CliIo& io, const QList<RegisteredClient>& clients,
                      const Result<QList<LostRegistration>>& lost) {
    QJsonArray out;
    for (const auto& c : clients)
        out.append(c.toJson());
    if (!cmd.isSet(QStringLiteral("with-lost"))) {
        io.printJson(QJsonDocument(out));
        return;
    }
    QJsonObject withLost{{QStringLiteral("clients"), out}};
    if (lost) {
        QJsonArray lostOut;
        for (const auto& l : *lost)
            lostOut.append(l.toJson());
        withLost.insert(QStringLiteral("answer_lost"), lostOut);
    } else {
        withLost.insert(QStringLiteral("answer_lost_error"), lost.error().message);
    }
    io.printJson(QJsonDocument(withLost));
}

void printClientsText(CliIo& io, const QList<RegisteredClient>& clients,
                      const QList<LostRegistration>& lost) {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto& c : clients)
        io.out << c.clientId << "  " << describeClientStatus(c.evidence, now) << "  " << c.profile
               << "  " << (c.authMethod.isEmpty() ? QStringLiteral("-") : c.authMethod) << "  "
               << (c.registrationClientUri.isEmpty() ? QStringLiteral("(endpoint/client_id)")
                                                     : c.registrationClientUri.toString())
               << "  registered " << c.registered.toLocalTime().toString(Qt::ISODate)
               << (c.lastChecked.isValid() ? QStringLiteral(", checked ") +
                                                 c.lastChecked.toLocalTime().toString(Qt::ISODate)
                                           : QString())
               << '\n';
    for (const auto& l : lost)
        io.out << "(answer lost)  " << describeLostRegistration(l) << "  " << l.profile << "  "
               << l.url << '\n'
               << "  advice: " << lostRegistrationAdvice(l) << '\n';
    io.out << clients.size() << " registered client(s)";
    if (!lost.isEmpty())
        io.out << ", " << lost.size() << " registration(s) with the answer lost";
    io.out << '\n';
    io.out.flush();
}

int listClients(const CommandLine& cmd, CliIo& io) {
    auto session = openSession(cmd, io);
    auto clients = session->registeredClients(cmd.value(QStringLiteral("profile")));
    if (!clients)
        return io.fail(ExitUsage, QStringLiteral("client list: ") + clients.error().toString());
    // Registrations whose answer was lost: the bank may hold a client nobody here knows of. Not
    // reading them does not hide the clients: they are listed, with a warning.
    auto lost = session->lostRegistrations(cmd.value(QStringLiteral("profile")));
    if (!lost)
        io.err << "warning: client list: registrations whose answer was lost could not be read "
                  "from the history ("
               << session->historyLocation() << "): " << lost.error().message << Qt::endl;
    if (cmd.isSet(QStringLiteral("json")))
        printClientsJson(cmd, io, *clients, lost);
    else
        printClientsText(io, *clients, lost ? *lost : QList<LostRegistration>{});
    return ExitOk;
}

// The bearer token that authorises a read, update or delete: a file, else the session's rule
// (Session::lifecycleBearer: the registration_access_token the ASPSP returned for profiles in
// rfc7592 mode, else a client_credentials token fetched now, as --token-auth also asks).
Result<QByteArray> bearerFor(const CommandLine& cmd, CliIo& io, Session& session,
                             const Profile& profile, const QString& clientId) {
    if (cmd.isSet(QStringLiteral("access-token-file")))
        return readSecretFile(cmd.value(QStringLiteral("access-token-file")), io);
    auto options = tokenOptionValues(cmd, io, profile, QStringLiteral("token-auth"));
    if (!options)
        return options.error();
    options->bearer.clientCredentials = cmd.isSet(QStringLiteral("token-auth"));
    auto bearer = session.lifecycleBearer(options->profile, clientId, options->bearer);
    if (!bearer)
        return Error{bearer.error().kind,
                     bearer.error().message + QStringLiteral(" (or give --access-token-file)")};
    if (!bearer->tokenRequest)
        return bearer->registrationAccessToken;
    if (auto alg = applyAssertionAlgOption(cmd, *bearer->tokenRequest); !alg)
        return alg.error();
    const TokenResult token = requestTokenAndWait(session, profile, *bearer->tokenRequest,
                                                  !cmd.isSet(QStringLiteral("no-history")));
    auto accessToken = Session::lifecycleAccessToken(token);
    if (!accessToken)
        return accessToken.error();
    io.err << "token: " << token.response.summary() << Qt::endl;
    return accessToken;
}

} // namespace

int clientCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("client"),
        QStringLiteral("Registered clients. 'list' shows those the history knows; 'get', 'update' "
                       "or 'delete' manage one at its registration_client_uri (or "
                       "{endpoint}/{client_id}), authorised with --access-token-file, a "
                       "client_credentials token (--token-auth, the OBIE way) or the "
                       "registration_access_token from the history (profiles in rfc7592 mode)."),
        QStringLiteral("ACTION"), QStringLiteral("list, get, update or delete"));
    addTargetOptions(cmd);
    addRequestOptions(cmd);
    addHistoryOption(cmd);
    addTokenOptions(cmd, QStringLiteral("token-auth"));
    cmd.addOption(QStringLiteral("client-id"), QStringLiteral("the client_id the ASPSP issued"),
                  QStringLiteral("ID"));
    cmd.addOption(QStringLiteral("registration-client-uri"),
                  QStringLiteral("the client's configuration URL (default: the one the ASPSP "
                                 "returned, else {endpoint}/{client_id})"),
                  QStringLiteral("URI"));
    cmd.addOption(QStringLiteral("access-token-file"),
                  QStringLiteral("file holding the bearer token (access or registration token)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("allow-origin"),
                  QStringLiteral("another origin (https://host[:port]) the bearer token may go "
                                 "to besides the registration endpoint's; repeatable (the "
                                 "profile's token_origins are allowed too)"),
                  QStringLiteral("ORIGIN"));
    cmd.addOption(QStringLiteral("no-history"), QStringLiteral("do not record this request"));
    cmd.addOption(QStringLiteral("json"),
                  QStringLiteral("print the full exchange and outcome as JSON"));
    cmd.addOption(QStringLiteral("reveal-secrets"), QStringLiteral("show secrets unmasked"));
    cmd.addOption(QStringLiteral("with-lost"),
                  QStringLiteral("list --json: print {\"clients\": [...], \"answer_lost\": "
                                 "[...]}, adding the registrations whose answer was lost"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    const QString action = cmd.positional().first();
    if (action == QStringLiteral("list"))
        return listClients(cmd, io);
    if (action != QStringLiteral("get") && action != QStringLiteral("update") &&
        action != QStringLiteral("delete"))
        return io.fail(
            ExitUsage,
            QStringLiteral("client: ACTION must be list, get, update or delete, not '%1'")
                .arg(action));
    const QString clientId = cmd.value(QStringLiteral("client-id"));
    if (clientId.isEmpty())
        return io.fail(ExitUsage, QStringLiteral("client: --client-id is required"));
    FilePassphrases passphrases;
    if (auto ok = readPassphraseFiles(cmd, io, passphrases); !ok)
        return io.fail(ExitUsage, QStringLiteral("client: ") + ok.error().toString());
    auto session = openSession(cmd, io, &passphrases);
    auto profile = resolveProfile(cmd, io, *session);
    if (!profile)
        return io.fail(ExitUsage, QStringLiteral("client: ") + profile.error().toString());
    for (const QString& allowed : cmd.parser().values(QStringLiteral("allow-origin"))) {
        auto origin = parseOrigin(allowed);
        if (!origin)
            return io.fail(ExitUsage,
                           QStringLiteral("client: --allow-origin: ") + origin.error().message);
        profile->tokenOrigins << *origin;
    }
    const RegistrationOperation operation =
        action == QStringLiteral("get")      ? RegistrationOperation::Read
        : action == QStringLiteral("update") ? RegistrationOperation::Update
                                             : RegistrationOperation::Delete;
    auto request =
        planRequest(cmd, io, *session, *profile, operation == RegistrationOperation::Update);
    if (!request)
        return io.fail(ExitUsage, QStringLiteral("client: ") + request.error().toString());
    auto bearer = bearerFor(cmd, io, *session, *profile, clientId);
    if (!bearer)
        return io.fail(errorDomain(bearer.error().kind) == ErrorDomain::Transport ? ExitNetwork
                       : bearer.error().kind == ErrorKind::SessionTokenRefused    ? ExitNegative
                                                                                  : ExitUsage,
                       QStringLiteral("client: ") + bearer.error().message);
    const QUrl uri(cmd.value(QStringLiteral("registration-client-uri")));
    auto plan = session->planClientOperation(*profile, operation, clientId, *bearer,
                                             *request ? (*request)->body : QByteArray(), uri);
    if (!plan)
        return io.fail(ExitUsage, QStringLiteral("client: ") + plan.error().toString());
    return sendAndReport(cmd, io, *session, *plan);
}

} // namespace dcr::cli
