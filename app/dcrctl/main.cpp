#include "Commands.h"
#include "TerminalOutput.h"
#include "common/HeapRetention.h"
#include "jose/OpenSslExit.h"

#include <QCoreApplication>

int main(int argc, char** argv) {
    dcr::retainFreedHeapMemory();
    dcr::skipOpenSslCleanupAtExit(); // before anything initialises OpenSSL; see its header
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcrctl"));
    // Everything printed goes through TerminalOutput: control characters a bank sent are shown
    // escaped, not interpreted by the terminal.
    return dcr::cli::runOnTerminal(
        QStringLiteral("dcrctl"), dcr::cli::StandardInput::Read, [](dcr::cli::CliIo& io) {
            return dcr::cli::runDcrctl(QCoreApplication::arguments().mid(1), io);
        });
}
