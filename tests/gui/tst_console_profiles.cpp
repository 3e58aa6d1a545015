// Profiles and clients: the Profiles dialog, the Clients tab's lifecycle, the sandbox's port.
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
#include "Tone.h"
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

class TestConsoleProfiles : public ConsoleFixture {
    Q_OBJECT

private slots:
    void init() { startConsole(); }
    void cleanup() { stopConsole(); }

    // Issue #24: the Open Finance Brasil and CDR ready profiles in a few clicks: Send (a JSON
    // body / a signed JWT, each with a freshly minted SSA), then Clients → Get (the RAT / a
    // cdr:registration token first) and Delete, with the kit's request clean under the spec.
    void clientsLifecycleOnTheOfbAndCdrSandboxes_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<int>("tokensBeforeGet");
        QTest::newRow("ofb") << QString::fromLatin1(Session::OfbSandboxProfileName) << 0;
        QTest::newRow("cdr") << QString::fromLatin1(Session::CdrSandboxProfileName) << 1;
    }
    void clientsLifecycleOnTheOfbAndCdrSandboxes() {
        QFETCH(QString, profile);
        QFETCH(int, tokensBeforeGet);
        m_controller->selectProfile(profile);
        QTRY_VERIFY(m_controller->isProfileReady());
        m_window->refreshNow();
        QStringList errors;
        for (const auto& f : m_window->preflight()->findings())
            if (f.severity == Severity::Error)
                errors << f.rule + QStringLiteral(": ") + f.message;
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        // A draft whose SSA has gone stale (an hour old: past Brazil's 5 minutes and the CDR's
        // 10-minute expiry) is neither reported stale nor sent stale: both mint a fresh one.
        const SandboxMode mode = profile == QString::fromLatin1(Session::OfbSandboxProfileName)
                                     ? SandboxMode::Ofb
                                     : SandboxMode::Cdr;
        RegistrationRequest stale = m_controller->request();
        stale.setString(QStringLiteral("software_statement"),
                        QString::fromLatin1(*m_session->sandboxKit()->mintSoftwareStatement(
                            mode, QDateTime::currentDateTimeUtc().addSecs(-3600))));
        m_controller->setRequest(stale);
        m_window->refreshNow();
        for (const auto& f : m_window->preflight()->findings())
            QVERIFY2(f.severity != Severity::Error, qPrintable(f.rule + u' ' + f.message));
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        auto result = finished.takeFirst().at(0).value<SubmissionResult>();
        QVERIFY2(result.exchange.status == 201, result.exchange.responseBody.constData());
        const QString clientId = result.outcome.clientId();
        QVERIFY(!clientId.isEmpty());
        // The SSA sent is not the draft's: each send mints one.
        const QString sent =
            result.plan.claims.value(QStringLiteral("software_statement")).toString();
        QVERIFY(!sent.isEmpty());
        QVERIFY(sent != m_controller->request().softwareStatement());

        ClientsPanel* panel = m_window->clientsPanel();
        QTRY_COMPARE(panel->table()->rowCount(), 1);
        QTRY_VERIFY(!panel->isLoading());
        panel->selectClient(clientId);
        QSignalSpy tokens(m_controller.get(), &ConsoleController::tokenReceived);
        panel->findChild<QPushButton*>(QStringLiteral("clientGet"))->click();
        QVERIFY(finished.wait(20000));
        QCOMPARE(tokens.count(), tokensBeforeGet);
        result = finished.takeFirst().at(0).value<SubmissionResult>();
        QVERIFY2(result.exchange.status == 200, result.exchange.responseBody.constData());
        QCOMPARE(result.outcome.kind, OutcomeKind::Retrieved);
        panel->setDeleteConfirmation([](const QString&) { return true; });
        panel->findChild<QPushButton*>(QStringLiteral("clientDelete"))->click();
        QVERIFY(finished.wait(20000));
        result = finished.takeFirst().at(0).value<SubmissionResult>();
        QCOMPARE(result.exchange.status, 204);
        QTRY_VERIFY(panel->table()->item(0, 1)->text().startsWith(QStringLiteral("deleted ")));
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
        QVERIFY(panel->table()->item(0, 1)->text().startsWith(QStringLiteral("active ")));

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
        // The question is asked and answered within the click, so nothing can start after it.
        int declined = 0;
        panel->setDeleteConfirmation([&declined](const QString&) {
            ++declined;
            return false;
        });
        QSignalSpy started(m_controller.get(), &ConsoleController::sendStarted);
        panel->findChild<QPushButton*>(QStringLiteral("clientDelete"))->click();
        QCOMPARE(declined, 1);
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
        QTRY_VERIFY(panel->table()->item(0, 1)->text().startsWith(QStringLiteral("deleted ")));

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

    // #22.6: Get after Delete asks for a token (the OBIE way) and the token endpoint refuses the
    // deleted client. That token request is a history row like every request (its assertion
    // masked in every view and export), no GET is sent, and the message says why from the
    // history: the client is deleted at the bank. #22.7: after a restart on the same history the
    // status is the history's newest evidence, with its date.
    void getAfterDeleteRecordsTheRefusedTokenAndSaysWhy() {
        m_controller->selectProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        const QString clientId =
            finished.takeFirst().at(0).value<SubmissionResult>().outcome.clientId();
        QVERIFY(!clientId.isEmpty());
        ClientsPanel* panel = m_window->clientsPanel();
        QTRY_COMPARE(panel->table()->rowCount(), 1);
        QTRY_VERIFY(!panel->isLoading());
        panel->selectClient(clientId);
        panel->setDeleteConfirmation([](const QString&) { return true; });
        QSignalSpy tokens(m_controller.get(), &ConsoleController::tokenReceived);
        panel->findChild<QPushButton*>(QStringLiteral("clientDelete"))->click();
        QVERIFY(finished.wait(20000));
        const auto deleted = finished.takeFirst().at(0).value<SubmissionResult>();
        QCOMPARE(deleted.exchange.status, 204);
        QCOMPARE(tokens.count(), 1);
        const auto issued = tokens.takeFirst().at(0).value<TokenResult>();
        QVERIFY(issued.historyId != 0); // recorded too
        QVERIFY(!issued.response.accessToken.isEmpty());
        QTRY_VERIFY(panel->table()->item(0, 1)->text().startsWith(QStringLiteral("deleted ")));

        const qint64 rowsBefore = *m_session->historyCount();
        QSignalSpy started(m_controller.get(), &ConsoleController::sendStarted);
        panel->selectClient(clientId);
        panel->findChild<QPushButton*>(QStringLiteral("clientGet"))->click();
        QVERIFY(tokens.wait(20000));
        const auto refused = tokens.takeFirst().at(0).value<TokenResult>();
        QVERIFY(refused.exchange.completed());
        QCOMPARE(refused.response.error, QStringLiteral("invalid_client"));
        QCOMPARE(started.count(), 0); // no token, no GET
        QCOMPARE(*m_session->historyCount(), rowsBefore + 1);
        const auto row = m_session->historyRecord(refused.historyId);
        QVERIFY(row);
        QCOMPARE(row->clientId, clientId);
        QCOMPARE(row->method, QByteArray("POST"));
        QCOMPARE(row->url, m_session->tokenEndpoint(m_controller->currentProfile()).toString());
        QCOMPARE(row->contentType, QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(row->state, QStringLiteral("completed"));
        QCOMPARE(row->responseStatus, refused.exchange.status);
        QCOMPARE(row->errorCode, QStringLiteral("invalid_client"));
        // What went over the wire, as it was (this profile authenticates with tls_client_auth:
        // the form carries no credential; tst_client_status masks an assertion and a secret).
        QCOMPARE(row->requestJwt, "grant_type=client_credentials&client_id=" + clientId.toLatin1());
        // The token the delete was authorised with is in its row as issued, masked when shown.
        const auto issuedRow = m_session->historyRecord(issued.historyId);
        QVERIFY(issuedRow);
        QVERIFY(issuedRow->responseBody.contains(issued.response.accessToken));
        QVERIFY(!QJsonDocument(issuedRow->toJson()).toJson().contains(issued.response.accessToken));
        QVERIFY(!m_session->exportHistoryJson({issued.historyId}, false)
                     ->contains(issued.response.accessToken));
        QVERIFY(m_session->exportHistoryJson({issued.historyId}, true)
                    ->contains(issued.response.accessToken));
        QTRY_VERIFY2(m_window->noticeLabel()->text().contains(
                         QStringLiteral("this client is deleted at the bank")),
                     qPrintable(m_window->noticeLabel()->text()));
        QVERIFY(m_window->noticeLabel()->text().contains(
            QStringLiteral("history #%1").arg(deleted.historyId)));
        QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Error);
        // The refusal is the newest evidence: still deleted, checked at the refusal.
        const QString when =
            row->completed.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        const QString status = QStringLiteral("deleted %1 (token refused, HTTP %2, invalid_client)")
                                   .arg(when)
                                   .arg(refused.exchange.status);
        QTRY_COMPARE(panel->table()->item(0, 1)->text(), status);

        // A restart: a new session, controller and window on the same history.
        m_window.reset();
        m_controller.reset();
        m_session.reset();
        m_session = std::make_unique<Session>(consolePaths());
        m_controller = std::make_unique<ConsoleController>(m_session.get());
        m_controller->start();
        m_window = std::make_unique<MainWindow>(m_controller.get());
        m_window->show();
        QTRY_VERIFY(m_controller->isProfileReady());
        m_controller->selectProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        panel = m_window->clientsPanel();
        QTRY_COMPARE(panel->table()->rowCount(), 1);
        QTRY_VERIFY(!panel->isLoading());
        QCOMPARE(panel->table()->item(0, 0)->text(), clientId);
        QCOMPARE(panel->table()->item(0, 1)->text(), status);
        QCOMPARE(panel->table()->item(0, 1)->toolTip(),
                 QStringLiteral("The bank's newest answer about this client: history #%1")
                     .arg(refused.historyId));
    }

    // #22.7: a client someone deleted at the bank outside this history stays "active" only
    // until the bank refuses it; from then on, restart or not, the history's refusal is shown.
    void aClientTheBankRefusesIsShownRefusedAfterARestart() {
        m_controller->selectProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        QVERIFY(finished.wait(20000));
        const QString clientId =
            finished.takeFirst().at(0).value<SubmissionResult>().outcome.clientId();
        ClientsPanel* panel = m_window->clientsPanel();
        QTRY_COMPARE(panel->table()->rowCount(), 1);
        QTRY_VERIFY(panel->table()->item(0, 1)->text().startsWith(QStringLiteral("active ")));
        // Deleted at the bank behind the history's back (not recorded).
        const Profile profile = m_controller->currentProfile();
        auto bearer = m_session->lifecycleBearer(profile, clientId);
        QVERIFY(bearer && bearer->tokenRequest);
        QByteArray accessToken;
        m_session->requestToken(
            profile, *bearer->tokenRequest,
            [&](const TokenResult& t) { accessToken = t.response.accessToken; }, false);
        QTRY_VERIFY(!accessToken.isEmpty());
        auto plan = m_session->planClientOperation(profile, RegistrationOperation::Delete, clientId,
                                                   accessToken);
        QVERIFY(plan);
        QSignalSpy submitted(m_session.get(), &Session::submissionFinished);
        QVERIFY(m_session->submit(*plan, false));
        QVERIFY(submitted.wait(20000));
        QCOMPARE(submitted.first().at(1).value<SubmissionResult>().exchange.status, 204);
        panel->findChild<QPushButton*>(QStringLiteral("clientsRefresh"))->click();
        QTRY_VERIFY(!panel->isLoading());
        QVERIFY(panel->table()->item(0, 1)->text().startsWith(QStringLiteral("active ")));

        QSignalSpy tokens(m_controller.get(), &ConsoleController::tokenReceived);
        panel->selectClient(clientId);
        panel->findChild<QPushButton*>(QStringLiteral("clientToken"))->click();
        QVERIFY(tokens.wait(20000));
        const auto refused = tokens.takeFirst().at(0).value<TokenResult>();
        QCOMPARE(refused.response.error, QStringLiteral("invalid_client"));
        QVERIFY(refused.refusalReason.isEmpty()); // the history knew of no delete
        const auto row = m_session->historyRecord(refused.historyId);
        QVERIFY(row);
        const QString status =
            QStringLiteral("refused %1 (token refused, HTTP %2, invalid_client)")
                .arg(row->completed.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                .arg(refused.exchange.status);
        QTRY_COMPARE(panel->table()->item(0, 1)->text(), status);

        m_window.reset();
        m_controller.reset();
        m_session.reset();
        m_session = std::make_unique<Session>(consolePaths());
        m_controller = std::make_unique<ConsoleController>(m_session.get());
        m_controller->start();
        m_window = std::make_unique<MainWindow>(m_controller.get());
        m_window->show();
        QTRY_VERIFY(m_controller->isProfileReady());
        m_controller->selectProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        panel = m_window->clientsPanel();
        QTRY_COMPARE(panel->table()->rowCount(), 1);
        QTRY_VERIFY(!panel->isLoading());
        QCOMPARE(panel->table()->item(0, 1)->text(), status);
    }

    // #22.7: evidence older than ClientStatusStaleAfterDays is shown as "not checked since …"
    // (and muted); younger evidence with its date.
    void oldEvidenceIsShownNotCheckedSince() {
        ClientsPanel* panel = m_window->clientsPanel();
        QTRY_VERIFY(!m_controller->isLoadingClients()); // the profile's own list has arrived
        RegisteredClient c;
        c.profile = QString::fromLatin1(Session::ObieSandboxProfileName);
        c.clientId = QStringLiteral("client-old");
        c.evidence.status = c.status = ClientStatus::Active;
        c.evidence.historyId = 3;
        c.evidence.what = QStringLiteral("GET answered HTTP 200");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        c.evidence.at = now.addDays(-ClientStatusStaleAfterDays).addSecs(-60);
        const QString old =
            c.evidence.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        RegisteredClient fresh = c;
        fresh.clientId = QStringLiteral("client-fresh");
        fresh.evidence.at = now.addDays(-ClientStatusStaleAfterDays).addSecs(3600);
        const QString recent =
            fresh.evidence.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        panel->setClients({c, fresh});
        QCOMPARE(panel->table()->item(0, 1)->text(),
                 QStringLiteral("active, not checked since %1 (GET answered HTTP 200)").arg(old));
        QCOMPARE(panel->table()->item(1, 1)->text(),
                 QStringLiteral("active %1 (GET answered HTTP 200)").arg(recent));
        const QColor muted = toneColour(Tone::Muted, panel->table()->palette());
        QCOMPARE(panel->table()->item(0, 1)->foreground().color(), muted);
        QVERIFY(panel->table()->item(1, 1)->foreground().color() != muted);
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
        // Shown again as saved (saving rebuilt the list), and cleared again.
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

    // The embedded sandbox comes back on its previous port, and on another one when that is taken.
    void sandboxKeepsItsPortAcrossSessions() {
        const AppPaths paths = consolePaths();
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
};

QTEST_MAIN(TestConsoleProfiles)
#include "tst_console_profiles.moc"
