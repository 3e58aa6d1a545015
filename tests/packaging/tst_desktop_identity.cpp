// dcr-console's desktop identity (app/dcr-console/DesktopIdentity.cpp) as the packaged files
// expect it: the version is CMake's project version, the desktop file name is the installed
// .desktop entry's, and the window icon has every size that the icon theme gets. Also which
// command lines count as "only --help/--version" (those run without a display).
#include "DesktopIdentity.h"

#include <QApplication>
#include <QIcon>
#include <QTest>

#include <vector>

class TestDesktopIdentity : public QObject {
    Q_OBJECT
private slots:
    void identity() {
        dcr::app::applyDesktopIdentity();
        QCOMPARE(QApplication::applicationVersion(), QStringLiteral(DCR_EXPECTED_VERSION));
        QCOMPARE(QGuiApplication::desktopFileName(), QStringLiteral(DCR_APP_ID));
        const QIcon icon = QApplication::windowIcon();
        QVERIFY(!icon.isNull());
        for (int size : {16, 24, 32, 48, 64, 128, 256}) {
            QVERIFY2(icon.availableSizes().contains(QSize(size, size)),
                     qPrintable(QStringLiteral("no %1 px window icon").arg(size)));
            QCOMPARE(icon.pixmap(QSize(size, size)).size(), QSize(size, size));
        }
    }

    void helpOrVersion_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("infoOnly");
        QTest::newRow("none") << QStringList{} << false;
        QTest::newRow("file") << QStringList{QStringLiteral("request.jwt")} << false;
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << true;
        QTest::newRow("-h") << QStringList{QStringLiteral("-h")} << true;
        QTest::newRow("--help-all") << QStringList{QStringLiteral("--help-all")} << true;
        QTest::newRow("--version") << QStringList{QStringLiteral("--version")} << true;
        QTest::newRow("-v after file")
            << QStringList{QStringLiteral("a.jwt"), QStringLiteral("-v")} << true;
        QTest::newRow("file named --help after --")
            << QStringList{QStringLiteral("--"), QStringLiteral("--help")} << false;
        QTest::newRow("--helpful") << QStringList{QStringLiteral("--helpful")} << false;
    }
    void helpOrVersion() {
        QFETCH(QStringList, args);
        QFETCH(bool, infoOnly);
        std::vector<QByteArray> storage{QByteArrayLiteral("dcr-console")};
        for (const QString& a : args)
            storage.push_back(a.toUtf8());
        std::vector<char*> argv;
        for (QByteArray& s : storage)
            argv.push_back(s.data());
        argv.push_back(nullptr);
        QCOMPARE(dcr::app::asksForHelpOrVersion(static_cast<int>(storage.size()), argv.data()),
                 infoOnly);
    }
};

QTEST_MAIN(TestDesktopIdentity)
#include "tst_desktop_identity.moc"
