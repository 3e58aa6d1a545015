#include "CommandLine.h"

#include "common/LocalFile.h"

#include <QCoreApplication>

namespace dcr::cli {

CommandLine::CommandLine(const QString& command, const QString& description,
                         const QString& positional, const QString& positionalHelp)
    : m_command(command) {
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    if (!positional.isEmpty())
        m_parser.addPositionalArgument(positional, positionalHelp);
}

void CommandLine::addOption(const QString& name, const QString& description,
                            const QString& valueName) {
    m_defined << name;
    m_parser.addOption(valueName.isEmpty() ? QCommandLineOption(name, description)
                                           : QCommandLineOption(name, description, valueName));
}

void CommandLine::addOption(const QStringList& names, const QString& description,
                            const QString& valueName) {
    m_defined << names;
    m_parser.addOption(valueName.isEmpty() ? QCommandLineOption(names, description)
                                           : QCommandLineOption(names, description, valueName));
}

std::optional<int> CommandLine::parse(const QStringList& args, CliIo& io, int minPositional,
                                      int maxPositional) {
    QStringList full{io.program + u' ' + m_command};
    full << args;
    if (!m_parser.parse(full))
        return io.fail(ExitUsage, QStringLiteral("%1: %2 (see '%3 %1 --help')")
                                      .arg(m_command, m_parser.errorText(), io.program));
    if (m_parser.isSet(QStringLiteral("help"))) {
        QString help = m_parser.helpText();
        // QCommandLineParser names the executable's path; show the command instead.
        if (QCoreApplication::instance() && !QCoreApplication::arguments().isEmpty())
            help.replace(QCoreApplication::arguments().constFirst() + QStringLiteral(" ["),
                         io.program + u' ' + m_command + QStringLiteral(" ["));
        io.out << help;
        io.out.flush();
        return ExitOk;
    }
    const auto count = m_parser.positionalArguments().size();
    if (count < minPositional || count > maxPositional)
        return io.fail(
            ExitUsage,
            QStringLiteral("%1: expected %2 file argument(s), got %3 (see '%4 %1 --help')")
                .arg(m_command)
                .arg(minPositional == maxPositional
                         ? QString::number(minPositional)
                         : QStringLiteral("%1-%2").arg(minPositional).arg(maxPositional))
                .arg(count)
                .arg(io.program));
    return std::nullopt;
}

Result<qint64> integerOption(const CommandLine& cmd, const QString& name, qint64 min, qint64 max,
                             qint64 fallback) {
    if (!cmd.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 value = cmd.value(name).toLongLong(&ok);
    if (!ok || value < min || value > max)
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'")
                         .arg(name)
                         .arg(min)
                         .arg(max)
                         .arg(cmd.value(name))};
    return value;
}

Result<QByteArray> readInput(const QString& path, CliIo& io, qsizetype maxSize) {
    QByteArray bytes;
    const QString name = path == QStringLiteral("-") ? QStringLiteral("standard input") : path;
    if (path == QStringLiteral("-")) {
        bytes = io.in.read(maxSize + 1);
        if (bytes.size() > maxSize)
            return tooLargeError(name, -1, maxSize);
    } else {
        // Not a FIFO or a device (it would block or never end), nor a file over the limit.
        auto read = readLocalFile(path, maxSize);
        if (!read)
            return read.error();
        bytes = *read;
    }
    if (bytes.trimmed().isEmpty())
        return Error{ErrorKind::InputEmpty, QStringLiteral("%1: empty input").arg(name)};
    return bytes;
}

Result<QByteArray> readSecretFile(const QString& path, CliIo& io) {
    auto bytes = readInput(path, io, 64 * 1024);
    if (!bytes)
        return bytes;
    QByteArray secret = *bytes;
    while (secret.endsWith('\n') || secret.endsWith('\r'))
        secret.chop(1);
    return secret;
}

Result<QByteArray> optionalSecretFile(const CommandLine& cmd, const QString& option, CliIo& io) {
    if (!cmd.isSet(option))
        return QByteArray();
    auto secret = readSecretFile(cmd.value(option), io);
    if (!secret)
        return Error{secret.error().kind,
                     QStringLiteral("--%1: %2").arg(option, secret.error().message)};
    return secret;
}

} // namespace dcr::cli
