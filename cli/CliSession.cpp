#include "CliSession.h"

namespace dcr::cli {

std::optional<QByteArray> FilePassphrases::passphrase(const PassphrasePrompt& prompt) {
    if (prompt.retry)
        return std::nullopt;
    const std::optional<QByteArray>& answer =
        prompt.purpose == PassphrasePrompt::Purpose::SigningKey ? signing : transport;
    const bool finalTry = prompt.tokenWarning == PassphrasePrompt::TokenWarning::FinalTry;
    if (notices && prompt.tokenWarning != PassphrasePrompt::TokenWarning::None && answer) {
        *notices << (finalTry && !allowFinalTry ? "note: " : "warning: ") << prompt.path << ": "
                 << prompt.tokenWarningText()
                 << (!finalTry       ? QString()
                     : allowFinalTry ? QStringLiteral(" Using it, as --pin-final-try asks.")
                                     : QStringLiteral(" dcrctl does not try the PIN file on the "
                                                      "final try unless --pin-final-try is "
                                                      "given."))
                 << Qt::endl;
    }
    if (finalTry && !allowFinalTry)
        return std::nullopt;
    return answer;
}

void addPinFinalTryOption(CommandLine& cmd) {
    cmd.addOption(QStringLiteral("pin-final-try"),
                  QStringLiteral("use the PIN file even when the token locks after one more wrong "
                                 "PIN (CKF_USER_PIN_FINAL_TRY); without it dcrctl stops there"));
}

void addHistoryOption(CommandLine& cmd) {
    cmd.addOption(QStringList{QStringLiteral("history-db"), QStringLiteral("db")},
                  QStringLiteral("history: a SQLite file or postgresql://user@host:port/dbname "
                                 "(password from ~/.pgpass; default: $%1, else %2)")
                      .arg(QString::fromLatin1(AppPaths::HistoryEnvironmentVariable),
                           AppPaths::defaults().historyDb),
                  QStringLiteral("LOCATION"));
}

CliSession openSession(const CommandLine& cmd, CliIo& io, PassphraseSource* passphrases,
                       HistoryUse history) {
    AppPaths paths = AppPaths::defaults();
    if (cmd.defines(QStringLiteral("history-db")) && cmd.isSet(QStringLiteral("history-db"))) {
        paths.historyDb = cmd.value(QStringLiteral("history-db"));
        paths.historyDbIsDefault = false;
    }
    CliSession session(new Session(paths), SessionEnd{&io});
    session->setPassphraseSource(passphrases);
    session->setHistoryWanted(history == HistoryUse::Open);
    for (const Notice& n : session->open())
        io.err << (n.level == Notice::Level::Info ? "note: " : "warning: ") << n.text << Qt::endl;
    return session;
}

void SessionEnd::operator()(Session* session) const {
    if (auto flushed = session->flushHistorySecrets(KeychainFlushMs); !flushed && io)
        io->err << "warning: " << flushed.error().message << Qt::endl;
    delete session;
}

} // namespace dcr::cli
