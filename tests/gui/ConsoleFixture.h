#pragma once

// The console driven through its real widgets under QT_QPA_PLATFORM=offscreen, against the
// in-process sandbox the console starts itself. Every test function gets a console of its own
// (init()/cleanup()): a fresh folder for the settings, the history and the test runs, its own
// session, controller and window, so that no test depends on what another one left behind or on
// the order they run in. The sandbox kit (its keys take a while to generate) is made once per
// test program and shared: it is the tests' fixed data, nothing a test changes.
#include "ConsoleController.h"
#include "MainWindow.h"
#include "PreflightPanel.h"
#include "ResponseView.h"
#include "ScriptedBankKit.h"
#include "TestSupport.h"
#include "TokenPreview.h"
#include "history/HistoryReader.h"
#include "jose/Jws.h"
#include "sandbox/SandboxKit.h"
#include "transport/Profile.h"

#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace dcr::test {

class ConsoleFixture : public QObject {
protected:
    QTemporaryDir m_kitRoot; // shared by every test of the program
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ui::ConsoleController> m_controller;
    std::unique_ptr<ui::MainWindow> m_window;

    // This test's folders, with the shared sandbox kit: for a second session "after a restart".
    AppPaths consolePaths() const {
        AppPaths p = AppPaths::under(m_dir->path());
        p.sandboxKitDir = m_kitRoot.filePath(QStringLiteral("sandbox-kit"));
        return p;
    }

    // As in main(): the window is shown before the sandbox and keys are prepared.
    void startConsole() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_session = std::make_unique<Session>(consolePaths());
        m_controller = std::make_unique<ui::ConsoleController>(m_session.get());
        m_controller->start();
        QVERIFY(!m_controller->isProfileReady());
        QVERIFY(!m_session->sandboxRunning());
        m_window = std::make_unique<ui::MainWindow>(m_controller.get());
        m_window->setSendConfirmation([](int) { return true; });
        m_window->show();
        QVERIFY(!m_window->sendAction()->isEnabled()); // nothing to send to yet
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY(m_controller->isProfileReady());
        QVERIFY(m_session->sandboxRunning());
        QVERIFY(m_window->sendAction()->isEnabled());
        QCOMPARE(m_controller->currentProfile().name,
                 QString::fromLatin1(Session::SandboxProfileName));
        // The first preview, signed once typing (here: the profile's request) pauses.
        QTRY_VERIFY(!m_window->preview()->token().isEmpty());
    }

    // A profile that sends to https://localhost:port/register with the kit's transport material.
    static Profile kitProfile(const SandboxKit& kit, const QString& name, quint16 port) {
        Profile p;
        p.name = name;
        p.registrationUrl = QUrl(QStringLiteral("https://localhost:%1/register").arg(port));
        p.aud = kit.aud();
        p.caBundlePath = kit.path(QStringLiteral("ca.pem"));
        p.transportCertPath = kit.path(QStringLiteral("tpp-transport.pem"));
        p.transportKeyPath = kit.path(QStringLiteral("tpp-transport-key.pem"));
        return p;
    }

    void stopConsole() {
        m_window.reset();
        m_controller.reset();
        m_session.reset();
        m_dir.reset();
    }

    QStringList findingRules() const {
        QStringList rules;
        for (const auto& f : m_window->preflight()->findings())
            rules << f.rule;
        return rules;
    }
    Jws previewJws() const {
        auto jws = Jws::parse(m_window->preview()->token());
        if (!jws)
            qFatal("preview has no token: %s", qPrintable(jws.error().message));
        return *jws;
    }
    QListWidget* redirects() const {
        return m_window->findChild<QListWidget*>(QStringLiteral("claim_redirect_uris"));
    }

    // Sends the form as it is through the Send action and waits for the answer.
    void sendAndWait() {
        QSignalSpy finished(m_controller.get(), &ui::ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
    }
    // A request the sandbox rejects (a redirect URI not in the SSA), sent, and the form fixed
    // again: the history then holds an "error" row whose text names evil.example.com.
    void sendRejectedRequest() {
        const QString good = redirects()->item(0)->text();
        redirects()->item(0)->setText(QStringLiteral("https://evil.example.com/cb"));
        QTRY_VERIFY(findingRules().contains(QStringLiteral("redirect-in-ssa")));
        sendAndWait();
        QTRY_VERIFY(m_window->response()->outcomeText().contains(QStringLiteral("Invalid")));
        redirects()->item(0)->setText(good);
        QTRY_VERIFY(!findingRules().contains(QStringLiteral("redirect-in-ssa")));
    }
};

} // namespace dcr::test
