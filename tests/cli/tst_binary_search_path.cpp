// The programs we ship find their shared libraries only where the system keeps them. An empty
// or relative RPATH/RUNPATH entry makes the dynamic loader search the current directory (ld.so(8):
// "an empty ... entry is interpreted as the current working directory"): started in a folder
// holding a crafted libQt6Core.so.6 (a download folder, a bank's file share), the program would run
// its code. CMake pads the build-tree RUNPATH of installable targets with such entries; the build
// turns RPATH off (CMAKE_SKIP_RPATH).
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestBinarySearchPath : public QObject {
    Q_OBJECT

    static QStringList programs() {
        return {QStringLiteral(DCRCTL_PATH), QStringLiteral(SANDBOX_PATH),
                QStringLiteral(CONSOLE_PATH)};
    }

private slots:
    // readelf (binutils), not our code, reads the dynamic section.
    void noRunpathInAnyProgram() {
        for (const QString& program : programs()) {
            QProcess readelf;
            readelf.start(QStringLiteral("readelf"), {QStringLiteral("-d"), program});
            QVERIFY2(readelf.waitForFinished(30000), "readelf did not finish");
            QCOMPARE(readelf.exitCode(), 0);
            const QByteArray dynamic = readelf.readAllStandardOutput();
            QVERIFY2(dynamic.contains("(NEEDED)"), dynamic.constData());
            QVERIFY2(!dynamic.contains("(RUNPATH)") && !dynamic.contains("(RPATH)"),
                     qPrintable(program + QStringLiteral(":\n") + QString::fromLatin1(dynamic)));
        }
    }

    // Started in a folder of look-alike libraries, each program still starts: the loader never
    // looks there ("file too short" for the garbage copy is what a padded RUNPATH gives).
    void lookAlikeLibrariesInTheWorkingDirectoryAreNotLoaded() {
        QTemporaryDir dir;
        for (const char* name : {"libQt6Core.so.6", "libQt6Network.so.6", "libcrypto.so.3",
                                 "libssl.so.3", "libstdc++.so.6", "libc.so.6"}) {
            QFile f(dir.filePath(QLatin1String(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a library");
        }
        for (const QString& program : programs()) {
            QProcess p;
            p.setWorkingDirectory(dir.path());
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            env.remove(QStringLiteral("LD_LIBRARY_PATH"));
            p.setProcessEnvironment(env);
            p.start(program, {QStringLiteral("--version")});
            QVERIFY2(p.waitForFinished(30000), qPrintable(program));
            const QByteArray err = p.readAllStandardError();
            QVERIFY2(!err.contains("error while loading shared libraries"),
                     qPrintable(program + QStringLiteral(": ") + QString::fromLatin1(err)));
            QVERIFY2(p.exitCode() == 0,
                     qPrintable(program + QStringLiteral(": ") + QString::fromLatin1(err)));
        }
    }
};

QTEST_GUILESS_MAIN(TestBinarySearchPath)
#include "tst_binary_search_path.moc"
