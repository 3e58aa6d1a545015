// Composing: the form, the signed preview and preflight, received requests shown
// read-only, claims files.
// One console per test function (ConsoleFixture.h).
#include "ClaimsForm.h"
#include "ClientsPanel.h"
#include "ConsoleFixture.h"
#include "HistoryPanel.h"
#include "MainWindow.h"
#include "MessageWidget.h"
#include "PostgresCluster.h"
#include "PreflightPanel.h"
#include "ProfilesDialog.h"
#include "ResponseView.h"
#include "ScriptedServer.h"
#include "SendBar.h"
#include "SsaViewer.h"
#include "TestPlanPanel.h"
#include "TestSupport.h"
#include "TokenPreview.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QXmlStreamReader>

using namespace dcr;
using namespace dcr::test;
using namespace dcr::ui;

// Answers every passphrase prompt with answer (none: declined) and counts the prompts.
class CountingPassphrases : public PassphraseSource {
public:
    std::optional<QByteArray> passphrase(const PassphrasePrompt&) override {
        ++asked;
        return answer;
    }
    int asked = 0;
    std::optional<QByteArray> answer;
};

class TestConsoleCompose : public ConsoleFixture {
    Q_OBJECT
    CountingPassphrases m_passphrases;

private slots:
    void init() {
        m_passphrases.asked = 0;
        m_passphrases.answer.reset();
        startConsole();
    }
    void cleanup() { stopConsole(); }

