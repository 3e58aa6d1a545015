// Sending: the outcome, the warning before an erroneous request, the bytes the history keeps.
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

class TestConsoleSend : public ConsoleFixture {
    Q_OBJECT

private slots:
    void init() { startConsole(); }
    void cleanup() { stopConsole(); }

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

    // What the history keeps is byte for byte what the server received; each send is signed
    // once and carries its own jti.
    void historyHoldsExactlyTheBytesSentWithAFreshJti() {
        const SandboxKit kit = *m_controller->sandboxKit();
        QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
        test::ScriptedServer recorder(test::ScriptedServer::Behaviour::Ok, &tls);
        Profile p = kitProfile(kit, QStringLiteral("Recorder"), recorder.port());
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
        QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
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
};

QTEST_MAIN(TestConsoleSend)
#include "tst_console_send.moc"
