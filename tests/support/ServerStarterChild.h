#pragma once

// For the tests that show a test's server dies with its starter (tst_cluster_lifetime,
// tst_sandbox_lifetime): a child program starts the server, prints its pid and waits to be killed.
#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QtGlobal>

#include <sys/types.h>

namespace dcr::test {

// Running, and not a zombie waiting for init to reap it.
inline bool processAlive(pid_t pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && line.size() > close + 2 && line.at(close + 2) != 'Z';
}

// Starts the child program; returns the server pid it reports (0 on failure, with a message).
inline pid_t startServerStarter(QProcess& child, const QString& program) {
    child.start(program, {});
    if (!child.waitForStarted(10000))
        return 0;
    if (!child.waitForReadyRead(60000)) {
        qWarning("%s: %s", qPrintable(program), child.readAllStandardError().constData());
        return 0;
    }
    return static_cast<pid_t>(child.readLine().trimmed().toLongLong());
}

} // namespace dcr::test
