#include "Commands.h"
#include "TerminalOutput.h"

#include <QCoreApplication>
#include <QFile>

#include <unistd.h>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcrctl"));
    // Everything printed goes through TerminalOutput: control characters a bank sent are shown
    // escaped, not interpreted by the terminal. Declared in this order so that the streams flush
    // into the devices before those close.
    QFile stdoutFile, stderrFile;
    if (!stdoutFile.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered) ||
        !stderrFile.open(STDERR_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered))
        return 2;
    dcr::cli::TerminalOutput outDevice(&stdoutFile), errDevice(&stderrFile);
    QTextStream out(&outDevice);
    QTextStream err(&errDevice);
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return 2;
    dcr::cli::CliIo io{out, err, in};
    return dcr::cli::runDcrctl(QCoreApplication::arguments().mid(1), io);
}
