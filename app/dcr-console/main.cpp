#include "DesktopIdentity.h"
#include "DisplayCheck.h"
#include "MainWindow.h"
#include "PassphraseDialog.h"
#include "PreflightPanel.h"
#include "StartupReport.h"
#include "TestPlanPanel.h"
#include "common/ControlCharacters.h"
#include "common/ExitCode.h"
#include "common/HeapRetention.h"
#include "jose/OpenSslExit.h"
#include "session/AppPaths.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QScreen>
#include <QTimer>

#include <cstdio>
#include <string>

namespace {

struct Options {
    QCommandLineOption profile{QStringLiteral("profile"),
                               QStringLiteral("start on this saved profile"),
                               QStringLiteral("NAME")};
    QCommandLineOption send{
        QStringLiteral("send"),
        QStringLiteral("automation: send the request as a user would after confirming, print "
                       "preflight errors to stderr and exit (0 accepted, 1 refused, 2 not sent, "
                       "3 not delivered); never waits on a dialog")};
    QCommandLineOption screenshot{
        QStringLiteral("screenshot"),
        QStringLiteral("automation: save a PNG of the screen after start-up (after --send when "
                       "given) and exit"),
        QStringLiteral("FILE")};
    QCommandLineOption tab{
        QStringLiteral("tab"),
        QStringLiteral("with --screenshot: the tab to show (compose, ssa, response, history)"),
        QStringLiteral("NAME")};
    QCommandLineOption runPlan{
        QStringLiteral("run-plan"),
        QStringLiteral("automation: run the built-in test plan on the profile (instead of "
                       "--send), then exit 0 when every scenario met its expectation, 1 when "
                       "any did not, 3 when the ASPSP could not be reached (as dcrctl test run)")};
    QCommandLineOption reportStartup{
        QStringLiteral("report-startup"),
        QStringLiteral("print the time to the first shown main window (ms) and exit")};
    QCommandLineOption baseline{
        QStringLiteral("baseline-window"),
        QStringLiteral("with --report-startup: measure an empty Qt Widgets window instead")};
    QCommandLineOption historyScroll{
        QStringLiteral("report-history-scroll"),
        QStringLiteral("with --report-startup: then page the History tab to its last row and "
                       "print the rows reached, the time taken and the resident memory")};

    void addTo(QCommandLineParser& parser) {
        parser.setApplicationDescription(
            QStringLiteral("DCR Console: Open Banking Dynamic Client Registration. FILE is a "
                           "claims JSON (opened in the composer), a registration request JWT "
                           "(inspected read-only) or an SSA."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("FILE"),
                                     QStringLiteral("claims JSON, request JWT or SSA to open"),
                                     QStringLiteral("[FILE]"));
        for (const auto* o : {&profile, &send, &runPlan, &screenshot, &tab, &reportStartup,
                              &baseline, &historyScroll})
            parser.addOption(*o);
    }
};

// What --send and --run-plan print: bank text and file names with control characters shown
// escaped (\x1b), as dcrctl prints them.
QByteArray shown(const QString& text) {
    return dcr::escapeControlCharacters(text).toLocal8Bit();
}

} // namespace

int main(int argc, char** argv) {
    dcr::retainFreedHeapMemory();
    dcr::skipOpenSslCleanupAtExit(); // before anything initialises OpenSSL; see its header
    // --help and --version must print without a display (see DesktopIdentity.h); the parser below
    // still answers them, so the help always lists every option.
    if (dcr::app::asksForHelpOrVersion(argc, argv)) {
        qputenv("QT_QPA_PLATFORM", "minimal");
    } else if (const std::string missing = dcr::app::missingDisplay(argc, argv); !missing.empty()) {
        // Before QApplication: without a display its platform plugin aborts (exit 134).
        std::fprintf(stderr,
                     "dcr-console: %s; run it on a desktop or under a virtual display "
                     "(xvfb-run dcr-console …), or see dcr-console --help (--screenshot, --send)\n",
                     missing.c_str());
        return dcr::ExitUsage;
    }
    QElapsedTimer startup;
    startup.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dcr-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("DCR Console"));
    dcr::app::applyDesktopIdentity();
    QCommandLineParser parser;
    Options options;
    options.addTo(parser);
    parser.process(app);

    // The time to the first painted frame of the window (painted synchronously, as it is for a
    // user before the event loop runs the profile's queued preparation).
    dcr::app::StartupReport startupReport(startup);
    auto report = [&](QWidget* window, dcr::ui::HistoryPanel* history = nullptr) {
        if (parser.isSet(options.reportStartup))
            startupReport.firstWindowShown(window,
                                           parser.isSet(options.historyScroll) ? history : nullptr);
    };
    if (parser.isSet(options.baseline)) {
        QMainWindow empty;
        empty.setWindowTitle(QStringLiteral("baseline"));
        empty.resize(1280, 860);
        empty.show();
        report(&empty);
        return QApplication::exec();
    }

