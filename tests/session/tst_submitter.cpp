// The Submitter on its own: a plan's exact bytes are recorded ("sending") before anything leaves,
// completed with the classified answer or the transport failure, nothing is sent when the history
// cannot record it or the plan was refused, and the exit code both front ends end a send with.
// Against a scripted HTTP server and a SQLite history in a temporary folder.
#include "ScriptedServer.h"
#include "history/HistoryStore.h"
#include "session/Submitter.h"
#include "transport/RegistrationClient.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using dcr::test::ScriptedServer;

namespace {

QByteArray httpResponse(int status, const QByteArray& reason, const QByteArray& body) {
    return ScriptedServer::jsonResponse(QByteArray::number(status) + ' ' + reason, body);
}

// A JSON registration (nothing signed) to the scripted server.
SubmissionPlan jsonPlan(quint16 port) {
    SubmissionPlan plan;
    plan.profile = QStringLiteral("scripted");
    plan.url = QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(port));
    plan.body = R"({"software_id":"sw-1","client_name":"Submitter test"})";
    plan.contentType = "application/json";
    plan.bodyFormat = RequestBodyFormat::Json;
    plan.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    plan.claims = QJsonDocument::fromJson(plan.body).object();
    return plan;
}

} // namespace

class TestSubmitter : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    std::unique_ptr<HistoryStore> freshHistory() {
        auto store =
            HistoryStore::open(m_dir.filePath(QStringLiteral("history-%1.sqlite").arg(++m_n)));
        if (!store)
            qFatal("history: %s", qPrintable(store.error().message));
        return std::move(store.value());
    }

    static SubmissionResult waitFor(QSignalSpy& finished) {
        if (finished.isEmpty() && !finished.wait(30000))
            qFatal("no answer");
        return finished.first().at(1).value<SubmissionResult>();
    }

