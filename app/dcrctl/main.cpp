#include "Commands.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dcrctl"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return 2;
    dcr::cli::CliIo io{out, err, in};
    return dcr::cli::runDcrctl(QCoreApplication::arguments().mid(1), io);
}
