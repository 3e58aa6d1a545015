// A throwaway PostgreSQL server dies with the process that started it, however that process ends
// (issue #26: six stray servers were left behind by six killed benchmark runs).
#include "ServerStarterChild.h"

#include <QProcess>
#include <QTest>

using dcr::test::processAlive;

namespace {

pid_t startChild(QProcess& child) {
    return dcr::test::startServerStarter(child, QStringLiteral(CLUSTER_CHILD_PATH));
}

} // namespace

class ClusterLifetimeTest : public QObject {
    Q_OBJECT
private slots:
    void serverDiesWhenItsStarterIsKilled() {
        QProcess child;
        const pid_t postmaster = startChild(child);
        QVERIFY2(postmaster > 0, "cluster_child did not report a running server");
        QVERIFY(processAlive(postmaster));
        child.kill(); // SIGKILL: no destructor, no atexit handler runs
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(postmaster), 15000);
    }

    void serverDiesWhenItsStarterEndsNormally() {
        QProcess child;
        const pid_t postmaster = startChild(child);
        QVERIFY2(postmaster > 0, "cluster_child did not report a running server");
        child.terminate(); // SIGTERM ends the event loop's process without running ~PostgresCluster
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(postmaster), 15000);
    }
};

QTEST_GUILESS_MAIN(ClusterLifetimeTest)
#include "tst_cluster_lifetime.moc"
