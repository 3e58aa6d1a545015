#include "SendAndReport.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>

namespace dcr::cli {

namespace {

QJsonArray echoedDnsJson(const QList<EchoedSubjectDn>& echoes) {
    QJsonArray out;
    for (const auto& echo : echoes)
        out.append(echo.toJson());
    return out;
}

// Only a DN that differs by meaning is said: a bank keeping the certificate's subject in its own
// spelling is normal.
void printEchoedDns(const QList<EchoedSubjectDn>& echoes, CliIo& io) {
    for (const auto& echo : echoes) {
        if (echo.sameByMeaning())
            continue;
        io.out << "  subject DN: the bank's " << echo.claim << " \"" << echo.echoed
               << "\" is not the transport certificate's subject " << echo.certificateSubject
               << '\n';
        for (const auto& problem : echo.problems())
            io.out << "    - " << problem << '\n';
    }
}

} // namespace

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
    // #21.17: a TLS session that was used but deserves a word (no forward secrecy) is said on
    // stderr whatever the output format, as well as being recorded with the exchange.
    if (!result.exchange.tlsWarning.isEmpty())
        io.err << "warning: " << result.exchange.tlsWarning << Qt::endl;

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
        if (!result.echoedSubjectDns.isEmpty())
            out.insert(QStringLiteral("subject_dn_echo"), echoedDnsJson(result.echoedSubjectDns));
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
        printEchoedDns(result.echoedSubjectDns, io);
        if (result.exchange.insecure)
            io.out << "  WARNING: TLS verification was OFF for this request\n";
        if (result.historyId)
            io.out << "  history: #" << result.historyId << '\n';
        io.out.flush();
    }
    if (!result.historyError.isEmpty())
        io.err << "history: the answer could not be recorded: " << result.historyError << Qt::endl;
    return result.exitCode();
}

} // namespace dcr::cli

namespace dcr::cli {

TokenResult requestTokenAndWait(Session& session, const Profile& profile,
                                const TokenRequestSpec& spec, bool record) {
    TokenResult result;
    QEventLoop loop;
    session.requestToken(
        profile, spec,
        [&](const TokenResult& r) {
            result = r;
            loop.quit();
        },
        record);
    loop.exec();
    return result;
}

} // namespace dcr::cli
