#pragma once

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

namespace dcr::test {

inline QString dataPath(const QString& relative) {
    return QStringLiteral(DCR_TEST_DATA_DIR "/") + relative;
}

inline QByteArray readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read test file %s", qPrintable(path));
    return f.readAll();
}

inline QByteArray readData(const QString& relative) {
    return readFile(dataPath(relative));
}

inline void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
}

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a program to completion with a hard timeout; a hang fails the test instead of the suite.
inline ProcessResult run(const QString& program, const QStringList& args,
                         const QByteArray& input = {}, int timeoutMs = 60000,
                         const QString& workDir = {}) {
    QProcess p;
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return {-1, {}, QByteArrayLiteral("failed to start ") + program.toUtf8()};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, p.readAllStandardOutput(), QByteArrayLiteral("timed out")};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// The openssl command-line tool: the independent implementation our interop tests compare with.
inline ProcessResult openssl(const QStringList& args, const QByteArray& input = {},
                             const QString& workDir = {}) {
    return run(QStringLiteral("openssl"), args, input, 60000, workDir);
}

} // namespace dcr::test
