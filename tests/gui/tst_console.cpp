// The console driven through its real widgets under QT_QPA_PLATFORM=offscreen, against the
// in-process sandbox the console starts itself.
#include "ClaimsForm.h"
#include "ClientsPanel.h"
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
#include "history/HistoryReader.h"
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
#include <QSslKey>
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

class TestConsole : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ConsoleController> m_controller;
    std::unique_ptr<MainWindow> m_window;

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

private slots:
    void initTestCase() {
        m_session = std::make_unique<Session>(AppPaths::under(m_dir.path()));
        m_controller = std::make_unique<ConsoleController>(m_session.get());
        m_controller->start();
        // As in main(): the window is shown before the sandbox and keys are prepared.
        QVERIFY(!m_controller->isProfileReady());
        QVERIFY(!m_session->sandboxRunning());
        m_window = std::make_unique<MainWindow>(m_controller.get());
        m_window->setSendConfirmation([](int) { return true; });
        m_window->show();
        QVERIFY(!m_window->sendAction()->isEnabled()); // nothing to send to yet
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY(m_controller->isProfileReady());
        QVERIFY(m_session->sandboxRunning());
        QVERIFY(m_window->sendAction()->isEnabled());
        QCOMPARE(m_controller->currentProfile().name,
                 QString::fromLatin1(Session::SandboxProfileName));
    }

    void cleanupTestCase() {
        m_window.reset();
        m_controller.reset();
        m_session.reset();
    }

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
        QVERIFY(m_window->ssaViewer()->signatureStatus().contains(QStringLiteral("VALID")));
        m_window->refreshNow();
        QVERIFY2(m_window->preflight()->findings().isEmpty(),
                 qPrintable(findingRules().join(u',')));
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

    void sendShowsTheOutcomeAndAddsAHistoryRow() {
        const int before = m_window->historyPanel()->model()->rowCount();
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        QTest::mouseClick(m_window->sendButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QTRY_VERIFY(
            m_window->response()->outcomeText().startsWith(QStringLiteral("Accepted (HTTP 200)")));
        QTRY_COMPARE(m_window->historyPanel()->model()->rowCount(), before + 1);
        // History queries answer from their own thread: the completed row follows the sending one.
        QTRY_COMPARE(m_window->historyPanel()->model()->record(0).outcome,
                     QStringLiteral("accepted"));
        QCOMPARE(m_window->historyPanel()->model()->record(0).softwareId,
                 m_controller->sandboxKit()->softwareId());
    }

    void errorResponseShowsItsExplanation() {
        redirects()->item(0)->setText(QStringLiteral("https://evil.example.com/cb"));
        QTRY_VERIFY(findingRules().contains(QStringLiteral("redirect-in-ssa")));
        int asked = 0;
        m_window->setSendConfirmation([&asked](int errors) {
            asked = errors;
            return true;
        });
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        QTest::keyClick(m_window.get(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(finished.wait(20000));
        QVERIFY(asked > 0); // the user was warned before an erroneous request left
        QTRY_VERIFY2(m_window->response()->outcomeText().contains(QStringLiteral("Invalid")),
                     qPrintable(m_window->response()->outcomeText()));
        QVERIFY(m_window->response()->explanationText().contains(
            QStringLiteral("Given data is invalid")));
        QVERIFY(m_window->response()->explanationText().contains(QStringLiteral("Likely fix")));
        QTRY_COMPARE(m_window->historyPanel()->model()->record(0).outcome, QStringLiteral("error"));
        // Declining the warning sends nothing.
        m_window->setSendConfirmation([](int) { return false; });
        QSignalSpy started(m_controller.get(), &ConsoleController::sendStarted);
        m_window->sendButton()->click();
        QCOMPARE(started.count(), 0);
        m_window->setSendConfirmation([](int) { return true; });
    }

    void openInFormRestoresTheClaims() {
        HistoryPanel* history = m_window->historyPanel();
        int acceptedRow = -1;
        for (int i = 0; i < history->model()->rowCount(); ++i)
            if (history->model()->record(i).outcome == QStringLiteral("accepted"))
                acceptedRow = i;
        QVERIFY(acceptedRow >= 0);
        const auto record = *m_session->historyRecord(history->model()->record(acceptedRow).id);
        history->selectRow(acceptedRow);
        // The entry is read on the history reader's thread; Open waits for it.
        QTRY_VERIFY(history->shownRecord() && history->shownRecord()->id == record.id);
        QVERIFY(m_window->findChild<QPushButton*>(QStringLiteral("historyOpen"))->isEnabled());
        m_window->findChild<QPushButton*>(QStringLiteral("historyOpen"))->click();
        // The claims as sent; jti, iat and exp are set anew when this is sent again.
        QCOMPARE(m_controller->request().claims(), record.requestClaims);
        QCOMPARE(redirects()->item(0)->text(),
                 record.requestClaims.value(QStringLiteral("redirect_uris"))
                     .toArray()
                     .first()
                     .toString());
        m_window->refreshNow();
        QVERIFY2(!findingRules().contains(QStringLiteral("redirect-in-ssa")),
                 qPrintable(findingRules().join(u',')));
    }

    // The detail pane reads its entry on the history reader's thread: it says "Loading…" and
    // its entry's actions wait until the entry arrives; a newer selection supersedes an older
    // one; "Copy as curl" is made there too.
    void detailPaneLoadsItsEntryOffTheGuiThread() {
        HistoryPanel* panel = m_window->historyPanel();
        QTRY_VERIFY(!panel->model()->isLoading());
        QVERIFY(panel->model()->rowCount() >= 2);
        auto* open = m_window->findChild<QPushButton*>(QStringLiteral("historyOpen"));
        auto* saveNote = m_window->findChild<QPushButton*>(QStringLiteral("historySaveNote"));
        panel->selectRow(0);
        QTRY_VERIFY(!panel->isDetailLoading());
        m_window->findChild<QLineEdit*>(QStringLiteral("historyNote"))->setText("row 0's note");
        m_window->findChild<QLineEdit*>(QStringLiteral("historyTags"))->setText("row-0");
        panel->selectRow(1);
        QVERIFY(panel->isDetailLoading()); // asked, not read here
        const qint64 id = panel->model()->record(1).id;
        QCOMPARE(panel->detail()->toPlainText(),
                 QStringLiteral("Loading history entry #%1…").arg(id));
        QVERIFY(!open->isEnabled());
        QVERIFY(!saveNote->isEnabled());
        QVERIFY(m_window->findChild<QLineEdit*>(QStringLiteral("historyNote"))->text().isEmpty());
        QVERIFY(m_window->findChild<QLineEdit*>(QStringLiteral("historyTags"))->text().isEmpty());
        QTRY_VERIFY(!panel->isDetailLoading());
        QVERIFY(panel->shownRecord().has_value());
        QCOMPARE(panel->shownRecord()->id, id);
        QVERIFY2(panel->detail()->toPlainText().contains(panel->model()->record(1).url),
                 qPrintable(panel->detail()->toPlainText()));
        QVERIFY(open->isEnabled());
        QVERIFY(saveNote->isEnabled());

        // Row 0 then row 1 at once: row 0's entry is never delivered (the worker answers in
        // order, so by the time row 1's is shown, row 0's would have come first).
        QSignalSpy answers(m_session->historyReader(), &HistoryReader::answered);
        panel->selectRow(0);
        panel->selectRow(1);
        QTRY_VERIFY(!panel->isDetailLoading());
        QCOMPARE(panel->shownRecord()->id, id);
        QList<qint64> delivered;
        for (const auto& a : answers)
            if (const auto answer = a.at(0).value<HistoryAnswer>();
                answer.lane == HistoryLane::Record)
                delivered << (answer.record() ? answer.record()->id : 0);
        QCOMPARE(delivered, QList<qint64>{id});

        QApplication::clipboard()->clear();
        m_window->findChild<QPushButton*>(QStringLiteral("historyCopyCurl"))->click();
        QVERIFY(m_window->noticeLabel()->text().startsWith(QStringLiteral("Preparing the curl")));
        QCOMPARE(QApplication::clipboard()->text(), QString()); // not made on this thread
        QTRY_VERIFY(QApplication::clipboard()->text().startsWith(
            QStringLiteral("# history entry %1,").arg(id)));
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("curl ")));
        QTRY_VERIFY(
            m_window->noticeLabel()->text().startsWith(QStringLiteral("curl command copied")));
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

    void findShortcutFocusesTheHistoryFilter() {
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        QTRY_COMPARE(QApplication::focusWidget(),
                     static_cast<QWidget*>(m_window->historyPanel()->filterEdit()));
        QTest::keyClicks(m_window->historyPanel()->filterEdit(), QStringLiteral("evil.example"));
        // Found through the error text of the rejected submission, which names the bad redirect
        // URI.
        QTRY_COMPARE(m_window->historyPanel()->model()->totalCount(), 1);
        QTRY_COMPARE(m_window->historyPanel()->model()->record(0).outcome, QStringLiteral("error"));
        m_window->historyPanel()->filterEdit()->clear();
        auto* outcome = m_window->findChild<QComboBox*>(QStringLiteral("historyOutcome"));
        outcome->setCurrentIndex(outcome->findData(QStringLiteral("error")));
        QTRY_COMPARE(m_window->historyPanel()->model()->totalCount(), 1);
        outcome->setCurrentIndex(0);
    }

    // Every row shows who sent it, and the history filters by person.
    void historyShowsAndFiltersWhoSentIt() {
        HistoryPanel* panel = m_window->historyPanel();
        panel->reload(true);
        QTRY_VERIFY(!panel->model()->isLoading());
        QVERIFY(panel->model()->rowCount() > 0);
        const QString me = WriterIdentity::current().person();
        QCOMPARE(panel->model()
                     ->data(panel->model()->index(0, HistoryTableModel::SentBy), Qt::DisplayRole)
                     .toString(),
                 me);
        auto* writer = m_window->findChild<QLineEdit*>(QStringLiteral("historyWriter"));
        QVERIFY(writer);
        writer->setText(QStringLiteral("somebody-else"));
        QTRY_COMPARE(panel->model()->totalCount(), 0);
        QTRY_COMPARE(panel->model()->rowCount(), 0);
        writer->setText(me);
        QTRY_VERIFY(panel->model()->rowCount() > 0);
        QCOMPARE(panel->model()->totalCount(), *m_session->historyCount({}));
        QSignalSpy reloaded(panel->model(), &HistoryTableModel::pageLoaded);
        writer->clear(); // reloads once typing pauses
        QVERIFY(reloaded.wait(5000));
    }

    void historyTableLoadsLazily() {
        // A second writer on the same file, as dcrctl would be.
        auto store = HistoryStore::open(m_session->historyLocation());
        QVERIFY(store);
        for (int i = 0; i < 450; ++i) {
            SubmissionStart s;
            s.softwareId = QStringLiteral("bulk-%1").arg(i);
            QVERIFY((*store)->begin(s).ok());
        }
        HistoryPanel* panel = m_window->historyPanel();
        panel->reload(true);
        HistoryTableModel* model = panel->model();
        QTRY_VERIFY(!model->isLoading()); // answered on the history reader's thread
        QCOMPARE(model->rowCount(), HistoryTableModel::PageSize);
        QVERIFY(model->totalCount() >= 450);
        QVERIFY(model->canFetchMore({}));
        model->fetchMore({});
        QVERIFY(!model->canFetchMore({})); // one page at a time
        QTRY_COMPARE(model->rowCount(), 2 * HistoryTableModel::PageSize);
        panel->view()->scrollToBottom();
        QTRY_VERIFY(model->rowCount() > 2 * HistoryTableModel::PageSize);
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
        const QString path = m_dir.filePath(QStringLiteral("claims.json"));
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

        const QString saved = m_dir.filePath(QStringLiteral("saved.json"));
        QVERIFY(m_window->saveClaimsFile(saved).ok());
        auto reread = RegistrationRequest::fromJsonBytes(test::readFile(saved));
        QVERIFY(reread);
        QCOMPARE(reread->claims(), m_controller->request().claims());

        // A broken claims file is refused with its name, and the form keeps what it had.
        const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
        test::writeFile(broken, "{\"aud\": ");
        const QJsonObject before = m_controller->request().claims();
        const Status refused = m_window->openClaimsFile(broken);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("broken.json")),
                 qPrintable(refused.error().message));
        QCOMPARE(m_controller->request().claims(), before);
    }

    // What the history keeps is byte for byte what the server received; each send is signed
    // once and carries its own jti.
    void historyHoldsExactlyTheBytesSentWithAFreshJti() {
        const SandboxKit kit = *m_controller->sandboxKit();
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(kit.serverCertificate().toPem()));
        tls.setPrivateKey(QSslKey(kit.serverKey().privatePkcs8Pem(), QSsl::Rsa));
        test::ScriptedServer recorder(test::ScriptedServer::Behaviour::Ok, &tls);
        Profile p;
        p.name = QStringLiteral("Recorder");
        p.registrationUrl =
            QUrl(QStringLiteral("https://localhost:%1/register").arg(recorder.port()));
        p.aud = kit.aud();
        p.caBundlePath = kit.path(QStringLiteral("ca.pem"));
        p.transportCertPath = kit.path(QStringLiteral("tpp-transport.pem"));
        p.transportKeyPath = kit.path(QStringLiteral("tpp-transport-key.pem"));
        p.signingKeyPath = kit.path(QStringLiteral("tpp-signing-key.pem"));
        QVERIFY(m_controller->saveProfile(p).ok());
        m_controller->selectProfile(p.name);
        QTRY_VERIFY(m_controller->isProfileReady());
        QTRY_VERIFY(m_window->sendAction()->isEnabled());

        QStringList jtis;
        for (int send = 0; send < 2; ++send) {
            QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
            const quint64 signaturesBefore = JwsSigner::signaturesMade();
            m_window->sendAction()->trigger();
            QCOMPARE(JwsSigner::signaturesMade() - signaturesBefore, quint64(1));
            QVERIFY(finished.wait(20000));
            const auto result = finished.at(0).at(0).value<SubmissionResult>();
            QVERIFY2(result.exchange.completed(),
                     result.exchange.failure ? qPrintable(result.exchange.failure->message) : "");
            const auto record = m_session->historyRecord(result.historyId);
            QVERIFY(record);
            // The bodies the server received (one connection per send, in no particular order).
            auto bodies = [&recorder] {
                QList<QByteArray> out;
                for (const QByteArray& raw : recorder.receivedRequests())
                    out << raw.mid(raw.indexOf("\r\n\r\n") + 4);
                return out;
            };
            QTRY_COMPARE(bodies().size(), send + 1);
            QTRY_VERIFY2(bodies().contains(record->requestJwt), record->requestJwt.constData());
            auto jws = Jws::parse(record->requestJwt);
            QVERIFY(jws);
            QCOMPARE(record->requestClaims, jws->claims());
            jtis << jws->claims().value(QStringLiteral("jti")).toString();
        }
        QCOMPARE(jtis.size(), 2);
        QVERIFY(jtis.at(0) != jtis.at(1));
        m_controller->selectProfile(QString::fromLatin1(Session::SandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
    }

    // "New from preset" fills a profile with the ecosystem's choices (here generic RFC 7591:
    // JSON body, application/json, RFC 7592 lifecycle); on that profile the compose view says a
    // JSON body goes out, unsigned, and Send delivers exactly the bytes the history keeps
    // (RFC 7591 §3.1: "with a content type of application/json"), with no signature made.
    void jsonProfileFromPresetShowsAndSendsAJsonBody() {
        const SandboxKit kit = *m_controller->sandboxKit();
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(kit.serverCertificate().toPem()));
        tls.setPrivateKey(QSslKey(kit.serverKey().privatePkcs8Pem(), QSsl::Rsa));
        test::ScriptedServer recorder(test::ScriptedServer::Behaviour::Ok, &tls);
        const QString name = QStringLiteral("JSON recorder");
        {
            ProfilesDialog dialog(m_controller.get(), m_window.get());
            auto* preset = dialog.findChild<QAction*>(QStringLiteral("preset-rfc7591"));
            QVERIFY(preset);
            preset->trigger();
            auto* format = dialog.findChild<QComboBox*>(QStringLiteral("profileBodyFormat"));
            QCOMPARE(format->currentData().toString(), QStringLiteral("json"));
            QCOMPARE(
                dialog.findChild<QComboBox*>(QStringLiteral("profileContentType"))->currentText(),
                QStringLiteral("application/json"));
            QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("profileLifecycle"))
                         ->currentData()
                         .toString(),
                     QStringLiteral("rfc7592"));
            QCOMPARE(
                dialog.findChild<QComboBox*>(QStringLiteral("profileTokenAuth"))->currentText(),
                QStringLiteral("client_secret_basic"));
            const std::pair<const char*, QString> fields[] = {
                {"profileName", name},
                {"profileUrl",
                 QStringLiteral("https://localhost:%1/register").arg(recorder.port())},
                {"profileCert", kit.path(QStringLiteral("tpp-transport.pem"))},
                {"profileKey", kit.path(QStringLiteral("tpp-transport-key.pem"))},
                {"profileCa", kit.path(QStringLiteral("ca.pem"))}};
            for (const auto& [objectName, value] : fields)
                dialog.findChild<QLineEdit*>(QString::fromLatin1(objectName))->setText(value);
            dialog.findChild<QPushButton*>(QStringLiteral("profileSave"))->click();
            // Switching the format back to jwt switches the Content-Type with it.
            format->setCurrentIndex(format->findData(QStringLiteral("jwt")));
            QCOMPARE(
                dialog.findChild<QComboBox*>(QStringLiteral("profileContentType"))->currentText(),
                QStringLiteral("application/jwt"));
        }
        const auto saved = m_session->profile(name);
        QVERIFY(saved);
        QCOMPARE(saved->preset, QStringLiteral("rfc7591"));
        QCOMPARE(saved->bodyFormat, RequestBodyFormat::Json);
        QCOMPARE(saved->contentType, QByteArray("application/json"));
        QCOMPARE(saved->lifecycleAuth, LifecycleAuth::Rfc7592);
        QVERIFY(saved->signingKeyPath.isEmpty());

        m_controller->selectProfile(name);
        QTRY_VERIFY(m_controller->isProfileReady());
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
        // The preset's fixed values were filled where the form had none.
        QVERIFY(m_controller->request().has(QStringLiteral("response_types")));
        m_window->refreshNow();
        const QString status = m_window->findChild<QLabel*>(QStringLiteral("tokenStatus"))->text();
        QVERIFY2(status.contains(QStringLiteral("JSON body (RFC 7591, application/json)")),
                 qPrintable(status));
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("endpoint"))
                    ->text()
                    .contains(QStringLiteral("JSON body")));
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("signingKeyStatus"))
                    ->text()
                    .startsWith(QStringLiteral("Not signed")));
        const QJsonObject shown = QJsonDocument::fromJson(m_window->preview()->token()).object();
        QVERIFY(!shown.isEmpty());
        for (const char* jwtOnly : {"iss", "aud", "iat", "exp", "jti"})
            QVERIFY2(!shown.contains(QLatin1String(jwtOnly)), jwtOnly);
        QVERIFY(shown.contains(QStringLiteral("software_statement")));
        // Preflight follows the format: the envelope's rules are silent, the form's envelope
        // claims are named as left out.
        const QStringList rules = findingRules();
        QVERIFY2(rules.contains(QStringLiteral("json-jwt-claim")), qPrintable(rules.join(u',')));
        // The form's envelope claims are disabled and say why; the other claims stay editable.
        for (const char* envelope : {"claim_iss", "claim_aud", "claim_exp", "claim_jti"}) {
            auto* field = m_window->findChild<QWidget*>(QLatin1String(envelope));
            QVERIFY2(field && !field->isEnabledTo(m_window.get()), envelope);
        }
        QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("claim_jti"))
                    ->parentWidget()
                    ->toolTip()
                    .contains(QStringLiteral("RFC 7591")));
        QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("claim_software_id"))
                    ->isEnabledTo(m_window.get()));
        const QString summary =
            m_window->findChild<QLabel*>(QStringLiteral("preflightSummary"))->text();
        QVERIFY2(summary.startsWith(QStringLiteral("Preflight (JSON body, RFC 7591):")),
                 qPrintable(summary));
        for (const char* silent : {"iat-future", "exp-past", "jti-format", "aud-format"})
            QVERIFY2(!rules.contains(QLatin1String(silent)), silent);

        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        const quint64 signaturesBefore = JwsSigner::signaturesMade();
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        QCOMPARE(JwsSigner::signaturesMade(), signaturesBefore);
        const auto result = finished.at(0).at(0).value<SubmissionResult>();
        QVERIFY2(result.exchange.completed(),
                 result.exchange.failure ? qPrintable(result.exchange.failure->message) : "");
        const auto record = m_session->historyRecord(result.historyId);
        QVERIFY(record);
        QCOMPARE(record->contentType, QByteArray("application/json"));
        QTRY_COMPARE(recorder.receivedRequests().size(), 1);
        const QByteArray raw = recorder.receivedRequests().first();
        QCOMPARE(raw.mid(raw.indexOf("\r\n\r\n") + 4), record->requestJwt);
        QVERIFY(raw.toLower().contains("content-type: application/json"));
        QCOMPARE(QJsonDocument::fromJson(record->requestJwt).object(), record->requestClaims);

        m_controller->selectProfile(QString::fromLatin1(Session::SandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        m_window->refreshNow();
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("preflightSummary"))
                    ->text()
                    .startsWith(QStringLiteral("Preflight (signed JWT body)")));
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("endpoint"))
                    ->text()
                    .contains(QStringLiteral("signed JWT body")));
        QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("claim_jti"))
                    ->isEnabledTo(m_window.get()));
    }

    // The OBIE 3.3 ready profile: register, then the whole lifecycle from the Clients tab with
    // client_credentials tokens from the embedded sandbox's token endpoint.
    void clientsLifecycleOnTheObieSandbox() {
        m_controller->selectProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        QVERIFY(m_controller->endpoint().path().endsWith(QStringLiteral("/register")));
        // The kit's own request is clean under OBIE DCR 3.3's rules (and FAPI's warnings).
        m_window->refreshNow();
        QStringList errors;
        for (const auto& f : m_window->preflight()->findings())
            if (f.severity == Severity::Error)
                errors << f.rule + QStringLiteral(": ") + f.message;
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        auto result = finished.takeFirst().at(0).value<SubmissionResult>();
        QCOMPARE(result.exchange.status, 201);
        const QString clientId = result.outcome.clientId();
        QVERIFY(!clientId.isEmpty());

        ClientsPanel* panel = m_window->clientsPanel();
        QTRY_COMPARE(panel->table()->rowCount(), 1);
        // Read on the history reader's thread: the status says so until the rows arrive.
        QTRY_VERIFY(!panel->isLoading());
        panel->findChild<QPushButton*>(QStringLiteral("clientsRefresh"))->click();
        QVERIFY(panel->isLoading());
        QCOMPARE(panel->status()->text(),
                 QStringLiteral("Reading the registered clients from the history…"));
        QTRY_VERIFY(!panel->isLoading());
        QCOMPARE(panel->status()->level(), Notice::Level::Info);
        QCOMPARE(panel->status()->text(),
                 QStringLiteral("1 registered client(s) in this profile's history."));
        QCOMPARE(panel->table()->rowCount(), 1);
        panel->selectClient(clientId);
        QCOMPARE(panel->selectedClientId(), clientId);
        QCOMPARE(panel->table()->item(0, 1)->text(), QStringLiteral("active"));

        QSignalSpy tokens(m_controller.get(), &ConsoleController::tokenReceived);
        panel->findChild<QPushButton*>(QStringLiteral("clientGet"))->click();
        QVERIFY(finished.wait(20000));
        QCOMPARE(tokens.count(), 1); // a client_credentials token first (OBIE)
        result = finished.takeFirst().at(0).value<SubmissionResult>();
        QCOMPARE(result.exchange.status, 200);
        QCOMPARE(result.outcome.kind, OutcomeKind::Retrieved);
        const auto row = m_session->historyRecord(result.historyId);
        QVERIFY(row);
        QCOMPARE(row->clientId, clientId);

        // Delete asks first; declining sends nothing.
        panel->setDeleteConfirmation([](const QString&) { return false; });
        QSignalSpy started(m_controller.get(), &ConsoleController::sendStarted);
        panel->findChild<QPushButton*>(QStringLiteral("clientDelete"))->click();
        QTest::qWait(200);
        QCOMPARE(started.count(), 0);
        QString asked;
        panel->setDeleteConfirmation([&asked](const QString& id) {
            asked = id;
            return true;
        });
        panel->findChild<QPushButton*>(QStringLiteral("clientDelete"))->click();
        QVERIFY(finished.wait(20000));
        QCOMPARE(asked, clientId);
        result = finished.takeFirst().at(0).value<SubmissionResult>();
        QCOMPARE(result.exchange.status, 204);
        QCOMPARE(result.outcome.kind, OutcomeKind::Deleted);
        QTRY_COMPARE(panel->table()->item(0, 1)->text(), QStringLiteral("deleted"));

        // No token for a deleted client: the token endpoint's refusal is shown, not a crash.
        panel->selectClient(clientId);
        panel->findChild<QPushButton*>(QStringLiteral("clientToken"))->click();
        QVERIFY(tokens.wait(20000));
        const auto refused = tokens.last().at(0).value<TokenResult>();
        QVERIFY(refused.exchange.completed());
        QVERIFY(!refused.response.ok);
        QCOMPARE(refused.response.error, QStringLiteral("invalid_client"));
        QTRY_VERIFY(m_window->noticeLabel()->text().contains(QStringLiteral("invalid_client")));
        QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Error);

        m_controller->selectProfile(QString::fromLatin1(Session::SandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
    }

    // Saving a profile in the dialog keeps what the dialog does not show (the embedded sandbox's
    // mode) and saves the lifecycle settings it does show.
    void profilesDialogKeepsWhatItDoesNotShow() {
        ProfilesDialog dialog(m_controller.get(), m_window.get());
        auto* list = dialog.findChild<QListWidget*>();
        QVERIFY(list);
        const auto items =
            list->findItems(QString::fromLatin1(Session::ObieSandboxProfileName), Qt::MatchExactly);
        QCOMPARE(items.size(), 1);
        list->setCurrentItem(items.first());
        auto* scope = dialog.findChild<QLineEdit*>(QStringLiteral("profileTokenScope"));
        QVERIFY(scope);
        scope->setText(QStringLiteral("accounts"));
        dialog.findChild<QPushButton*>(QStringLiteral("profileSave"))->click();
        const auto saved = m_session->profile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QVERIFY(saved);
        QCOMPARE(saved->tokenScope, QStringLiteral("accounts"));
        QCOMPARE(saved->sandboxMode, SandboxMode::Obie);
        QCOMPARE(saved->lifecycleAuth, LifecycleAuth::Obie);
        QCOMPARE(saved->tokenAuthMethod, ClientAuthMethod::TlsClientAuth);
        QVERIFY(saved->embeddedSandbox);
    }

    // #21.4: the profile's "Other origins tokens may go to" is a plain text field, saved as the
    // origins the session lets a bearer token go to (besides the registration endpoint's).
    void profilesDialogSavesTokenOrigins() {
        ProfilesDialog dialog(m_controller.get(), m_window.get());
        auto* list = dialog.findChild<QListWidget*>();
        const auto items =
            list->findItems(QString::fromLatin1(Session::ObieSandboxProfileName), Qt::MatchExactly);
        QCOMPARE(items.size(), 1);
        list->setCurrentItem(items.first());
        auto* origins = dialog.findChild<QLineEdit*>(QStringLiteral("profileTokenOrigins"));
        QVERIFY(origins);
        QVERIFY(origins->text().isEmpty());
        origins->setText(QStringLiteral("https://mtls.bank.example:8443, HTTPS://Bank.example/"));
        dialog.findChild<QPushButton*>(QStringLiteral("profileSave"))->click();
        auto saved = m_session->profile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QVERIFY(saved);
        QCOMPARE(saved->tokenOrigins, (QStringList{QStringLiteral("https://mtls.bank.example:8443"),
                                                   QStringLiteral("https://bank.example")}));
        QCOMPARE(m_session->tokenOrigins(*saved).allowed, saved->tokenOrigins);
        // Shown again as saved (saving rebuilt the list), and cleared for the tests after this.
        const auto again =
            list->findItems(QString::fromLatin1(Session::ObieSandboxProfileName), Qt::MatchExactly);
        QCOMPARE(again.size(), 1);
        list->setCurrentItem(again.first());
        QCOMPARE(origins->text(),
                 QStringLiteral("https://mtls.bank.example:8443 https://bank.example"));
        origins->clear();
        dialog.findChild<QPushButton*>(QStringLiteral("profileSave"))->click();
        saved = m_session->profile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QVERIFY(saved->tokenOrigins.isEmpty());
    }

    // The Test plan tab: run the built-in plan on the seed sandbox, cancel midway (no attempt left
    // "sending"), run again to the end, read a scenario, open its history entry, export JUnit.
    void testPlanTabRunsCancelsAndOpensHistory() {
        QTRY_VERIFY(m_controller->isProfileReady());
        TestPlanPanel* panel = m_window->testPlanPanel();
        HistoryQuery sending;
        sending.outcome = QStringLiteral("sending");
        const qint64 sendingBefore = *m_session->historyCount(sending); // the lazy-load test's
        QSignalSpy finished(m_controller.get(), &ConsoleController::testRunFinished);
        QSignalSpy progress(m_controller.get(), &ConsoleController::testProgress);
        panel->runButton()->click();
        QVERIFY(m_controller->isTestRunning());
        QVERIFY(!m_window->sendAction()->isEnabled()); // one thing in flight at a time
        QVERIFY(progress.wait(20000));
        panel->cancelButton()->click();
        QVERIFY(finished.wait(20000));
        auto summary = finished.takeFirst().at(0).value<TestRunSummary>();
        QVERIFY(summary.cancelled);
        QVERIFY(summary.results.size() < TestPlan::builtIn().scenarios.size());
        QCOMPARE(*m_session->historyCount(sending), sendingBefore); // none left by the cancel
        QVERIFY(m_window->sendAction()->isEnabled());

        panel->runButton()->click();
        QVERIFY(finished.wait(120000));
        summary = finished.takeFirst().at(0).value<TestRunSummary>();
        QVERIFY(!summary.cancelled);
        QCOMPARE(summary.results.size(), TestPlan::builtIn().scenarios.size());
        QVERIFY2(summary.allMet(), QJsonDocument(summary.toJson()).toJson().constData());
        QCOMPARE(panel->results()->rowCount(), summary.results.size());
        QCOMPARE(panel->pastRuns()->count(), 2);

        // A refused scenario: its masked request and answer, then its attempt in the history.
        int row = -1;
        for (int i = 0; i < summary.results.size(); ++i)
            if (summary.results.at(i).httpStatus >= 400 && row < 0)
                row = i;
        QVERIFY(row >= 0);
        panel->results()->selectRow(row);
        QVERIFY(panel->detail()->toPlainText().contains(summary.results.at(row).scenarioId));
        panel->findChild<QPushButton*>(QStringLiteral("testShowHistory"))->click();
        QCOMPARE(m_window->findChild<QTabWidget*>(QStringLiteral("tabs"))->currentWidget(),
                 static_cast<QWidget*>(m_window->historyPanel()));
        QTRY_COMPARE(m_window->historyPanel()->selectedIds(),
                     QList<qint64>{summary.results.at(row).historyIds.last()});

        const QString junit = m_dir.filePath(QStringLiteral("run.xml"));
        QVERIFY(panel->exportJunit(junit).ok());
        QXmlStreamReader xml(test::readFile(junit));
        int testcases = 0;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"testcase")
                ++testcases;
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(testcases, summary.results.size());
        m_window->historyPanel()->filterEdit()->clear();

        // After a restart (another session on the same folders) both runs can be re-opened.
        {
            Session again(AppPaths::under(m_dir.path()));
            ConsoleController later(&again);
            const QList<TestRunSummary> saved = later.savedTestRuns();
            QCOMPARE(saved.size(), 2);
            QCOMPARE(saved.last().runId, summary.runId);
            MainWindow window(&later);
            QComboBox* pastRuns = window.testPlanPanel()->pastRuns();
            QCOMPARE(pastRuns->count(), 2);
            emit pastRuns->activated(1);
            QCOMPARE(window.testPlanPanel()->shownRun()->runId, summary.runId);
            QCOMPARE(window.testPlanPanel()->results()->rowCount(), summary.results.size());
        }
    }

    // The embedded sandbox comes back on its previous port, and on another one when that is taken.
    void sandboxKeepsItsPortAcrossSessions() {
        const AppPaths paths = AppPaths::under(m_dir.path());
        const int first = m_controller->endpoint().port();
        QVERIFY(first > 0);
        int second = 0;
        {
            Session session(paths);
            ConsoleController busy(&session); // the first session still holds its port
            busy.start();
            QTRY_VERIFY(busy.isProfileReady());
            QVERIFY(session.sandboxRunning());
            second = busy.endpoint().port();
            QVERIFY(second > 0);
            QVERIFY(second != first);
        }
        Session session(paths);
        ConsoleController next(&session);
        next.start();
        QTRY_VERIFY(next.isProfileReady());
        QVERIFY(session.sandboxRunning());
        QCOMPARE(next.endpoint().port(), second);
    }

    // A console on a shared history whose server is down shows its window without connecting
    // first ("Connecting to the shared history…"), sends into the outbox, and when the server
    // starts, connects from its reader thread, uploads, and shows the shared rows.
    void sharedHistoryConnectsAfterTheWindowShows() {
        PostgresCluster pg;
        const QString started = pg.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QString error;
        const QString url = pg.createDatabase(QStringLiteral("console"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        QTemporaryDir bobsDir;
        {
            HistoryOptions bob;
            bob.localPath = bobsDir.filePath(QStringLiteral("bob-local.sqlite"));
            bob.writer = {QStringLiteral("bob"), QStringLiteral("bobs-laptop"), 4242, {}};
            auto store = HistoryStore::open(url, bob);
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
            SubmissionStart s;
            s.softwareId = QStringLiteral("shared-by-bob");
            QVERIFY(*(*store)->begin(s) > 0);
        }
        pg.suspend();

        // The kit and settings of this test's console; its own history location.
        AppPaths paths = AppPaths::under(m_dir.path());
        paths.historyDb = url;
        paths.historyDbIsDefault = false;
        Session session(paths);
        session.setShareRetryMs(200);
        ConsoleController controller(&session);
        controller.start();
        MainWindow window(&controller);
        HistoryPanel* panel = window.historyPanel();
        // open() did not try the server (it would know it is away by now): not yet connected.
        QCOMPARE(session.historyConnection(), HistoryStore::Connection::NotYetConnected);
        QVERIFY(session.hasHistory());
        QVERIFY(!panel->connectionLabel()->isHidden());
        QCOMPARE(panel->connectionLabel()->text(),
                 QStringLiteral("Connecting to the shared history…"));
        window.setSendConfirmation([](int) { return true; });
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(session.historyConnection(),
                                  HistoryStore::Connection::Unreachable, 20000);
        QCOMPARE(panel->connectionLabel()->text(), QStringLiteral("Shared history unreachable"));
        // The Clients view could not read the history: its message area says so, as an error.
        QTRY_COMPARE(window.clientsPanel()->status()->level(), Notice::Level::Error);
        QVERIFY2(window.clientsPanel()->status()->text().contains(
                     QStringLiteral("could not be read from the history")),
                 qPrintable(window.clientsPanel()->status()->text()));

        // Sending is not blocked: the row is written (to the outbox) before the request leaves.
        QTRY_VERIFY_WITH_TIMEOUT(controller.isProfileReady(), 20000);
        QSignalSpy finished(&controller, &ConsoleController::sendFinished);
        window.sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        const auto result = finished.takeFirst().at(0).value<SubmissionResult>();
        QVERIFY2(result.historyId < 0, "not kept in the outbox");
        QCOMPARE(session.unsharedCount(), 1);
        auto* unshared = panel->findChild<QLabel*>(QStringLiteral("historyUnshared"));
        QTRY_VERIFY(!unshared->isHidden());
        QCOMPARE(unshared->text(), QStringLiteral("1 submission(s) not yet shared"));

        const QString resumed = pg.resume();
        QVERIFY2(resumed.isEmpty(), qPrintable(resumed));
        QTRY_COMPARE_WITH_TIMEOUT(session.historyConnection(), HistoryStore::Connection::Connected,
                                  30000);
        QVERIFY(panel->connectionLabel()->isHidden());
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->totalCount(), 2, 20000);
        QTRY_COMPARE(panel->model()->rowCount(), 2);
        QStringList shown;
        for (int i = 0; i < panel->model()->rowCount(); ++i)
            shown << panel->model()->record(i).softwareId;
        QVERIFY2(shown.contains(QStringLiteral("shared-by-bob")), qPrintable(shown.join(u',')));
        QCOMPARE(session.unsharedCount(), 0);
        QTRY_VERIFY(unshared->isHidden());
        QTRY_COMPARE(window.clientsPanel()->status()->level(), Notice::Level::Info);
    }
};

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
