// Issue #25.2 in the console: after a registration the bank read but never answered, Send of the
// same registration shows the warning in the message bar and asks before sending ("Register
// again"); declining sends nothing. The Clients view lists the attempt as "answer lost" with what
// can be done, until a later registration there is answered. One console per test function
// (ConsoleFixture.h).
#include "ClientsPanel.h"
#include "ConsoleFixture.h"
#include "MessageWidget.h"
#include "ScriptedServer.h"

#include <QPushButton>
#include <QTableWidget>

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
        const QSslConfiguration tls = kitServerTls(kit);
        bool answering = false;
        ScriptedServer bank(ScriptedServer::Behaviour::Custom, &tls);
        bank.setResponder([&answering](QTcpSocket* socket, const QByteArray&) {
            if (!answering)
                return; // reads the registration, never answers
            const QByteArray body = R"({"client_id":"c-console-after-loss"})";
            socket->write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                          "Content-Length: " +
                          QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
        Profile p = kitProfile(kit, QStringLiteral("Silent bank"), bank.port());
        p.signingKeyPath = kit.path(QStringLiteral("tpp-signing-key.pem"));
        p.timeoutSeconds = 1;
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
        // (a slow shared server), Send is off meanwhile, and the question follows the answer.
        QVERIFY(m_controller->isCheckingLost());
        QVERIFY(asked.isEmpty());
        QVERIFY(!m_window->sendAction()->isEnabled());
        QTRY_COMPARE(asked.size(), 1);
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
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
};

QTEST_MAIN(TestConsoleLost)
#include "tst_console_lost.moc"