private slots:
    // The row exists, in state "sending" with the plan's bytes, before the answer arrives; the
    // answer completes it.
    void recordsBeforeSendingAndCompletesWithTheAnswer() {
        auto server = ScriptedServer::answering(httpResponse(
            201, "Created", R"({"client_id":"c-1","software_id":"sw-1","client_name":"x"})"));
        auto history = freshHistory();
        RegistrationClient client;
        Submitter submitter(&client, history.get());
        QSignalSpy finished(&submitter, &Submitter::finished);
        const SubmissionPlan plan = jsonPlan(server->port());
        auto id = submitter.submit(plan);
        QVERIFY2(id, id ? "" : qPrintable(id.error().message));
        QVERIFY(submitter.isPending(*id));
        QCOMPARE(*history->count(), 1);
        const auto rows = history->page({});
        QVERIFY(rows);
        QCOMPARE(rows->rows.size(), 1);
        const qint64 rowId = rows->rows.first().id;
        const auto sending = history->get(rowId);
        QVERIFY(sending);
        QCOMPARE(sending->state, QStringLiteral("sending"));
        QCOMPARE(sending->requestJwt, plan.body);
        QCOMPARE(sending->contentType, QByteArray("application/json"));

        const SubmissionResult result = waitFor(finished);
        QCOMPARE(finished.first().at(0).value<quint64>(), *id);
        QVERIFY(!submitter.isPending(*id));
        QCOMPARE(result.historyId, rowId);
        QVERIFY(result.historyError.isEmpty());
        QVERIFY(result.exchange.completed());
        QCOMPARE(result.exchange.status, 201);
        QCOMPARE(result.outcome.kind, OutcomeKind::Registered);
        QCOMPARE(result.exitCode(), 0);
        // What the server received is what was recorded, byte for byte.
        QCOMPARE(server->receivedRequests().size(), 1);
        QVERIFY(server->receivedRequests().first().endsWith(plan.body));
        const auto done = history->get(rowId);
        QVERIFY(done);
        QCOMPARE(done->state, QStringLiteral("completed"));
        QCOMPARE(done->responseStatus, 201);
        QCOMPARE(done->outcome, QStringLiteral("registered"));
        QCOMPARE(done->clientId, QStringLiteral("c-1"));
    }

    // A refusal from the bank is recorded as its error, and the send ends with exit code 1.
    void anErrorAnswerIsClassifiedAndRecorded() {
        auto server = ScriptedServer::answering(httpResponse(
            400, "Bad Request",
            R"({"error":"invalid_redirect_uri","error_description":"no such redirect"})"));
        auto history = freshHistory();
        RegistrationClient client;
        Submitter submitter(&client, history.get());
        QSignalSpy finished(&submitter, &Submitter::finished);
        QVERIFY(submitter.submit(jsonPlan(server->port())));
        const SubmissionResult result = waitFor(finished);
        QCOMPARE(result.exchange.status, 400);
        QCOMPARE(result.outcome.kind, OutcomeKind::Error);
        QCOMPARE(result.exitCode(), 1);
        const auto row = history->get(result.historyId);
        QVERIFY(row);
        QCOMPARE(row->outcome, QStringLiteral("error"));
        QCOMPARE(row->errorCode, QStringLiteral("invalid_redirect_uri"));
    }

    // A connection reset mid-answer: a transport failure, recorded as such, exit code 3.
    void aTransportFailureIsRecorded() {
        ScriptedServer server(ScriptedServer::Behaviour::ResetMidBody);
        auto history = freshHistory();
        RegistrationClient client;
        Submitter submitter(&client, history.get());
        QSignalSpy finished(&submitter, &Submitter::finished);
        QVERIFY(submitter.submit(jsonPlan(server.port())));
        const SubmissionResult result = waitFor(finished);
        QVERIFY(!result.exchange.completed());
        QCOMPARE(result.exitCode(), 3);
        const auto row = history->get(result.historyId);
        QVERIFY(row);
        QCOMPARE(row->state, QStringLiteral("completed"));
        QCOMPARE(row->outcome, QStringLiteral("transport"));
        QVERIFY(!row->failureMessage.isEmpty());
    }

    // A plan refused before sending (a bearer token to a foreign origin) is recorded with its
    // refusal, and nothing reaches the server.
    void aRefusedPlanIsRecordedAndNotSent() {
        ScriptedServer server(ScriptedServer::Behaviour::Ok);
        auto history = freshHistory();
        RegistrationClient client;
        Submitter submitter(&client, history.get());
        QSignalSpy finished(&submitter, &Submitter::finished);
        SubmissionPlan plan = jsonPlan(server.port());
        plan.refusal = Error{ErrorKind::NetworkOriginRefused,
                             QStringLiteral("the token may not go there. Nothing was sent.")};
        QVERIFY(submitter.submit(plan));
        const SubmissionResult result = waitFor(finished);
        QVERIFY(!result.exchange.completed());
        QCOMPARE(result.exchange.failure->kind, ErrorKind::NetworkOriginRefused);
        QCOMPARE(result.exitCode(), 3);
        QVERIFY(server.receivedRequests().isEmpty());
        const auto row = history->get(result.historyId);
        QVERIFY(row);
        QVERIFY2(row->failureMessage.contains(QStringLiteral("Nothing was sent")),
                 qPrintable(row->failureMessage));
    }

    // When the history cannot record the attempt, nothing is sent and the caller is told why.
    void nothingIsSentWhenTheHistoryCannotRecord() {
        ScriptedServer server(ScriptedServer::Behaviour::Ok);
        const QString path = m_dir.filePath(QStringLiteral("broken.sqlite"));
        auto store = HistoryStore::open(path);
        QVERIFY(store);
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("breaker"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("DROP TABLE submissions")));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("breaker"));
        RegistrationClient client;
        Submitter submitter(&client, store->get());
        QSignalSpy finished(&submitter, &Submitter::finished);
        auto id = submitter.submit(jsonPlan(server.port()));
        QVERIFY(!id);
        QVERIFY2(id.error().message.startsWith(
                     QStringLiteral("not sent, because the history could not record it: ")),
                 qPrintable(id.error().message));
        QCoreApplication::processEvents();
        QVERIFY(finished.isEmpty());
        QVERIFY(server.receivedRequests().isEmpty());
    }

    // dcrctl --no-history: sent, not recorded (history id 0).
    void withoutAHistoryNothingIsRecorded() {
        ScriptedServer server(ScriptedServer::Behaviour::Ok);
        RegistrationClient client;
        Submitter submitter(&client, nullptr);
        QSignalSpy finished(&submitter, &Submitter::finished);
        QVERIFY(submitter.submit(jsonPlan(server.port())));
        const SubmissionResult result = waitFor(finished);
        QCOMPARE(result.historyId, 0);
        QVERIFY(result.historyError.isEmpty());
        QCOMPARE(result.exchange.status, 200);
        QCOMPARE(server.receivedRequests().size(), 1);
    }

    // A cancelled request ends as a cancelled transport failure, recorded so.
    void aCancelledRequestEndsAndIsRecorded() {
        ScriptedServer server(ScriptedServer::Behaviour::NeverAnswer);
        auto history = freshHistory();
        RegistrationClient client;
        Submitter submitter(&client, history.get());
        QSignalSpy finished(&submitter, &Submitter::finished);
        auto id = submitter.submit(jsonPlan(server.port()));
        QVERIFY(id);
        QTRY_COMPARE_WITH_TIMEOUT(server.receivedRequests().size(), 1, 20000);
        submitter.cancel(*id);
        const SubmissionResult result = waitFor(finished);
        QVERIFY(!result.exchange.completed());
        QCOMPARE(result.exchange.failure->kind, ErrorKind::NetworkCancelled);
        QVERIFY(!submitter.isPending(*id));
        const auto row = history->get(result.historyId);
        QVERIFY(row);
        QCOMPARE(row->state, QStringLiteral("completed"));
        QCOMPARE(row->outcome, QStringLiteral("transport"));
    }

    // Two submitters on one client (the session's recorded and unrecorded ones) each hear only
    // of their own requests.
    void aSubmitterIgnoresOtherRequestsOnItsClient() {
        ScriptedServer server(ScriptedServer::Behaviour::Ok);
        auto history = freshHistory();
        RegistrationClient client;
        Submitter recorded(&client, history.get());
        Submitter unrecorded(&client, nullptr);
        QSignalSpy recordedFinished(&recorded, &Submitter::finished);
        QSignalSpy unrecordedFinished(&unrecorded, &Submitter::finished);
        auto id = unrecorded.submit(jsonPlan(server.port()));
        QVERIFY(id);
        QVERIFY(!recorded.isPending(*id));
        waitFor(unrecordedFinished);
        QVERIFY(recordedFinished.isEmpty());
        QCOMPARE(*history->count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSubmitter)
#include "tst_submitter.moc"
