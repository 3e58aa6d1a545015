#include "CommandLine.h"
#include "Commands.h"
#include "jose/Jws.h"
#include "registration/JsonRegistrationBody.h"

#include <QJsonObject>

#include <optional>

namespace dcr::cli {

namespace {

QString pretty(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

// The software_statement a request carries, decoded (or why it cannot be).
struct DecodedSsa {
    QJsonObject decoded; // {"header": ..., "claims": ...}
    QString error;

    static DecodedSsa of(const QJsonObject& metadata) {
        DecodedSsa out;
        const QString text = metadata.value(QStringLiteral("software_statement")).toString();
        if (text.isEmpty())
            return out;
        if (auto ssa = Jws::parse(text.toLatin1()))
            out.decoded = QJsonObject{{QStringLiteral("header"), ssa->header()},
                                      {QStringLiteral("claims"), ssa->claims()}};
        else
            out.error = ssa.error().toString();
        return out;
    }
    void addTo(QJsonObject& out) const {
        if (!decoded.isEmpty())
            out.insert(QStringLiteral("software_statement"), decoded);
        if (!error.isEmpty())
            out.insert(QStringLiteral("software_statement_error"), error);
    }
    void print(CliIo& io) const {
        if (!decoded.isEmpty())
            io.out << "Software statement header:\n"
                   << pretty(decoded.value(QStringLiteral("header")).toObject())
                   << "Software statement claims:\n"
                   << pretty(decoded.value(QStringLiteral("claims")).toObject());
        if (!error.isEmpty())
            io.out << "Software statement: cannot decode: " << error << '\n';
        io.out.flush();
    }
};

int printJsonBody(const CommandLine& cmd, CliIo& io, const QJsonObject& metadata,
                  const DecodedSsa& ssa) {
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject out{{QStringLiteral("body_format"), QStringLiteral("json")},
                        {QStringLiteral("metadata"), metadata}};
        ssa.addTo(out);
        io.printJson(QJsonDocument(out));
        return ExitOk;
    }
    io.out << "JSON registration body (RFC 7591, not signed):\n" << pretty(metadata);
    ssa.print(io);
    return ExitOk;
}

} // namespace

int decodeCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("decode"),
        QStringLiteral("Shows a JWT's header and claims, or the members of an RFC 7591 JSON "
                       "registration body (a history row's request in either format). An embedded "
                       "software_statement is decoded too. The signature is not checked (use "
                       "'verify')."),
        QStringLiteral("FILE"), QStringLiteral("the JWT or JSON body, or - for standard input"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("machine-readable output"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    auto bytes = readInput(cmd.positional().first(), io);
    if (!bytes)
        return io.fail(ExitUsage, bytes.error().toString());
    // An RFC 7591 JSON body (it starts with "{"; a JWT never does): its members, unsigned.
    const bool jsonBody = bytes->trimmed().startsWith('{');
    std::optional<Jws> jws;
    QJsonObject metadata;
    if (jsonBody) {
        auto decoded = JsonRegistrationBody::decode(*bytes);
        if (!decoded)
            return io.fail(ExitUsage, decoded.error().toString());
        metadata = *decoded;
    } else {
        auto parsed = Jws::parse(*bytes); // a JWT: the payload must be a JSON claims object
        if (!parsed)
            return io.fail(ExitUsage, parsed.error().toString());
        jws = *parsed;
        metadata = jws->claims();
    }

    const DecodedSsa ssa = DecodedSsa::of(metadata);
    if (jsonBody)
        return printJsonBody(cmd, io, metadata, ssa);
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject out{{QStringLiteral("header"), jws->header()}};
        if (jws->hasJsonClaims())
            out.insert(QStringLiteral("claims"), jws->claims());
        else
            out.insert(QStringLiteral("payload_base64url"),
                       QString::fromLatin1(jws->payload().toBase64(
                           QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
        ssa.addTo(out);
        io.printJson(QJsonDocument(out));
        return ExitOk;
    }
    io.out << "Header (" << algorithmName(jws->algorithm()) << ", signature not checked):\n"
           << pretty(jws->header());
    if (jws->hasJsonClaims())
        io.out << "Claims:\n" << pretty(jws->claims());
    else
        io.out << "Payload (" << jws->payload().size() << " bytes, not JSON)\n";
    ssa.print(io);
    return ExitOk;
}

} // namespace dcr::cli
