#include "CommandLine.h"
#include "Commands.h"
#include "jose/KeyReport.h"

namespace dcr::cli {

int keysCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(QStringLiteral("keys"),
                    QStringLiteral("Shows a key or certificate file: format, key type, public JWK, "
                                   "RFC 7638 thumbprint, certificate subject DN and details."),
                    QStringLiteral("FILE"),
                    QStringLiteral("PEM, DER, PKCS#12, JWK or JWKS file, or - for standard input"));
    cmd.addOption(QStringLiteral("passphrase-file"), QStringLiteral("file holding the passphrase"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("machine-readable output"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    auto passphraseFile = optionalSecretFile(cmd, QStringLiteral("passphrase-file"), io);
    if (!passphraseFile)
        return io.fail(ExitUsage, passphraseFile.error().toString());
    const QByteArray passphrase = *passphraseFile;
    auto bytes = readInput(cmd.positional().first(), io);
    if (!bytes)
        return io.fail(ExitUsage, bytes.error().toString());
    auto material = keyloader::load(*bytes, passphrase);
    if (!material)
        return io.fail(ExitUsage, material.error().toString());

    if (cmd.isSet(QStringLiteral("json"))) {
        io.printJson(QJsonDocument(keyReportJson(*material)));
        return ExitOk;
    }
    io.out << keyReportText(*material, QDateTime::currentDateTimeUtc());
    io.out.flush();
    return ExitOk;
}

} // namespace dcr::cli
