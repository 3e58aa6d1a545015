#include "SandboxCommand.h"
#include "CommandLine.h"
#include "common/Version.h"
#include "sandbox/SandboxServer.h"
#include "session/AppPaths.h"

#include <QCoreApplication>

namespace dcr::cli {

namespace {

// The kit the console's embedded sandbox uses too.
QString defaultKitDir() {
    return AppPaths::defaults().sandboxKitDir;
}

int initCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("init"),
        QStringLiteral(
            "Creates a demo kit: a CA, a localhost server certificate, a directory signing key, "
            "one demo TPP (signing key, transport certificate, SSA). Files are written 0600."));
    cmd.addOption(QStringLiteral("dir"),
                  QStringLiteral("kit directory (default: %1)").arg(defaultKitDir()),
                  QStringLiteral("DIR"));
    if (auto stop = cmd.parse(args, io, 0, 0))
        return *stop;
    const QString dir =
        cmd.isSet(QStringLiteral("dir")) ? cmd.value(QStringLiteral("dir")) : defaultKitDir();
    auto kit = SandboxKit::create(dir);
    if (!kit)
        return io.fail(ExitUsage, kit.error().toString());
    io.out << "Created sandbox kit in " << kit->directory() << " (demo material only):\n";
    for (const QString& f : kit->writtenFiles())
        io.out << "  " << f << '\n';
    io.out << "software_id: " << kit->softwareId() << "\naud: " << kit->aud() << '\n';
    io.out.flush();
    return ExitOk;
}

int serveCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(QStringLiteral("serve"),
                    QStringLiteral("Serves the local ASPSP over HTTPS on 127.0.0.1. Discovery and "
                                   "the JWKS answer any TLS client; registration, token and "
                                   "client paths need a client certificate from the kit's CA "
                                   "(401 without one). Stops on Ctrl+C."));
    cmd.addOption(
        QStringLiteral("dir"),
        QStringLiteral("kit directory (created when missing; default: %1)").arg(defaultKitDir()),
        QStringLiteral("DIR"));
    cmd.addOption(QStringLiteral("port"),
                  QStringLiteral("port (0 = ephemeral, the chosen port is printed; default %1)")
                      .arg(SandboxKit::DefaultPort),
                  QStringLiteral("N"));
    cmd.addOption(
        QStringLiteral("mode"),
        QStringLiteral("seed (the seed document's contract, default), obie (OBIE DCR 3.3), ofb "
                       "(Open Finance Brasil DCR/DCM: a JSON body, RFC 7592 lifecycle) or cdr "
                       "(Australia's CDR: a signed JWT body, lifecycle with a cdr:registration "
                       "access token)"),
        QStringLiteral("MODE"));
    cmd.addOption(QStringLiteral("rfc7592"),
                  QStringLiteral("obie mode: authorise client get/update/delete with the "
                                 "registration_access_token (RFC 7592) instead of a "
                                 "client_credentials access token from /token (OBIE DCR 3.3)"));
    cmd.addOption(QStringLiteral("lax"),
                  QStringLiteral("a deliberately careless ASPSP: accept every registration "
                                 "unchecked (to prove a test plan can fail)"));
    cmd.addOption(QStringLiteral("mtls-everywhere"),
                  QStringLiteral("the strict variant: every path, discovery and JWKS included, "
                                 "needs a client certificate from the kit's CA, and a TLS client "
                                 "without one is refused during the handshake"));
    if (auto stop = cmd.parse(args, io, 0, 0))
        return *stop;
    if (cmd.isSet(QStringLiteral("mtls-everywhere")) && cmd.isSet(QStringLiteral("lax")))
        return io.fail(ExitUsage,
                       QStringLiteral("serve: --mtls-everywhere and --lax contradict each other "
                                      "(--lax lets every TLS client through); give one"));
    bool ok = true;
    const uint port = cmd.isSet(QStringLiteral("port"))
                          ? cmd.value(QStringLiteral("port")).toUInt(&ok)
                          : SandboxKit::DefaultPort;
    if (!ok || port > 65535)
        return io.fail(ExitUsage, QStringLiteral("serve: --port must be 0-65535, not '%1'")
                                      .arg(cmd.value(QStringLiteral("port"))));
    const auto mode =
        sandboxModeFromName(cmd.isSet(QStringLiteral("mode")) ? cmd.value(QStringLiteral("mode"))
                                                              : QStringLiteral("seed"));
    if (!mode)
        return io.fail(ExitUsage,
                       QStringLiteral("serve: --mode must be seed, obie, ofb or cdr, not '%1'")
                           .arg(cmd.value(QStringLiteral("mode"))));
    auto kit = SandboxKit::loadOrCreate(
        cmd.isSet(QStringLiteral("dir")) ? cmd.value(QStringLiteral("dir")) : defaultKitDir());
    if (!kit)
        return io.fail(ExitUsage, kit.error().toString());
    SandboxServer server(*kit, *mode);
    if (cmd.isSet(QStringLiteral("rfc7592")) && *mode != SandboxMode::Obie)
        return io.fail(ExitUsage,
                       QStringLiteral("serve: --rfc7592 is for --mode obie (ofb always uses the "
                                      "registration access token, cdr a cdr:registration token)"));
    if (cmd.isSet(QStringLiteral("rfc7592")))
        server.aspsp().setLifecycleAuth(SandboxLifecycleAuth::RegistrationAccessToken);
    server.setLax(cmd.isSet(QStringLiteral("lax")));
    server.setMtlsEverywhere(cmd.isSet(QStringLiteral("mtls-everywhere")));
    auto bound = server.start(static_cast<quint16>(port));
    if (!bound)
        return io.fail(ExitNetwork, bound.error().toString());
    io.out << "dcr-sandbox (" << sandboxModeName(*mode)
           << " mode) listening on 127.0.0.1:" << *bound << '\n'
           << "registration endpoint: " << server.baseUrl().toString()
           << server.aspsp().registrationPath() << '\n';
    if (*mode == SandboxMode::Ofb)
        io.out << "client management with the registration_access_token (RFC 7592; not rotated)\n";
    if (*mode == SandboxMode::Cdr)
        io.out << "token endpoint: " << server.aspsp().tokenEndpoint().toString()
               << " (client management with a client_credentials access token with scope "
                  "cdr:registration)\n";
    if (*mode == SandboxMode::Obie)
        io.out << "token endpoint: " << server.aspsp().tokenEndpoint().toString() << " (client "
               << (cmd.isSet(QStringLiteral("rfc7592"))
                       ? "management with the registration_access_token, RFC 7592)\n"
                       : "management with client_credentials access tokens, OBIE DCR 3.3)\n");
    if (server.aspsp().lax())
        io.out << "LAX: every registration and update is accepted without any check, any bearer "
                  "manages any client, and DELETE keeps the client\n";
    io.out << (server.aspsp().mtlsEverywhere()
                   ? "mutual TLS on every path (discovery and JWKS included)\n"
                   : "discovery and JWKS without a client certificate; registration, token and "
                     "client paths with one\n");
    io.out << "kit: " << kit->directory() << '\n';
    io.out.flush();
    return QCoreApplication::exec();
}

} // namespace

int runSandbox(const QStringList& arguments, CliIo& io) {
    const QString usage = QStringLiteral(
        "Usage: dcr-sandbox init [--dir DIR] | serve [--dir DIR] [--port N] "
        "[--mode seed|obie|ofb|cdr] "
        "[--rfc7592] [--lax | --mtls-everywhere] | "
        "--version\n"
        "A local ASPSP for demos, QA practice and tests. 'dcr-sandbox COMMAND --help' for "
        "details.\n");
    if (arguments.isEmpty()) {
        io.err << usage;
        return ExitUsage;
    }
    const QString command = arguments.first();
    if (command == QStringLiteral("--help") || command == QStringLiteral("-h")) {
        io.out << usage;
        return ExitOk;
    }
    if (command == QStringLiteral("--version")) {
        io.out << "dcr-sandbox " << productVersion() << '\n';
        io.out.flush();
        return ExitOk;
    }
    if (command == QStringLiteral("init"))
        return initCommand(arguments.mid(1), io);
    if (command == QStringLiteral("serve"))
        return serveCommand(arguments.mid(1), io);
    return io.fail(ExitUsage, QStringLiteral("unknown command '%1'\n%2").arg(command, usage));
}

} // namespace dcr::cli