    const bool automation = parser.isSet(options.send) || parser.isSet(options.runPlan) ||
                            parser.isSet(options.screenshot);
    dcr::Session session(dcr::AppPaths::defaults());
    dcr::ui::PassphraseDialog passphrases;
    passphrases.setAutomation(automation);
    session.setPassphraseSource(&passphrases);
    dcr::ui::ConsoleController controller(&session);
    controller.start(parser.value(options.profile));
    if (parser.isSet(options.profile) && !session.profile(parser.value(options.profile))) {
        std::fprintf(stderr, "dcr-console: no profile named \"%s\" (see 'dcrctl profile list')\n",
                     shown(parser.value(options.profile)).constData());
        return dcr::ExitUsage;
    }
    dcr::ui::MainWindow window(&controller);
    passphrases.setParentWidget(&window);
    window.show();
    window.repaint(); // the first frame, before the sandbox and keys are prepared (queued)
    if (parser.isSet(options.historyScroll))
        window.showTab(QStringLiteral("history"));
    report(&window, window.historyPanel());
    if (!parser.positionalArguments().isEmpty()) {
        const QString file = parser.positionalArguments().first();
        // After the profile is ready, so the profile's default request does not replace it.
        QObject::connect(
            &controller, &dcr::ui::ConsoleController::profileReady, &window,
            [&window, file] { window.openFile(file); }, Qt::SingleShotConnection);
    }

    int exitCode = 0;
    auto shootAndQuit = [&] {
        if (!parser.isSet(options.screenshot)) {
            QApplication::exit(exitCode);
            return;
        }
        if (parser.isSet(options.tab))
            window.showTab(parser.value(options.tab));
        const QString path = parser.value(options.screenshot);
        QTimer::singleShot(700, &window, [&window, path, &exitCode] {
            window.screen()->grabWindow(0).save(path);
            QApplication::exit(exitCode);
        });
    };
    if (automation) {
        // The automation answers the questions a user would: send despite preflight errors
        // (listed on stderr first).
        window.setSendConfirmation([&window](int errors) {
            std::fprintf(stderr, "dcr-console: sending despite %d preflight error(s):\n", errors);
            for (const auto& f : window.preflight()->findings())
                if (f.severity == dcr::Severity::Error)
                    std::fprintf(stderr, "  %s: %s\n", shown(f.claim).constData(),
                                 shown(f.message).constData());
            return true;
        });
        // ... and register again after a lost answer (#25.2), saying so on stderr.
        window.setRegisterAgainConfirmation([](const QString& warning) {
            std::fprintf(stderr, "dcr-console: registering again: %s\n",
                         shown(warning).constData());
            return true;
        });
        QObject::connect(
            &controller, &dcr::ui::ConsoleController::profileReady, &window,
            [&] {
                if (parser.isSet(options.runPlan)) {
                    QObject::connect(&controller, &dcr::ui::ConsoleController::testRunFinished,
                                     &window, [&](const dcr::TestRunSummary& summary) {
                                         exitCode = summary.exitCode();
                                         shootAndQuit();
                                     });
                    if (auto ok =
                            controller.runTestPlan(window.testPlanPanel()->checkedScenarioIds());
                        !ok) {
                        std::fprintf(stderr, "dcr-console: test plan not run: %s\n",
                                     shown(ok.error().message).constData());
                        exitCode = dcr::ExitUsage;
                        shootAndQuit();
                    }
                    return;
                }
                if (!parser.isSet(options.send)) {
                    QTimer::singleShot(500, &window, shootAndQuit);
                    return;
                }
                QObject::connect(&controller, &dcr::ui::ConsoleController::sendFinished, &window,
                                 [&](const dcr::SubmissionResult& result) {
                                     exitCode = result.exitCode();
                                     std::fprintf(stderr, "dcr-console: %s (history #%lld)\n",
                                                  shown(result.exchange.completed()
                                                            ? result.outcome.summary()
                                                            : result.exchange.failure->message)
                                                      .constData(),
                                                  static_cast<long long>(result.historyId));
                                     shootAndQuit();
                                 });
                // Refused after the history was looked at (#25.2): said, and no wait for an answer.
                QObject::connect(&controller, &dcr::ui::ConsoleController::sendFailed, &window,
                                 [&](const QString& why) {
                                     std::fprintf(stderr, "dcr-console: not sent: %s\n",
                                                  shown(why).constData());
                                     exitCode = dcr::ExitUsage;
                                     shootAndQuit();
                                 });
                // After queued work (the file given on the command line) has run.
                QTimer::singleShot(0, &window, [&] {
                    if (auto ok = window.send(); !ok) {
                        std::fprintf(stderr, "dcr-console: not sent: %s\n",
                                     shown(ok.error().message).constData());
                        exitCode = dcr::ExitUsage;
                        shootAndQuit();
                    }
                });
            },
            Qt::SingleShotConnection);
    }
    return QApplication::exec();
}
