#pragma once

#include <QIODevice>
#include <QJsonDocument>
#include <QTextStream>

namespace dcr::cli {

// dcrctl's documented exit codes.
enum ExitCode : int {
    ExitOk = 0,
    ExitNegative = 1, // invalid signature, lint errors, an error response
    ExitUsage = 2,    // usage error, unreadable or malformed input
    ExitNetwork = 3,  // network or TLS failure
};

struct CliIo {
    QTextStream& out;
    QTextStream& err;
    QIODevice& in;
    QString program = QStringLiteral("dcrctl");

    int fail(int code, const QString& message) {
        err << program << ": error: " << message << Qt::endl;
        return code;
    }
    void printJson(const QJsonDocument& doc) {
        out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
        out.flush();
    }
};

} // namespace dcr::cli
