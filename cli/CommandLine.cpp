#include "CommandLine.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

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

Result<QByteArray> readInput(const QString& path, CliIo& io, qsizetype maxSize) {
    QByteArray bytes;
    const QString name = path == QStringLiteral("-") ? QStringLiteral("standard input") : path;
    if (path == QStringLiteral("-")) {
        bytes = io.in.read(maxSize + 1);
    } else {
        QFileInfo info(path);
        if (!info.exists())
            return Error{ErrorKind::InputUnreadable, QStringLiteral("%1: no such file").arg(path)};
        if (info.isDir())
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("%1: is a directory, not a file").arg(path)};
        if (info.size() > maxSize)
            return Error{ErrorKind::InputTooLarge,
                         QStringLiteral("%1: file is %2 bytes; the limit is %3 bytes")
                             .arg(path)
                             .arg(info.size())
                             .arg(maxSize)};
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("%1: %2").arg(path, file.errorString())};
        bytes = file.read(maxSize + 1);
    }
    if (bytes.size() > maxSize)
        return Error{ErrorKind::InputTooLarge,
                     QStringLiteral("%1: more than %2 bytes").arg(name).arg(maxSize)};
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
