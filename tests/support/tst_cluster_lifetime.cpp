// A throwaway PostgreSQL server dies with the process that started it, however that process ends
// (issue #26: six stray servers were left behind by six killed benchmark runs).
#include <QProcess>
#include <QTest>

#include <cerrno>
#include <signal.h>
#include <sys/types.h>

namespace {

bool alive(pid_t pid) {
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

// Starts cluster_child, returns the postmaster pid it reports (0 on failure, with a message).
pid_t startChild(QProcess& child) {
    child.start(QStringLiteral(CLUSTER_CHILD_PATH), {});
    if (!child.waitForStarted(10000))
        return 0;
    if (!child.waitForReadyRead(60000)) {
        qWarning("cluster_child: %s", child.readAllStandardError().constData());
        return 0;
    }
    return static_cast<pid_t>(child.readLine().trimmed().toLongLong());
}

} // namespace

class ClusterLifetimeTest : public QObject {
    Q_OBJECT
private slots:
    void serverDiesWhenItsStarterIsKilled() {
        QProcess child;
        const pid_t postmaster = startChild(child);
        QVERIFY2(postmaster > 0, "cluster_child did not report a running server");
        QVERIFY(alive(postmaster));
        child.kill(); // SIGKILL: no destructor, no atexit handler runs
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!alive(postmaster), 15000);
    }

    void serverDiesWhenItsStarterEndsNormally() {
        QProcess child;
        const pid_t postmaster = startChild(child);
        QVERIFY2(postmaster > 0, "cluster_child did not report a running server");
        child.terminate(); // SIGTERM ends the event loop's process without running ~PostgresCluster
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!alive(postmaster), 15000);
    }
};

QTEST_GUILESS_MAIN(ClusterLifetimeTest)
#include "tst_cluster_lifetime.moc"
