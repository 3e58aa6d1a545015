#include "SandboxCommand.h"

#include <QCoreApplication>
#include <QFile>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcr-console"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QFile in;
    dcr::cli::CliIo io{out, err, in, QStringLiteral("dcr-sandbox")};
    return dcr::cli::runSandbox(QCoreApplication::arguments().mid(1), io);
}
