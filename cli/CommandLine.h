#pragma once

#include "CliIo.h"
#include "common/Result.h"

#include <QCommandLineParser>

#include <optional>

namespace dcr::cli {

// QCommandLineParser with dcrctl's conventions: --help on every subcommand, usage errors exit 2
// with one line (QCommandLineParser::process would exit 1).
class CommandLine {
public:
    CommandLine(const QString& command, const QString& description, const QString& positional = {},
                const QString& positionalHelp = {});
    QCommandLineParser& parser() { return m_parser; }
    void addOption(const QString& name, const QString& description, const QString& valueName = {});
    // An option with aliases (the first name is the documented one).
    void addOption(const QStringList& names, const QString& description,
                   const QString& valueName = {});

    // Returns an exit code when the command should stop now (help shown or usage error).
    std::optional<int> parse(const QStringList& args, CliIo& io, int minPositional = 1,
                             int maxPositional = 1);

    bool isSet(const QString& name) const { return m_parser.isSet(name); }
    bool defines(const QString& name) const { return m_defined.contains(name); }
    QString value(const QString& name) const { return m_parser.value(name); }
    QStringList positional() const { return m_parser.positionalArguments(); }
    // The options given, as written (an alias as the alias), in order.
    QStringList givenOptions() const { return m_parser.optionNames(); }

private:
    QString m_command;
    QCommandLineParser m_parser;
    QStringList m_defined;
};

// The whole number an option gives, within [min, max]; fallback when the option is absent. Anything
// else ("x", "1e300", "99999999999", out of range) is an error naming the option and the range.
Result<qint64> integerOption(const CommandLine& cmd, const QString& name, qint64 min, qint64 max,
                             qint64 fallback);

inline constexpr qsizetype MaxInputSize = 1024 * 1024;

// Reads FILE, or standard input for "-". Empty, missing and oversize inputs are errors that name
// the file.
Result<QByteArray> readInput(const QString& path, CliIo& io, qsizetype maxSize = MaxInputSize);
// A passphrase or secret file: one line, the trailing newline removed.
Result<QByteArray> readSecretFile(const QString& path, CliIo& io);
// The secret in the file named by an option (e.g. --passphrase-file); empty when the option is
// absent.
Result<QByteArray> optionalSecretFile(const CommandLine& cmd, const QString& option, CliIo& io);

} // namespace dcr::cli
