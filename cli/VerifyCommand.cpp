#include "CommandLine.h"
#include "Commands.h"
#include "KeyArguments.h"
#include "jose/Jws.h"

#include <QJsonObject>

namespace dcr::cli {

int verifyCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(QStringLiteral("verify"),
                    QStringLiteral("Verifies a JWT's signature. Exactly one of --key, --cert, "
                                   "--jwks or --secret-file. 'alg: none' is never accepted."),
                    QStringLiteral("FILE"), QStringLiteral("the JWT, or - for standard input"));
    cmd.addOption(QStringLiteral("key"), QStringLiteral("public (or private) key file"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("cert"), QStringLiteral("X.509 certificate (PEM or DER)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("jwks"),
                  QStringLiteral("JWKS file; the key is chosen by the token's kid"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("secret-file"), QStringLiteral("shared secret for HS256"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("alg"),
                  QStringLiteral("allowed algorithms, comma-separated (default: PS256,RS256,ES256; "
                                 "HS256 with --secret-file)"),
                  QStringLiteral("LIST"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("machine-readable output"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    auto key = verificationKeyFromOptions(cmd, io,
                                          {QStringLiteral("key"), QStringLiteral("cert"),
                                           QStringLiteral("jwks"), QStringLiteral("secret-file")},
                                          true);
    if (!key)
        return io.fail(ExitUsage, key.error().message);
    QList<JwsAlgorithm> allowed = (*key)->defaultAlgorithms();
    if (cmd.isSet(QStringLiteral("alg"))) {
        QString bad;
        auto parsed = parseAlgorithmList(cmd.value(QStringLiteral("alg")), &bad);
        if (!parsed)
            return io.fail(
                ExitUsage,
                QStringLiteral(
                    "verify: unknown algorithm '%1' in --alg (use PS256, RS256, ES256, HS256)")
                    .arg(bad));
        allowed = *parsed;
    }
    auto bytes = readInput(cmd.positional().first(), io);
    if (!bytes)
        return io.fail(ExitUsage, bytes.error().toString());
    auto jws = Jws::parse(*bytes, {.requireJsonClaims = false});
    if (!jws)
        return io.fail(ExitUsage, jws.error().toString());
    auto verified = (*key)->verify(*jws, allowed);
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject out{{QStringLiteral("valid"), verified.ok()},
                        {QStringLiteral("alg"), algorithmName(jws->algorithm())}};
        if (!jws->kid().isEmpty())
            out.insert(QStringLiteral("kid"), jws->kid());
        if (verified)
            out.insert(QStringLiteral("verified_with"), *verified);
        else
            out.insert(QStringLiteral("error"),
                       QJsonObject{{QStringLiteral("kind"), errorKindName(verified.error().kind)},
                                   {QStringLiteral("message"), verified.error().message}});
        io.printJson(QJsonDocument(out));
        return verified ? ExitOk : ExitNegative;
    }
    if (!verified) {
        io.out << "INVALID: " << verified.error().toString() << '\n';
        io.out.flush();
        return ExitNegative;
    }
    io.out << "valid " << algorithmName(jws->algorithm()) << " signature (verified with "
           << *verified << ")\n";
    io.out.flush();
    return ExitOk;
}

} // namespace dcr::cli
