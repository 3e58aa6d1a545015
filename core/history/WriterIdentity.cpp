#include "WriterIdentity.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace dcr {

namespace {

QString bootId() {
    QFile f(QStringLiteral("/proc/sys/kernel/random/boot_id"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(f.readAll().trimmed());
}

// Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so
// fields are counted after its closing parenthesis.
QString startTicks(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray stat = f.readAll();
    const int close = stat.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // fields[0] is field 3 (state), so field 22 is fields[19].
    return fields.size() > 19 ? QString::fromLatin1(fields[19]) : QString();
}

QString loginName() {
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER", QStringLiteral("unknown"));
}

} // namespace

QString WriterIdentity::processKeyOf(qint64 pid) {
    const QString ticks = startTicks(pid);
    return ticks.isEmpty() ? QString() : bootId() + u'/' + ticks;
}

WriterIdentity WriterIdentity::current() {
    WriterIdentity w;
    w.user = loginName();
    w.host = QSysInfo::machineHostName();
    w.pid = QCoreApplication::applicationPid();
    w.processKey = processKeyOf(w.pid);
    return w;
}

bool WriterIdentity::processRunning(qint64 pid, const QString& processKey) {
    if (pid <= 0)
        return false;
    const QString now = processKeyOf(pid);
    // Without a key (an older row) the pid alone decides.
    return !now.isEmpty() && (processKey.isEmpty() || now == processKey);
}

} // namespace dcr
