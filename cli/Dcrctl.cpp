#include "Commands.h"
#include "common/Version.h"

#include <functional>

namespace dcr::cli {

namespace {

struct Command {
    const char* name;
    const char* summary;
    std::function<int(const QStringList&, CliIo&)> run;
};

const QList<Command>& commands() {
    static const QList<Command> all = {
        {"decode", "show a JWT's header and claims (and its embedded software statement)",
         decodeCommand},
        {"sign", "sign registration claims into a request JWT", signCommand},
        {"verify", "verify a JWT's signature with a key, certificate, JWKS or shared secret",
         verifyCommand},
        {"lint", "run the preflight rules on a registration request", lintCommand},
        {"keys", "show a key or certificate: details, public JWK, thumbprint, subject DN",
         keysCommand},
        {"dn", "a certificate's subject DN in each bank dialect; compare a DN by meaning",
         dnCommand},
        {"submit", "send a registration request over mutual TLS and classify the answer",
         submitCommand},
        {"client", "registered clients: list, get, update or delete (OBIE / RFC 7592)",
         clientCommand},
        {"token", "get a client_credentials access token from the ASPSP's token endpoint",
         tokenCommand},
        {"history", "list, show, export (JSON or curl) and delete recorded submissions",
         historyCommand},
        {"profile", "list, show, add and remove bank profiles", profileCommand},
        {"test",
         "QA test plans: run negative scenarios against an ASPSP, JUnit/HTML reports, compare runs",
         testCommand},
    };
    return all;
}

void usage(CliIo& io) {
    io.out << "Usage: dcrctl COMMAND [options] [FILE]\n\n"
              "Open Banking Dynamic Client Registration from the command line.\n\nCommands:\n";
    for (const auto& c : commands())
        io.out << "  " << QString::fromLatin1(c.name).leftJustified(9)
               << QString::fromLatin1(c.summary) << '\n';
    io.out
        << "\nFILE may be '-' for standard input. 'dcrctl COMMAND --help' describes each command.\n"
           "Exit codes: 0 success, 1 negative answer (invalid signature, lint errors, error "
           "response),\n"
           "2 usage error or unreadable/malformed input, 3 network or TLS failure.\n"
           "'dcrctl --version' prints the version.\n";
    io.out.flush();
}

} // namespace

int runDcrctl(const QStringList& arguments, CliIo& io) {
    if (arguments.isEmpty()) {
        usage(io);
        return ExitUsage;
    }
    const QString name = arguments.first();
    if (name == QStringLiteral("--help") || name == QStringLiteral("-h") ||
        name == QStringLiteral("help")) {
        usage(io);
        return ExitOk;
    }
    if (name == QStringLiteral("--version")) {
        io.out << "dcrctl " << productVersion() << '\n';
        io.out.flush();
        return ExitOk;
    }
    for (const auto& c : commands())
        if (name == QLatin1String(c.name))
            return c.run(arguments.mid(1), io);
    return io.fail(ExitUsage,
                   QStringLiteral("unknown command '%1' (see 'dcrctl --help')").arg(name));
}

} // namespace dcr::cli
