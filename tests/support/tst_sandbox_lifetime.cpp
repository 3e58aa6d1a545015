// A dcr-sandbox server started by a test dies with the test, however the test ends (#26: a killed
// ctest run left tst_dcrctl_submit's three sandbox servers running).
#include "ServerStarterChild.h"

#include <QProcess>
#include <QTest>

using dcr::test::processAlive;

namespace {

pid_t startChild(QProcess& child) {
    return dcr::test::startServerStarter(child, QStringLiteral(SANDBOX_CHILD_PATH));
}

} // namespace

class SandboxLifetimeTest : public QObject {
    Q_OBJECT
private slots:
    void serverDiesWhenItsStarterIsKilled() {
        QProcess child;
        const pid_t server = startChild(child);
        QVERIFY2(server > 0, "sandbox_child did not report a running server");
        QVERIFY(processAlive(server));
        child.kill(); // SIGKILL: no destructor, no atexit handler runs
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(server), 15000);
    }

    void serverDiesWhenItsStarterIsTerminated() {
        QProcess child;
        const pid_t server = startChild(child);
        QVERIFY2(server > 0, "sandbox_child did not report a running server");
        child.terminate(); // SIGTERM: the QProcess destructor never runs
        QVERIFY(child.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(server), 15000);
    }
};

QTEST_GUILESS_MAIN(SandboxLifetimeTest)
#include "tst_sandbox_lifetime.moc"
