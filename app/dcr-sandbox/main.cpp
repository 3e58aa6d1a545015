#include "SandboxCommand.h"
#include "TerminalOutput.h"

#include <QCoreApplication>
#include <QFile>

#include <unistd.h>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcr-console"));
    // As dcrctl: control characters in what is printed are shown escaped (TerminalOutput).
    QFile stdoutFile, stderrFile;
    if (!stdoutFile.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered) ||
        !stderrFile.open(STDERR_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered))
        return 2;
    dcr::cli::TerminalOutput outDevice(&stdoutFile), errDevice(&stderrFile);
    QTextStream out(&outDevice);
    QTextStream err(&errDevice);
    QFile in;
    dcr::cli::CliIo io{out, err, in, QStringLiteral("dcr-sandbox")};
    return dcr::cli::runSandbox(QCoreApplication::arguments().mid(1), io);
}
