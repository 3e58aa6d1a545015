// A dcr-sandbox server started by a test dies with the test, however the test ends (#26: a killed
// ctest run left tst_dcrctl_submit's three sandbox servers running).
#include <QFile>
#include <QProcess>
#include <QTest>

#include <cerrno>
#include <signal.h>
#include <sys/types.h>

namespace {

// Running, and not a zombie waiting for init to reap it.
bool alive(pid_t pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && line.size() > close + 2 && line.at(close + 2) != 'Z';
}

// Starts sandbox_child, returns the server pid it reports (0 on failure, with a message).
pid_t startChild(QProcess& child) {
    child.start(QStringLiteral(SANDBOX_CHILD_PATH), {});
    if (!child.waitForStarted(10000))
        return 0;
    if (!child.waitForReadyRead(60000)) {
        qWarning("sandbox_child: %s", child.readAllStandardError().constData());
        return 0;
    }
    return static_cast<pid_t>(child.readLine().trimmed().toLongLong());
}

} // namespace

class SandboxLifetimeTest : public QObject {
    Q_OBJECT
private slots:
    void serverDiesWhenItsStarterIsKilled() {
        QProcess child;
        const pid_t server = startChild(child);
        QVERIFY2(server > 0, "sandbox_child did not report a running server");
        QVERIFY(alive(server));
        child.kill(); // SIGKILL: no destructor, no atexit handler runs
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!alive(server), 15000);
    }

    void serverDiesWhenItsStarterIsTerminated() {
        QProcess child;
        const pid_t server = startChild(child);
        QVERIFY2(server > 0, "sandbox_child did not report a running server");
        child.terminate(); // SIGTERM: the QProcess destructor never runs
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!alive(server), 15000);
    }
};

QTEST_GUILESS_MAIN(SandboxLifetimeTest)
#include "tst_sandbox_lifetime.moc"
