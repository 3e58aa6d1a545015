// #22.14: dcr-console on a machine without a display says so in one line and exits 2, instead of
// Qt's platform plugin aborting (exit 134). Run as a process with the display variables cleared,
// as a user over ssh would; the rule itself (DisplayCheck) is checked case by case.
#include "DisplayCheck.h"
#include "common/ExitCode.h"

#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <vector>

namespace {

struct Run {
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QByteArray out, err;
};

// The console with only PATH and HOME (a fresh one) and the given variables set.
Run runConsole(const QStringList& args, const std::map<QString, QString>& vars,
               const QString& home) {
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    for (const auto& [name, value] : vars)
        env.insert(name, value);
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CONSOLE_PATH), args);
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

std::string check(std::vector<const char*> args, const std::map<std::string, std::string>& env) {
    args.insert(args.begin(), "dcr-console");
    std::vector<char*> argv;
    for (const char* a : args)
        argv.push_back(const_cast<char*>(a));
    return dcr::app::missingDisplay(static_cast<int>(argv.size()), argv.data(),
                                    [&env](const char* name) {
                                        const auto it = env.find(name);
                                        return it == env.end() ? std::string() : it->second;
                                    });
}

} // namespace

class TestConsoleNoDisplay : public QObject {
    Q_OBJECT

private slots:
    void withoutADisplayOneLineAndExit2_data() {
        QTest::addColumn<QString>("platform"); // QT_QPA_PLATFORM; empty: unset
        QTest::newRow("unset") << QString();
        QTest::newRow("xcb") << QStringLiteral("xcb");
        QTest::newRow("wayland") << QStringLiteral("wayland");
    }
    void withoutADisplayOneLineAndExit2() {
        QFETCH(QString, platform);
        QTemporaryDir home;
        std::map<QString, QString> vars;
        if (!platform.isEmpty())
            vars[QStringLiteral("QT_QPA_PLATFORM")] = platform;
        const Run r = runConsole({}, vars, home.path());
        QCOMPARE(r.status, QProcess::NormalExit); // not Qt's abort (134)
        QCOMPARE(r.exitCode, int(dcr::ExitUsage));
        QVERIFY(r.out.isEmpty());
        const QList<QByteArray> lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QByteArray line = lines.first();
        QVERIFY2(line.startsWith("dcr-console: no display found"), line.constData());
        QVERIFY2(line.contains("xvfb-run") && line.contains("--help"), line.constData());
        QVERIFY2(!line.contains("plugin"), line.constData());
        // Nothing was started: no settings, history or sandbox kit written anywhere in HOME.
        QVERIFY(QDir(home.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
    }

    // --help needs no display (the man page is made from it), nor does the offscreen platform.
    void helpAndOffscreenStillRun() {
        QTemporaryDir home;
        const Run help = runConsole({QStringLiteral("--help")}, {}, home.path());
        QCOMPARE(help.status, QProcess::NormalExit);
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--screenshot"));
        const Run offscreen = runConsole(
            {QStringLiteral("--report-startup"), QStringLiteral("--baseline-window")},
            {{QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen")}}, home.path());
        QCOMPARE(offscreen.status, QProcess::NormalExit);
        QCOMPARE(offscreen.exitCode, 0);
        QVERIFY2(offscreen.out.startsWith("startup_ms "), offscreen.out.constData());
    }

    // The rule, and that it refuses only what cannot work.
    void theRule() {
        QVERIFY(!check({}, {}).empty());
        QVERIFY(check({}, {{"DISPLAY", ":0"}}).empty());
        QVERIFY(check({}, {{"WAYLAND_DISPLAY", "wayland-0"}}).empty());
        QVERIFY(!check({}, {{"QT_QPA_PLATFORM", "xcb"}, {"WAYLAND_DISPLAY", "w"}}).empty());
        QVERIFY(check({}, {{"QT_QPA_PLATFORM", "xcb"}, {"DISPLAY", ":99"}}).empty());
        QVERIFY(!check({}, {{"QT_QPA_PLATFORM", "wayland-egl"}, {"DISPLAY", ":0"}}).empty());
        QVERIFY(!check({}, {{"QT_QPA_PLATFORM", "xcb;wayland"}}).empty());
        for (const char* none : {"offscreen", "minimal", "vnc", "linuxfb", "eglfs"})
            QVERIFY2(check({}, {{"QT_QPA_PLATFORM", none}}).empty(), none);
        // -platform on the command line wins over the environment, as in Qt.
        QVERIFY(check({"-platform", "offscreen"}, {{"QT_QPA_PLATFORM", "xcb"}}).empty());
        QVERIFY(check({"--platform=minimal"}, {}).empty());
        QVERIFY(!check({"-platform", "xcb"}, {{"QT_QPA_PLATFORM", "offscreen"}}).empty());
        // After "--" a file name, not an option.
        QVERIFY(!check({"--", "-platform", "offscreen"}, {}).empty());
        // A list of fallbacks passes when any of them can start (Qt falls back to it): an X11
        // session with QT_QPA_PLATFORM="wayland;xcb" set globally still opens on xcb.
        QVERIFY(check({}, {{"QT_QPA_PLATFORM", "wayland;xcb"}, {"DISPLAY", ":0"}}).empty());
        QVERIFY(check({}, {{"QT_QPA_PLATFORM", "xcb;wayland"}, {"WAYLAND_DISPLAY", "w"}}).empty());
        QVERIFY(!check({}, {{"QT_QPA_PLATFORM", "wayland;xcb"}}).empty());
        // Qt's own -display option names the X server; WAYLAND_SOCKET is a connected socket.
        QVERIFY(check({"-platform", "xcb", "-display", ":1"}, {}).empty());
        QVERIFY(check({"-display=:1"}, {}).empty());
        QVERIFY(check({}, {{"QT_QPA_PLATFORM", "wayland"}, {"WAYLAND_SOCKET", "5"}}).empty());
    }
};

QTEST_GUILESS_MAIN(TestConsoleNoDisplay)
#include "tst_console_no_display.moc"
