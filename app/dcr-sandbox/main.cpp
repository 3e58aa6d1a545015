#include "SandboxCommand.h"
#include "TerminalOutput.h"
#include "common/HeapRetention.h"
#include "jose/OpenSslExit.h"

#include <QCoreApplication>

int main(int argc, char** argv) {
    dcr::retainFreedHeapMemory();
    dcr::skipOpenSslCleanupAtExit(); // before anything initialises OpenSSL; see its header
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcr-console"));
    // As dcrctl: control characters in what is printed are shown escaped (TerminalOutput).
    return dcr::cli::runOnTerminal(
        QStringLiteral("dcr-sandbox"), dcr::cli::StandardInput::Unused, [](dcr::cli::CliIo& io) {
            return dcr::cli::runSandbox(QCoreApplication::arguments().mid(1), io);
        });
}
