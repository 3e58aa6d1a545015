// Issue #25.2 in the console: after a registration the bank read but never answered, Send of the
// same registration shows the warning in the message bar and asks before sending ("Register
// again"); declining sends nothing. The Clients view lists the attempt as "answer lost" with what
// can be done, until a later registration there is answered. One console per test function
// (ConsoleFixture.h).
#include "ClientsPanel.h"
#include "ConsoleFixture.h"
#include "MessageWidget.h"
#include "ScriptedServer.h"
#include "history/HistoryReader.h"

#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QTableWidget>

#include <memory>

using namespace dcr;
using namespace dcr::ui;
using namespace dcr::test;

class TestConsoleLost : public ConsoleFixture {
    Q_OBJECT

private slots:
    void init() { startConsole(); }
    void cleanup() { stopConsole(); }

    void aLostAnswerIsConfirmedBeforeSendingAgainAndListedInClients() {
        const SandboxKit kit = *m_controller->sandboxKit();
        const QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
        bool answering = false;
        ScriptedServer bank(ScriptedServer::Behaviour::Custom, &tls);
        bank.setResponder([&answering](QTcpSocket* socket, const QByteArray&) {
            if (!answering)
                return; // reads the registration, never answers
            socket->write(ScriptedServer::jsonResponse("201 Created",
                                                       R"({"client_id":"c-console-after-loss"})"));
            socket->disconnectFromHost();
        });
        Profile p = kitProfile(kit, QStringLiteral("Silent bank"), bank.port());
        p.signingKeyPath = kit.path(QStringLiteral("tpp-signing-key.pem"));
        p.timeoutSeconds = 3; // the deadline covers the handshake too (slow under ASan)
        QVERIFY(m_controller->saveProfile(p).ok());
        m_controller->selectProfile(p.name);
        QTRY_VERIFY(m_controller->isProfileReady());
        QTRY_VERIFY(m_window->sendAction()->isEnabled());

        QStringList asked;
        bool registerAgain = false;
        m_window->setRegisterAgainConfirmation([&](const QString& warning) {
            asked << warning;
            return registerAgain;
        });

        // The first attempt: nothing earlier to warn of; the bank stays silent until the timeout.
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        const auto lost = finished.takeFirst().at(0).value<SubmissionResult>();
        QVERIFY(!lost.exchange.completed());
        QCOMPARE(lost.exchange.failure->kind, ErrorKind::NetworkTimeout);
        QVERIFY(asked.isEmpty());
        QCOMPARE(bank.receivedRequests().size(), 1);
        const QString id = QString::number(lost.historyId);

        // Send again: the warning in the message bar and the question; declined, nothing is sent.
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
        QSignalSpy started(m_controller.get(), &ConsoleController::sendStarted);
        m_window->sendAction()->trigger();
        // Looked for on the history reader's thread: the window is not held while it reads
        // (a slow shared server). From the moment Send is pressed the console is busy checking:
        // Send is off, Cancel on; the question follows the answer.
        QCOMPARE(m_controller->sendState(), ConsoleController::SendState::Checking);
        QVERIFY(m_controller->isSending());
        QVERIFY(asked.isEmpty());
        QVERIFY(!m_window->sendAction()->isEnabled());
        QVERIFY(m_window->cancelAction()->isEnabled());
        QTRY_COMPARE(asked.size(), 1);
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
        QCOMPARE(m_controller->sendState(), ConsoleController::SendState::Idle); // declined
        QVERIFY(!m_window->cancelAction()->isEnabled());
        QVERIFY2(asked.first().contains(QStringLiteral("got no answer (timeout)")) &&
                     asked.first().contains(QStringLiteral("see history #") + id),
                 qPrintable(asked.first()));
        QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Warning);
        QCOMPARE(m_window->messageWidget()->text(), asked.first());
        QCOMPARE(started.count(), 0);
        QCOMPARE(bank.receivedRequests().size(), 1);

        // The Clients view: the attempt as "answer lost", with the advice; no command applies.
        // Nobody clicks Refresh: the view follows the history.
        m_window->showTab(QStringLiteral("Clients"));
        ClientsPanel* panel = m_window->clientsPanel();
        auto firstCell = [panel] {
            return panel->table()->rowCount() == 1 && !panel->isLoading()
                       ? panel->table()->item(0, 0)->text()
                       : QString();
        };
        QTRY_COMPARE(firstCell(), QStringLiteral("(answer lost)"));
        const QString status = panel->table()->item(0, 1)->text();
        QVERIFY2(status.startsWith(QStringLiteral("answer lost: registration of ")) &&
                     status.endsWith(QStringLiteral("history #") + id),
                 qPrintable(status));
        QVERIFY2(panel->table()->item(0, 1)->toolTip().contains(
                     QStringLiteral("register again deliberately")),
                 qPrintable(panel->table()->item(0, 1)->toolTip()));
        QCOMPARE(panel->status()->level(), Notice::Level::Warning);
        QVERIFY2(
            panel->status()->text().contains(QStringLiteral("1 registration(s) got no answer")),
            qPrintable(panel->status()->text()));
        panel->table()->selectRow(0);
        QVERIFY(panel->selectedClientId().isEmpty());
        QVERIFY(!panel->findChild<QPushButton*>(QStringLiteral("clientGet"))->isEnabled());

