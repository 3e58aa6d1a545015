#include "DesktopIdentity.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QInputDialog>
#include <QPushButton>
#include <QScreen>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
    // --help and --version must print without a display (see DesktopIdentity.h); the parser below
    // still answers them, so the help always lists every option.
    if (dcr::app::asksForHelpOrVersion(argc, argv))
        qputenv("QT_QPA_PLATFORM", "minimal");
    QElapsedTimer startup;
    startup.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dcr-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("DCR Console"));
    dcr::app::applyDesktopIdentity();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("DCR Console: Open Banking Dynamic Client Registration"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption reportStartup(
        QStringLiteral("report-startup"),
        QStringLiteral("print the time to the first shown main window (ms) and exit"));
    const QCommandLineOption baseline(
        QStringLiteral("baseline-window"),
        QStringLiteral("with --report-startup: measure an empty Qt Widgets window instead"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("save a PNG of the screen after start-up and exit (docs)"),
        QStringLiteral("FILE"));
    const QCommandLineOption tab(
        QStringLiteral("tab"),
        QStringLiteral("with --screenshot: the tab to show (compose, ssa, response, history)"),
        QStringLiteral("NAME"));
    const QCommandLineOption sendFirst(QStringLiteral("send"),
                                       QStringLiteral("with --screenshot: send the request first"));
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QStringLiteral("a received registration request (JWT) to inspect, or an SSA"),
        QStringLiteral("[file]"));
    parser.addOption(reportStartup);
    parser.addOption(screenshot);
    parser.addOption(tab);
    parser.addOption(sendFirst);
    parser.addOption(baseline);
    parser.process(app);

    auto report = [&](QWidget* window) {
        if (!parser.isSet(reportStartup))
            return;
        // After the first paint has been queued and processed.
        QTimer::singleShot(0, window, [&startup] {
            std::printf("startup_ms %.3f\n", static_cast<double>(startup.nsecsElapsed()) / 1e6);
            std::fflush(stdout);
            QApplication::quit();
        });
    };
    if (parser.isSet(baseline)) {
        QMainWindow empty;
        empty.setWindowTitle(QStringLiteral("baseline"));
        empty.resize(1280, 860);
        empty.show();
        report(&empty);
        return QApplication::exec();
    }

    dcr::ui::ConsoleController controller(dcr::ui::ConsolePaths::defaults());
    dcr::ui::MainWindow* windowPtr = nullptr;
    controller.setPassphraseProvider([&windowPtr](const QString& what) {
        bool ok = false;
        const QString text = QInputDialog::getText(
            windowPtr, QObject::tr("Passphrase"),
            QObject::tr("Passphrase for %1 (kept in memory for this session only):").arg(what),
            QLineEdit::Password, {}, &ok);
        return ok ? text.toUtf8() : QByteArray();
    });
    controller.start();
    dcr::ui::MainWindow window(&controller);
    windowPtr = &window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    report(&window);
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        auto shoot = [&window, path, &parser, &tab] {
            if (parser.isSet(tab))
                window.showTab(parser.value(tab));
            QTimer::singleShot(700, &window, [&window, path] {
                window.screen()->grabWindow(0).save(path);
                QApplication::quit();
            });
        };
        if (parser.isSet(sendFirst)) {
            QObject::connect(&controller, &dcr::ui::ConsoleController::sendFinished, &window,
                             shoot);
            QTimer::singleShot(500, &window, [&window] { window.sendButton()->click(); });
        } else {
            QTimer::singleShot(500, &window, shoot);
        }
    }
    return QApplication::exec();
}
