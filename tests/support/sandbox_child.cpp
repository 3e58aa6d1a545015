// A process that starts a dcr-sandbox server the way the tests do (startSandboxProcess), prints
// the server's pid and then waits to be killed: tst_sandbox_lifetime kills it and checks that the
// server dies with it.
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const QString kitDir = dir.filePath(QStringLiteral("kit"));
    if (auto kit = dcr::SandboxKit::create(kitDir); !kit) {
        std::fprintf(stderr, "%s\n", qPrintable(kit.error().message));
        return 1;
    }
    QProcess server;
    if (dcr::test::startSandboxProcess(server, QStringLiteral(SANDBOX_PATH), kitDir,
                                       QStringLiteral("seed")) == 0)
        return 1;
    std::printf("%lld\n", static_cast<long long>(server.processId()));
    std::fflush(stdout);
    return app.exec(); // until killed
}