        // "Register again": sent, and answered this time.
        answering = true;
        registerAgain = true;
        m_window->sendAction()->trigger();
        QTRY_COMPARE(asked.size(), 2);
        // The answer may already have come while the question was waited for.
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
        const auto answered = finished.takeFirst().at(0).value<SubmissionResult>();
        QCOMPARE(answered.exchange.status, 201);
        QCOMPARE(bank.receivedRequests().size(), 2);

        // Answered since: the Clients view lists the client and no lost answer, and the next
        // Send asks nothing.
        QTRY_COMPARE(firstCell(), QStringLiteral("c-console-after-loss"));
        QCOMPARE(panel->status()->level(), Notice::Level::Info);
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        QCOMPARE(asked.size(), 2);
        QCOMPARE(bank.receivedRequests().size(), 3);
        const auto last = finished.takeFirst().at(0).value<SubmissionResult>();

        // Review of #25.2: a change of the history by other means than a send (the answered
        // rows removed) shows without Refresh: the attempt is lost again, the client gone.
        QTRY_COMPARE(firstCell(), QStringLiteral("c-console-after-loss"));
        QVERIFY(m_controller->session()->removeHistory({answered.historyId, last.historyId}).ok());
        QTRY_COMPARE(firstCell(), QStringLiteral("(answer lost)"));
        QCOMPARE(panel->status()->level(), Notice::Level::Warning);
    }

    // Cancel while the history is still being looked at: nothing is sent, not even when the
    // reader's answer comes later, and the console is idle again at once. The reader is held
    // (one worker thread runs every lane in turn) by a read queued before the check, so the
    // check is certainly still running when Cancel is pressed.
    void aCancelWhileCheckingSendsNothing() {
        const SandboxKit kit = *m_controller->sandboxKit();
        const QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
        ScriptedServer bank(ScriptedServer::Behaviour::Ok, &tls);
        Profile p = kitProfile(kit, QStringLiteral("Held check"), bank.port());
        p.signingKeyPath = kit.path(QStringLiteral("tpp-signing-key.pem"));
        QVERIFY(m_controller->saveProfile(p).ok());
        m_controller->selectProfile(p.name);
        QTRY_VERIFY(m_controller->isProfileReady());
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
        HistoryReader* reader = m_session->historyReader();
        QVERIFY(reader);
        QTRY_VERIFY(!reader->isLoading());

        // Shared with the reader thread, which may outlive a failed check of this test.
        auto entered = std::make_shared<QSemaphore>();
        auto release = std::make_shared<QSemaphore>();
        const auto releaser = qScopeGuard([release] { release->release(); });
        reader->requestRecords(HistoryLane::Export, [entered, release](HistoryStore&) {
            entered->release();
            release->acquire();
            return Result<QList<SubmissionRecord>>(QList<SubmissionRecord>{});
        });
        QVERIFY(entered->tryAcquire(1, 10000)); // the reader thread is held from here on

        QSignalSpy started(m_controller.get(), &ConsoleController::sendStarted);
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        QSignalSpy states(m_controller.get(), &ConsoleController::sendStateChanged);
        m_window->sendAction()->trigger();
        QCOMPARE(m_controller->sendState(), ConsoleController::SendState::Checking);
        QVERIFY(!m_window->sendAction()->isEnabled());
        QVERIFY(m_window->cancelAction()->isEnabled());
        m_window->cancelAction()->trigger();
        QCOMPARE(m_controller->sendState(), ConsoleController::SendState::Idle);
        QVERIFY(m_window->sendAction()->isEnabled());
        QVERIFY(!m_window->cancelAction()->isEnabled());
        QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Info);
        QVERIFY2(m_window->messageWidget()->text().startsWith(
                     QStringLiteral("Cancelled: nothing was sent")),
                 qPrintable(m_window->messageWidget()->text()));
        QCOMPARE(states.count(), 2); // Checking, then Idle

        // The reader goes on and answers the cancelled check: it is dropped.
        release->release();
        // Every answer delivered: a send the late answer started would have begun in it.
        QTRY_VERIFY(!reader->isLoading());
        QCOMPARE(started.count(), 0);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(bank.receivedRequests().size(), 0);
        QCOMPARE(m_controller->sendState(), ConsoleController::SendState::Idle);

        // The next Send checks afresh and sends.
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        QCOMPARE(bank.receivedRequests().size(), 1);
    }
};

QTEST_MAIN(TestConsoleLost)
#include "tst_console_lost.moc"