    void firstStartIsReadyOnTheSandbox() {
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("DCR Console")));
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("endpoint"))
                    ->text()
                    .contains(QStringLiteral("/api/open-banking/v3.1/tpp/register")));
        QVERIFY(m_controller->signingSetup().ok());
        const Certificate cert = m_controller->transport()->clientCertificate;
        const QString transport =
            m_window->findChild<QLabel*>(QStringLiteral("transportStatus"))->text();
        QVERIFY2(transport.startsWith(QStringLiteral("Transport: expires ") +
                                      cert.notAfter().toString(QStringLiteral("yyyy-MM-dd"))),
                 qPrintable(transport));
        QVERIFY(transport.contains(cert.subjectDn().left(20)));
        QVERIFY2(m_window->ssaViewer()->signatureStatus().contains(
                     QStringLiteral("valid (verified with")),
                 qPrintable(m_window->ssaViewer()->signatureStatus()));
        m_window->refreshNow();
        QVERIFY2(m_window->preflight()->findings().isEmpty(),
                 qPrintable(findingRules().join(u',')));
        // Issue #25.5: which key verified the SSA, in a line of the pane (not a finding).
        QVERIFY2(m_window->preflight()->signatureKeysText().startsWith(
                     QStringLiteral("Keys: SSA verified by the directory's key kid=")),
                 qPrintable(m_window->preflight()->signatureKeysText()));
    }

    void formEditUpdatesAVerifyingPreview() {
        auto* aud = m_window->findChild<QLineEdit*>(QStringLiteral("claim_aud"));
        QVERIFY(aud);
        aud->clear();
        QTest::keyClicks(aud, QStringLiteral("dcrSandboxAspsp"));
        QTRY_COMPARE(previewJws().claims().value(QStringLiteral("aud")).toString(),
                     QStringLiteral("dcrSandboxAspsp"));
        const Jws jws = previewJws();
        QCOMPARE(jws.algorithm(), JwsAlgorithm::PS256);
        QCOMPARE(jws.claims().value(QStringLiteral("iss")).toString(),
                 m_controller->sandboxKit()->softwareId());
        QVERIFY(JwsVerifier::verifyWithKey(jws,
                                           m_controller->sandboxKit()->tppSigningKey().publicKey(),
                                           {JwsAlgorithm::PS256})
                    .ok());
        QVERIFY(jws.claims().value(QStringLiteral("exp")).toInteger() -
                    jws.claims().value(QStringLiteral("iat")).toInteger() ==
                300);
    }

    void wrongRedirectUriRaisesAFindingAndFixingItClearsIt() {
        redirects()->item(0)->setText(QStringLiteral("https://evil.example.com/cb"));
        QTRY_VERIFY2(findingRules().contains(QStringLiteral("redirect-in-ssa")),
                     qPrintable(findingRules().join(u',')));
        // Activating the finding takes the user to the claim's field.
        QTreeWidget* tree = m_window->preflight()->tree();
        QTreeWidgetItem* item = nullptr;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            if (tree->topLevelItem(i)->text(1) == QStringLiteral("redirect-in-ssa"))
                item = tree->topLevelItem(i);
        QVERIFY(item);
        emit tree->itemActivated(item, 0);
        QTRY_COMPARE(QApplication::focusWidget(),
                     m_window->form()->fieldFor(QStringLiteral("redirect_uris")));
        m_window->findChild<QPushButton*>(QStringLiteral("useSsaRedirects"))->click();
        QTRY_VERIFY2(!findingRules().contains(QStringLiteral("redirect-in-ssa")),
                     qPrintable(findingRules().join(u',')));
        QVERIFY(findingRules().isEmpty());
    }

    void importingTheSeedExampleShowsItsFindings() {
        const QByteArray seed =
            test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed();
        m_window->importReceivedRequest(seed, QStringLiteral("seed example"));
        const QStringList rules = findingRules();
        for (const char* expected : {"allowed-value", "redirect-https", "redirect-in-ssa",
                                     "software-id-match", "exp-past"})
            QVERIFY2(rules.contains(QString::fromLatin1(expected)), qPrintable(rules.join(u',')));
        QVERIFY(!m_window->findChild<QLineEdit*>(QStringLiteral("claim_iss"))
                     ->isEnabled()); // read-only
        QCOMPARE(m_window->findChild<QLineEdit*>(QStringLiteral("claim_iss"))->text(),
                 QStringLiteral("beKuxC1RniVsTeLYwfpgNP"));
        // Its fixed times are shown as they are (iat 1606297853, exp 1606298169), not as the
        // composer's lifetime spin box.
        auto* times = m_window->findChild<QLabel*>(QStringLiteral("receivedTimes"));
        QVERIFY(times->isVisible());
        QVERIFY(!m_window->findChild<QSpinBox*>(QStringLiteral("claim_exp"))->isVisible());
        QCOMPARE(times->text(), QStringLiteral("iat 2020-11-25T09:50:53Z  ·  exp "
                                               "2020-11-25T09:56:09Z  (lifetime 316 s)"));
        QCOMPARE(m_window->ssaViewer()->statement()->clientName(),
                 QStringLiteral("Amazon Prime Movies"));
        QCOMPARE(m_window->preview()->token(), seed);
        // The seed's scope "makepayment" is not an allowed value, but it is shown, not dropped.
        auto* scope = m_window->findChild<QListWidget*>(QStringLiteral("claim_scope"));
        QVERIFY(!scope->findItems(QStringLiteral("makepayment"), Qt::MatchStartsWith).isEmpty());
        QCOMPARE(scope->findItems(QStringLiteral("makepayment"), Qt::MatchStartsWith)
                     .first()
                     ->checkState(),
                 Qt::Checked);
        // A received request is never sent from the inspection view: the one Send action is off.
        QSignalSpy started(m_controller.get(), &ConsoleController::sendStarted);
        QVERIFY(!m_window->sendButton()->isEnabled());
        m_window->sendButton()->click();
        QCOMPARE(started.count(), 0);
        const Status refused = m_window->send();
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("read-only")));
        // Garbage is refused in place, with what went wrong.
        m_window->importReceivedRequest("not a jwt", QStringLiteral("garbage.txt"));
        QVERIFY(m_window->noticeLabel()->text().contains(QStringLiteral("garbage.txt")));
        // Back to composing: the editable form and its lifetime return.
        m_window->findChild<QPushButton*>(QStringLiteral("backToComposing"))->click();
        QVERIFY(m_window->findChild<QLineEdit*>(QStringLiteral("claim_iss"))->isEnabled());
        QVERIFY(m_window->findChild<QSpinBox*>(QStringLiteral("claim_exp"))->isVisible());
        QVERIFY(!times->isVisible());
    }

    void receivedTimesNameMissingAndMalformedValues() {
        QCOMPARE(ClaimsForm::describeTimes(RegistrationRequest(QJsonObject{{"iat", 1606297853}})),
                 QStringLiteral("iat 2020-11-25T09:50:53Z  ·  exp missing"));
        QCOMPARE(ClaimsForm::describeTimes(
                     RegistrationRequest(QJsonObject{{"iat", "yesterday"}, {"exp", 1.5}})),
                 QStringLiteral("iat \"yesterday\" (not an integer)  ·  exp 1.5 (not an integer)"));
    }

    // Compose <-> inspect is an explicit mode with a signal, and Send follows it through the one
    // action the button, the menu item and the shortcut share.
    void modeSwitchDrivesTheOneSendAction() {
        auto* button = qobject_cast<QToolButton*>(m_window->sendButton());
        QVERIFY(button);
        QCOMPARE(button->defaultAction(), m_window->sendAction());
        QMenu* requestMenu = nullptr;
        for (QAction* a : m_window->menuBar()->actions())
            if (a->text().remove(u'&') == QStringLiteral("Request"))
                requestMenu = a->menu();
        QVERIFY(requestMenu);
        QVERIFY(requestMenu->actions().contains(m_window->sendAction()));
        QCOMPARE(m_window->mode(), MainWindow::Mode::Composing);
        QVERIFY(m_window->sendAction()->isEnabled());

        QSignalSpy modes(m_window.get(), &MainWindow::modeChanged);
        m_window->importReceivedRequest(
            test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed(),
            QStringLiteral("seed"));
        QCOMPARE(modes.count(), 1);
        QCOMPARE(modes.at(0).at(0).value<MainWindow::Mode>(), MainWindow::Mode::Inspecting);
        QVERIFY(!m_window->sendAction()->isEnabled());
        QVERIFY(!button->isEnabled());
        // A second received request does not change the mode again.
        m_window->importReceivedRequest(
            test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed(),
            QStringLiteral("seed again"));
        QCOMPARE(modes.count(), 1);
        m_window->leaveInspection();
        QCOMPARE(modes.count(), 2);
        QCOMPARE(modes.at(1).at(0).value<MainWindow::Mode>(), MainWindow::Mode::Composing);
        QVERIFY(m_window->sendAction()->isEnabled());
        QVERIFY(button->isEnabled());

        // While a request is in flight the action is off and Cancel is on.
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        QVERIFY(m_controller->isSending());
        QVERIFY(!m_window->sendAction()->isEnabled());
        QVERIFY(m_window->cancelAction()->isEnabled());
        QVERIFY(finished.wait(20000));
        QVERIFY(m_window->sendAction()->isEnabled());
        QVERIFY(!m_window->cancelAction()->isEnabled());
    }

    // File -> Open takes the claims JSON dcrctl sign --claims reads; File -> Save writes it.
    void claimsFilesOpenInTheComposerAndSave() {
        RegistrationRequest claims = m_controller->request();
        claims.setString(QStringLiteral("aud"), QStringLiteral("aspspFromAFile"));
        const QString path = m_dir->filePath(QStringLiteral("claims.json"));
        test::writeFile(path, claims.toJsonBytes());
        m_window->importReceivedRequest(
            test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed(),
            QStringLiteral("seed"));
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);
        m_window->openFile(path); // by content: a claims object goes to the composer
        QCOMPARE(m_window->mode(), MainWindow::Mode::Composing);
        QCOMPARE(m_controller->request().claims().value(QStringLiteral("aud")).toString(),
                 QStringLiteral("aspspFromAFile"));
        auto* aud = m_window->findChild<QLineEdit*>(QStringLiteral("claim_aud"));
        QVERIFY(aud);
        QCOMPARE(aud->text(), QStringLiteral("aspspFromAFile"));
        QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Info);

        const QString saved = m_dir->filePath(QStringLiteral("saved.json"));
        QVERIFY(m_window->saveClaimsFile(saved).ok());
        auto reread = RegistrationRequest::fromJsonBytes(test::readFile(saved));
        QVERIFY(reread);
        QCOMPARE(reread->claims(), m_controller->request().claims());

        // A broken claims file is refused with its name, and the form keeps what it had.
        const QString broken = m_dir->filePath(QStringLiteral("broken.json"));
        test::writeFile(broken, "{\"aud\": ");
        const QJsonObject before = m_controller->request().claims();
        const Status refused = m_window->openClaimsFile(broken);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("broken.json")),
                 qPrintable(refused.error().message));
        QCOMPARE(m_controller->request().claims(), before);
    }

    // A signing key with a passphrase, declined when the profile opens it: the compose preview
    // signs only with a key already unlocked and never asks again (before, every refresh of the
    // preview asked); Send asks, and once it is unlocked the preview signs with it.
    void previewSignsOnlyWithAnUnlockedKey() {
        m_session->setPassphraseSource(&m_passphrases);
        const SandboxKit kit = *m_controller->sandboxKit();
        const QString locked = m_dir->filePath(QStringLiteral("locked-signing-key.pem"));
        const auto encrypted =
            openssl({QStringLiteral("pkey"), QStringLiteral("-in"),
                     kit.path(QStringLiteral("tpp-signing-key.pem")), QStringLiteral("-aes256"),
                     QStringLiteral("-passout"), QStringLiteral("pass:secret"),
                     QStringLiteral("-out"), locked});
        QVERIFY2(encrypted.exitCode == 0, encrypted.err.constData());
        QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
        test::ScriptedServer recorder(test::ScriptedServer::Behaviour::Ok, &tls);
        Profile p = kitProfile(kit, QStringLiteral("Locked key"), recorder.port());
        p.signingKeyPath = locked;
        QVERIFY(m_controller->saveProfile(p).ok());
        m_controller->selectProfile(p.name);
        QTRY_VERIFY(m_controller->isProfileReady());
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
        QCOMPARE(m_passphrases.asked, 1); // when the profile opened its key; declined

        auto* aud = m_window->findChild<QLineEdit*>(QStringLiteral("claim_aud"));
        QTest::keyClicks(aud, QStringLiteral("X"));
        m_window->refreshNow();
        m_window->refreshNow();
        QCOMPARE(m_passphrases.asked, 1);
        QVERIFY(m_window->preview()->token().isEmpty());
        const QString status = m_window->findChild<QLabel*>(QStringLiteral("tokenStatus"))->text();
        QVERIFY2(status.contains(QStringLiteral("passphrase")), qPrintable(status));

        // Send is the action that unlocks it.
        m_passphrases.answer = QByteArray("secret");
        sendAndWait();
        QCOMPARE(m_passphrases.asked, 2);
        QTRY_COMPARE(recorder.receivedRequests().size(), 1);
        m_window->refreshNow();
        QCOMPARE(m_passphrases.asked, 2);
        QCOMPARE(previewJws().algorithm(), JwsAlgorithm::PS256);
        m_session->setPassphraseSource(nullptr);
    }
};

QTEST_MAIN(TestConsoleCompose)
#include "tst_console_compose.moc"
