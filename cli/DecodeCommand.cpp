#include "CommandLine.h"
#include "Commands.h"
#include "jose/Jws.h"

#include <QJsonObject>

namespace dcr::cli {

namespace {

QString pretty(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace

int decodeCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("decode"),
        QStringLiteral("Shows a JWT's header and claims. An embedded software_statement is decoded "
                       "too. The signature is not checked (use 'verify')."),
        QStringLiteral("FILE"), QStringLiteral("the JWT, or - for standard input"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("machine-readable output"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    auto bytes = readInput(cmd.positional().first(), io);
    if (!bytes)
        return io.fail(ExitUsage, bytes.error().toString());
    auto jws = Jws::parse(*bytes); // a JWT: the payload must be a JSON claims object
    if (!jws)
        return io.fail(ExitUsage, jws.error().toString());

    QJsonObject ssaOut;
    QString ssaError;
    const QString ssaText = jws->claims().value(QStringLiteral("software_statement")).toString();
    if (!ssaText.isEmpty()) {
        auto ssa = Jws::parse(ssaText.toLatin1());
        if (ssa)
            ssaOut = QJsonObject{{QStringLiteral("header"), ssa->header()},
                                 {QStringLiteral("claims"), ssa->claims()}};
        else
            ssaError = ssa.error().toString();
    }
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject out{{QStringLiteral("header"), jws->header()}};
        if (jws->hasJsonClaims())
            out.insert(QStringLiteral("claims"), jws->claims());
        else
            out.insert(QStringLiteral("payload_base64url"),
                       QString::fromLatin1(jws->payload().toBase64(
                           QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
        if (!ssaOut.isEmpty())
            out.insert(QStringLiteral("software_statement"), ssaOut);
        if (!ssaError.isEmpty())
            out.insert(QStringLiteral("software_statement_error"), ssaError);
        io.printJson(QJsonDocument(out));
        return ExitOk;
    }
    io.out << "Header (" << algorithmName(jws->algorithm()) << ", signature not checked):\n"
           << pretty(jws->header());
    if (jws->hasJsonClaims())
        io.out << "Claims:\n" << pretty(jws->claims());
    else
        io.out << "Payload (" << jws->payload().size() << " bytes, not JSON)\n";
    if (!ssaOut.isEmpty())
        io.out << "Software statement header:\n"
               << pretty(ssaOut.value(QStringLiteral("header")).toObject())
               << "Software statement claims:\n"
               << pretty(ssaOut.value(QStringLiteral("claims")).toObject());
    if (!ssaError.isEmpty())
        io.out << "Software statement: cannot decode: " << ssaError << '\n';
    io.out.flush();
    return ExitOk;
}

} // namespace dcr::cli
