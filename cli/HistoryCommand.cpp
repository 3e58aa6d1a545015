#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"

#include <QJsonArray>

namespace dcr::cli {

namespace {

Result<QList<qint64>> parseIds(const QStringList& values) {
    QList<qint64> ids;
    for (const QString& v : values) {
        bool ok = false;
        const qint64 id = v.startsWith(u'#') ? v.mid(1).toLongLong(&ok) : v.toLongLong(&ok);
        if (!ok || id <= 0)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("'%1' is not a history id").arg(v)};
        ids << id;
    }
    return ids;
}

QString line(const SubmissionRecord& r) {
    QString detail = r.errorClass.isEmpty() ? r.failureClass : r.errorClass;
    if (!r.clientId.isEmpty())
        detail = QStringLiteral("client_id ") + r.clientId;
    return QStringLiteral("#%1  %2  %3  %4  %5  %6  %7  %8")
        .arg(r.unshared ? QStringLiteral("%1 (not yet shared)").arg(r.id) : QString::number(r.id))
        .arg(r.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
        .arg(r.outcome.leftJustified(11))
        .arg(r.responseStatus ? QString::number(r.responseStatus) : QStringLiteral("---"))
        .arg(r.softwareId.isEmpty() ? QStringLiteral("-") : r.softwareId)
        .arg(r.url)
        .arg(r.writer().isEmpty() ? QStringLiteral("-") : r.writer())
        .arg(detail);
}

} // namespace

int historyCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(QStringLiteral("history"),
                    QStringLiteral("The submission history: 'list', 'show ID', 'export ID...', 'rm "
                                   "ID...'. Secrets stay masked unless --reveal-secrets."),
                    QStringLiteral("ACTION [ID...]"),
                    QStringLiteral("list, show, export or rm, and history ids"));
    addHistoryOption(cmd);
    cmd.addOption(QStringLiteral("limit"), QStringLiteral("list: at most N rows (default 50)"),
                  QStringLiteral("N"));
    cmd.addOption(
        QStringLiteral("filter"),
        QStringLiteral("list: text in software_id, client name, URL, status, error, note, tags"),
        QStringLiteral("TEXT"));
    cmd.addOption(
        QStringLiteral("outcome"),
        QStringLiteral("list: accepted, registered, error, unexpected, transport, interrupted"),
        QStringLiteral("KIND"));
    cmd.addOption(QStringLiteral("profile"), QStringLiteral("list: only this profile"),
                  QStringLiteral("NAME"));
    cmd.addOption(QStringLiteral("by"),
                  QStringLiteral("list: only what this person sent (login, or login@host)"),
                  QStringLiteral("PERSON"));
    cmd.addOption(QStringLiteral("format"), QStringLiteral("export: json (default) or curl"),
                  QStringLiteral("FORMAT"));
    cmd.addOption(
        QStringLiteral("reveal-secrets"),
        QStringLiteral("show/export: client_secret and registration_access_token unmasked"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("list/show: JSON output"));
    if (auto stop = cmd.parse(args, io, 1, 10000))
        return *stop;
    const QString action = cmd.positional().first();
    auto ids = parseIds(cmd.positional().mid(1));
    if (!ids)
        return io.fail(ExitUsage, QStringLiteral("history: ") + ids.error().message);
    auto session = openSession(cmd, io);
    if (!session->hasHistory())
        return io.fail(ExitUsage, QStringLiteral("history: the history at %1 cannot be opened")
                                      .arg(session->historyLocation()));
    const bool reveal = cmd.isSet(QStringLiteral("reveal-secrets"));

    if (action == QStringLiteral("list")) {
        bool ok = true;
        const int limit =
            cmd.isSet(QStringLiteral("limit")) ? cmd.value(QStringLiteral("limit")).toInt(&ok) : 50;
        if (!ok || limit <= 0)
            return io.fail(ExitUsage, QStringLiteral("history: --limit must be a positive number"));
        const HistoryQuery query{cmd.value(QStringLiteral("filter")),
                                 cmd.value(QStringLiteral("outcome")),
                                 cmd.value(QStringLiteral("profile")),
                                 {},
                                 {},
                                 cmd.value(QStringLiteral("by"))};
        auto page = session->historyPage(query, std::nullopt, limit);
        const qint64 unshared = session->unsharedCount();
        const bool refused = session->historyConnection() == HistoryStore::Connection::LoginRefused;
        const QString unsharedLine =
            QStringLiteral("%1 submission(s) not yet shared (kept on this machine until %2)")
                .arg(unshared)
                .arg((refused ? QStringLiteral("the login to %1 works")
                              : QStringLiteral("%1 is reachable"))
                         .arg(session->historyLocation()));
        if (!page)
            return io.fail(ExitUsage, QStringLiteral("history: ") + page.error().toString() +
                                          (unshared > 0 ? u'\n' + unsharedLine : QString()));
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonArray out;
            for (const auto& r : page->rows)
                out.append(r.toJson(false));
            io.printJson(QJsonDocument(out));
            return ExitOk;
        }
        for (const auto& r : page->rows)
            io.out << line(r) << '\n';
        const auto total = session->historyCount(query);
        io.out << page->rows.size() << " of "
               << (total ? QString::number(*total) : QStringLiteral("?")) << " submission(s)\n";
        if (unshared > 0)
            io.out << unsharedLine << '\n';
        if (const QString secrets = session->historySecretStore(); !secrets.isEmpty())
            io.out << "secrets of this machine: " << secrets << '\n';
        io.out.flush();
        return ExitOk;
    }
    if (ids->isEmpty())
        return io.fail(ExitUsage, QStringLiteral("history %1: give at least one id").arg(action));
    if (action == QStringLiteral("show")) {
        for (qint64 id : *ids) {
            auto r = session->historyRecord(id);
            if (!r)
                return io.fail(ExitNegative, QStringLiteral("history: ") + r.error().message);
            if (cmd.isSet(QStringLiteral("json"))) {
                io.printJson(QJsonDocument(r->toJson(reveal)));
                continue;
            }
            io.out << line(*r) << "\n  profile:  " << r->profile
                   << "\n  request:  " << QString::fromLatin1(r->method) << ' ' << r->url
                   << "\n  claims:   "
                   << QString::fromUtf8(
                          QJsonDocument(r->requestClaims).toJson(QJsonDocument::Compact))
                          .left(400)
                   << "\n  response: "
                   << QString::fromUtf8(r->displayedResponseBody(reveal)).left(2000);
            if (!r->errorText.isEmpty())
                io.out << "\n  error:    " << r->errorClass << ' ' << r->errorCode << ": "
                       << r->errorText;
            if (!r->failureMessage.isEmpty())
                io.out << "\n  failure:  " << r->failureClass << ": " << r->failureMessage;
            if (!r->tlsSummary.isEmpty())
                io.out << "\n  tls:      " << r->tlsSummary;
            // #21.15: on every row, whether or not a TLS summary was captured.
            io.out << "\n  tls verification: "
                   << (r->tlsVerificationOff
                           ? "OFF (INSECURE: the ASPSP's certificate was not verified)"
                           : "on");
            if (!r->note.isEmpty() || !r->tags.isEmpty())
                io.out << "\n  note:     " << r->note << " [" << r->tags.join(QStringLiteral(", "))
                       << ']';
            io.out << "\n  elapsed:  " << r->elapsedMs << " ms\n";
        }
        io.out.flush();
        return ExitOk;
    }
    if (action == QStringLiteral("export")) {
        const QString format = cmd.isSet(QStringLiteral("format"))
                                   ? cmd.value(QStringLiteral("format"))
                                   : QStringLiteral("json");
        if (format == QStringLiteral("curl")) {
            auto text = session->exportHistoryCurl(*ids);
            if (!text)
                return io.fail(ExitNegative, QStringLiteral("history: ") + text.error().message);
            io.out << *text;
        } else if (format == QStringLiteral("json")) {
            auto json = session->exportHistoryJson(*ids, reveal);
            if (!json)
                return io.fail(ExitNegative, QStringLiteral("history: ") + json.error().message);
            io.out << QString::fromUtf8(*json);
        } else {
            return io.fail(ExitUsage, QStringLiteral("history: --format must be json or curl"));
        }
        io.out.flush();
        return ExitOk;
    }
    if (action == QStringLiteral("rm")) {
        for (qint64 id : *ids)
            if (auto r = session->historyRecord(id); !r)
                return io.fail(ExitNegative, QStringLiteral("history: ") + r.error().message);
        if (auto ok = session->removeHistory(*ids); !ok)
            return io.fail(ExitUsage, QStringLiteral("history: ") + ok.error().message);
        io.out << "deleted " << ids->size() << " submission(s)\n";
        io.out.flush();
        return ExitOk;
    }
    return io.fail(
        ExitUsage,
        QStringLiteral("history: ACTION must be list, show, export or rm, not '%1'").arg(action));
}

} // namespace dcr::cli
