// OpenSSL's exit-time cleanup is skipped in our programs (jose/OpenSslExit.h): it tore down the
// OpenSSL state of Qt's HTTPS thread while that thread was still finishing. Shown in a fresh
// process (this executable started again as a child), since only a process's first OpenSSL
// initialisation decides: a function registered with OPENSSL_atexit runs when the cleanup runs.
//
// OPENSSL_init_crypto(3): "OPENSSL_INIT_NO_ATEXIT: By default OpenSSL will attempt to clean
// itself up when the process exits via an "atexit" handler. Using this option suppresses that
// behaviour."
// OPENSSL_atexit(3) registers a function "to be called when OPENSSL_cleanup() is called".
#include "jose/OpenSslExit.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdio>

namespace {

constexpr char ChildMode[] = "DCR_OPENSSL_EXIT_CHILD";
constexpr char CleanupMarker[] = "openssl-cleanup-ran";

void reportCleanup() {
    std::fputs(CleanupMarker, stdout);
    std::fflush(stdout);
}

// The child: as a program's main() would, optionally skips the cleanup first, then uses OpenSSL
// (a DRBG, as a TLS handshake does) and exits.
int childMain(bool skipCleanup) {
    if (skipCleanup && !dcr::skipOpenSslCleanupAtExit())
        return 2;
    if (OPENSSL_atexit(reportCleanup) != 1)
        return 3;
    unsigned char bytes[16];
    return RAND_bytes(bytes, sizeof bytes) == 1 ? 0 : 4;
}

struct ChildRun {
    int exitCode = -1;
    QByteArray output;
};

ChildRun runChild(const QString& mode) {
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(ChildMode), mode);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    ChildRun run;
    if (!child.waitForFinished(30000)) {
        child.kill();
        child.waitForFinished();
        return run;
    }
    run.exitCode = child.exitStatus() == QProcess::NormalExit ? child.exitCode() : -1;
    run.output = child.readAllStandardOutput();
    return run;
}

} // namespace

class TestOpenSslExit : public QObject {
    Q_OBJECT

private slots:
    void cleanupRunsAtExitByDefault() {
        // The control: without the call OpenSSL cleans up at exit, so the marker is printed.
        const ChildRun run = runChild(QStringLiteral("default"));
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains(CleanupMarker), run.output.constData());
    }

    void skippedCleanupDoesNotRun() {
        const ChildRun run = runChild(QStringLiteral("skip"));
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(!run.output.contains(CleanupMarker), run.output.constData());
    }
};

int main(int argc, char** argv) {
    const QByteArray mode = qgetenv(ChildMode);
    if (!mode.isEmpty())
        return childMain(mode == "skip");
    QCoreApplication app(argc, argv);
    TestOpenSslExit test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_openssl_exit.moc"
