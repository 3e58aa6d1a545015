#pragma once

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>

#include <csignal>
#include <sys/prctl.h>

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

// An example document the docs use too (resources/examples: the seed's example request).
inline QString examplePath(const QString& name) {
    return QStringLiteral(DCR_EXAMPLES_DIR "/") + name;
}

inline QByteArray readExample(const QString& name) {
    return readFile(examplePath(name));
}

// A page of the documentation, relative to the source tree ("README.md", "docs/reference.md"):
// the tests that check a documented table against the code read the page that holds the table.
inline QString readDoc(const QString& relative) {
    return QString::fromUtf8(readFile(QStringLiteral(DCR_TEST_DATA_DIR "/../../") + relative));
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

// Runs one of our programs with its own XDG folders under home (and no DCR_HISTORY_DB from the
// caller), so tests never touch the user's history or profiles.
inline ProcessResult runWithHome(const QString& program, const QStringList& args,
                                 const QString& home, int timeoutMs = 120000) {
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    env.remove(QStringLiteral("DCR_HISTORY_DB"));
    proc.setProcessEnvironment(env);
    proc.start(program, args);
    proc.closeWriteChannel();
    if (!proc.waitForFinished(timeoutMs)) {
        proc.kill();
        proc.waitForFinished();
        return {-2, proc.readAllStandardOutput(), QByteArrayLiteral("timed out")};
    }
    return {proc.exitStatus() == QProcess::NormalExit ? proc.exitCode() : -3,
            proc.readAllStandardOutput(), proc.readAllStandardError()};
}

// Runs one of our programs like runWithHome, but keeps this process's event loop turning while it
// runs, so that a scripted bank in this test process answers it. The wait is a hang guard, not a
// timing assertion.
inline ProcessResult runWhileServing(const QString& program, const QStringList& args,
                                     const QString& home, int timeoutMs = 90000) {
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    env.remove(QStringLiteral("DCR_HISTORY_DB"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    proc.setProcessEnvironment(env);
    QSignalSpy finished(&proc, &QProcess::finished);
    proc.start(program, args);
    proc.closeWriteChannel();
    if (!finished.wait(timeoutMs)) {
        proc.kill();
        proc.waitForFinished();
        return {-2, proc.readAllStandardOutput(), "timed out: " + proc.readAllStandardError()};
    }
    return {proc.exitStatus() == QProcess::NormalExit ? proc.exitCode() : -3,
            proc.readAllStandardOutput(), proc.readAllStandardError()};
}

// Starts `dcr-sandbox serve` on an ephemeral 127.0.0.1 port; returns the port (0: it did not
// start, with its output as a warning).
// The server dies with the process that started it, however that process ends (killed by ctest's
// timeout, a crash, SIGKILL): the kernel sends it SIGKILL when its parent goes (PR_SET_PDEATHSIG,
// set in the child between fork and exec). tst_sandbox_lifetime shows it.
inline quint16 startSandboxProcess(QProcess& proc, const QString& sandbox, const QString& kitDir,
                                   const QString& mode, const QStringList& flags = {}) {
    proc.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    proc.start(sandbox, QStringList{QStringLiteral("serve"), QStringLiteral("--dir"), kitDir,
                                    QStringLiteral("--port"), QStringLiteral("0"),
                                    QStringLiteral("--mode"), mode} +
                            flags);
    QByteArray out;
    static const QRegularExpression re(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
    for (int i = 0; i < 100; ++i) {
        proc.waitForReadyRead(100);
        out += proc.readAllStandardOutput();
        const auto m = re.match(QString::fromUtf8(out));
        if (m.hasMatch())
            return static_cast<quint16>(m.captured(1).toUInt());
    }
    qWarning("sandbox did not start: %s %s", out.constData(),
             proc.readAllStandardError().constData());
    return 0;
}

// The openssl command-line tool: the independent implementation our interop tests compare with.
inline ProcessResult openssl(const QStringList& args, const QByteArray& input = {},
                             const QString& workDir = {}) {
    return run(QStringLiteral("openssl"), args, input, 60000, workDir);
}

} // namespace dcr::test
