#pragma once

#include "common/ExitCode.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QTextStream>

namespace dcr::cli {

// dcrctl's documented exit codes: dcr::ExitCode (common/ExitCode.h), shared with the console.

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
