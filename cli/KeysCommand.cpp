#include "CommandLine.h"
#include "Commands.h"
#include "jose/KeyReport.h"
#include "jose/Pkcs11Uri.h"
#include "jose/TokenReport.h"

namespace dcr::cli {

namespace {

int tokenKeys(const CommandLine& cmd, CliIo& io) {
    auto entries =
        inspectToken(cmd.positional().first(), cmd.value(QStringLiteral("pkcs11-module")));
    if (!entries)
        return io.fail(ExitUsage, entries.error().toString());
    if (cmd.isSet(QStringLiteral("json"))) {
        io.printJson(QJsonDocument(tokenReportJson(*entries)));
        return ExitOk;
    }
    io.out << tokenReportText(*entries, QDateTime::currentDateTimeUtc());
    io.out.flush();
    return ExitOk;
}

} // namespace

int keysCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("keys"),
        QStringLiteral("Shows a key or certificate file: format, key type, public JWK, "
                       "RFC 7638 thumbprint, certificate subject DN and details. Given "
                       "a pkcs11: URI (e.g. pkcs11:token=LABEL), lists the token's keys "
                       "and certificates with their URIs."),
        QStringLiteral("FILE"),
        QStringLiteral("PEM, DER, PKCS#12, JWK or JWKS file, - for standard input, or "
                       "a pkcs11: URI"));
    cmd.addOption(QStringLiteral("pkcs11-module"),
                  QStringLiteral("PKCS#11 module (default: $DCR_PKCS11_MODULE, else the p11-kit "
                                 "proxy)"),
                  QStringLiteral("SO"));
    cmd.addOption(QStringLiteral("passphrase-file"), QStringLiteral("file holding the passphrase"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("machine-readable output"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    auto passphraseFile = optionalSecretFile(cmd, QStringLiteral("passphrase-file"), io);
    if (!passphraseFile)
        return io.fail(ExitUsage, passphraseFile.error().toString());
    const QByteArray passphrase = *passphraseFile;
    if (Pkcs11Uri::looksLike(cmd.positional().first()))
        return tokenKeys(cmd, io);
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
