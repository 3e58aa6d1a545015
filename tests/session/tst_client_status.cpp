// A registered client's status from the history's evidence (ClientStatus, deriveRegisteredClients):
// the newest answer the bank gave about the client decides (active / deleted / refused / unknown)
// with its date, token requests count, rows without an answer do not, and evidence older than
// ClientStatusStaleAfterDays reads "not checked since …". Each rule is shown holding and not.
#include "session/ClientStatus.h"
#include "session/RegisteredClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace dcr;

// Declared before the test's first QFETCH of it: clang refuses a specialisation after use.
Q_DECLARE_METATYPE(dcr::ClientStatus)

namespace {

const QDateTime kStart(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC);
constexpr auto kProfile = "Local sandbox (OBIE 3.3)";
constexpr auto kClient = "client-1";

// A completed row about kClient, answered `minutes` after kStart.
SubmissionRecord answered(qint64 id, const QByteArray& method, int status, int minutes,
                          const QByteArray& body = {}) {
    SubmissionRecord r;
    r.id = id;
    r.profile = QString::fromLatin1(kProfile);
    r.clientId = QString::fromLatin1(kClient);
    r.method = method;
    r.state = QStringLiteral("completed");
    r.created = kStart.addSecs(minutes * 60);
    r.completed = r.created.addMSecs(120);
    r.responseStatus = status;
    r.responseBody = body;
    r.contentType = method == "POST" ? "application/jwt" : QByteArray();
    return r;
}

SubmissionRecord registration(qint64 id, int minutes) {
    return answered(id, "POST", 201, minutes,
                    R"({"client_id":"client-1","token_endpoint_auth_method":"private_key_jwt"})");
}

// A client_credentials token request (form-encoded POST) and the token endpoint's answer.
SubmissionRecord tokenRequest(qint64 id, int status, const QByteArray& error, int minutes) {
    SubmissionRecord r =
        answered(id, "POST", status, minutes,
                 error.isEmpty() ? QByteArray(R"({"access_token":"at-1","token_type":"Bearer"})")
                                 : QByteArray(R"({"error":")") + error + R"("})");
    r.contentType = "application/x-www-form-urlencoded";
    r.requestJwt = "grant_type=client_credentials&client_id=client-1&client_assertion=eyJ.x.y";
    return r;
}

RegisteredClient onlyClient(const QList<SubmissionRecord>& rows) {
    const auto clients = deriveRegisteredClients(rows);
    if (clients.size() != 1)
        qFatal("expected one client, got %d", int(clients.size()));
    return clients.first();
}

} // namespace

class TestClientStatus : public QObject {
    Q_OBJECT

private slots:
    // The evidence explaining a refused token is every other row's: a team history's outbox
    // row has a negative key, and earlier server rows must still count.
    void evidenceBeforeAnOutboxTokenRequest() {
        SubmissionRecord token = tokenRequest(-4, 401, "invalid_client", 9);
        const QList<SubmissionRecord> rows{registration(1, 0), answered(2, "DELETE", 204, 5),
                                           token};
        const auto e = newestClientEvidence(rows, QString::fromLatin1(kClient), -4);
        QVERIFY(e);
        QCOMPARE(e->status, ClientStatus::Deleted);
        QCOMPARE(e->deletedHistoryId, qint64(2));
        // A server row shared after newer rows were written still counts (ids are not times).
        const QList<SubmissionRecord> late{registration(7, 0), answered(3, "DELETE", 204, 5),
                                           tokenRequest(5, 401, "invalid_client", 9)};
        const auto l = newestClientEvidence(late, QString::fromLatin1(kClient), 5);
        QVERIFY(l);
        QCOMPARE(l->status, ClientStatus::Deleted);
    }

    void registrationAloneIsActiveWithItsDate() {
        const RegisteredClient c = onlyClient({registration(1, 0)});
        QCOMPARE(c.status, ClientStatus::Active);
        QCOMPARE(c.evidence.historyId, 1);
        QCOMPARE(c.evidence.at, kStart.addMSecs(120));
        QCOMPARE(c.evidence.what, QStringLiteral("POST answered HTTP 201"));
        // A failed registration is no client at all.
        QVERIFY(deriveRegisteredClients({answered(1, "POST", 400, 0)}).isEmpty());
    }

    // The newest answer decides, whatever came before.
    void statusFollowsTheNewestEvidence_data() {
        QTest::addColumn<QList<SubmissionRecord>>("rows");
        QTest::addColumn<ClientStatus>("status");
        QTest::addColumn<qint64>("evidenceRow");
        const auto reg = registration(1, 0);
        QTest::newRow("read 200: active")
            << QList{reg, answered(2, "GET", 200, 5)} << ClientStatus::Active << qint64(2);
        QTest::newRow("delete 204: deleted")
            << QList{reg, answered(2, "DELETE", 204, 5)} << ClientStatus::Deleted << qint64(2);
        QTest::newRow("read 401: refused")
            << QList{reg, answered(2, "GET", 401, 5)} << ClientStatus::Refused << qint64(2);
        // RFC 6750 §3.1: "invalid_token: The access token provided is expired, revoked,
        // malformed, or invalid for other reasons." The token, not the client, was refused.
        QTest::newRow("read 401 invalid_token (body): unknown")
            << QList{reg, answered(2, "GET", 401, 5, R"({"error":"invalid_token"})")}
            << ClientStatus::Unknown << qint64(2);
        SubmissionRecord bearerRefused = answered(2, "PUT", 401, 5);
        bearerRefused.responseHeaders = {
            {"WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"expired\""}};
        QTest::newRow("update 401 invalid_token (header): unknown")
            << QList{reg, bearerRefused} << ClientStatus::Unknown << qint64(2);
        QTest::newRow("read 404: refused")
            << QList{reg, answered(2, "GET", 404, 5)} << ClientStatus::Refused << qint64(2);
        QTest::newRow("read 500: unknown")
            << QList{reg, answered(2, "GET", 500, 5)} << ClientStatus::Unknown << qint64(2);
        QTest::newRow("refused, then read 200: active again")
            << QList{reg, answered(2, "GET", 401, 5), answered(3, "GET", 200, 9)}
            << ClientStatus::Active << qint64(3);
        // Token requests are evidence too (#22.7: a refused token after a restart).
        QTest::newRow("token issued: active")
            << QList{reg, tokenRequest(2, 200, {}, 5)} << ClientStatus::Active << qint64(2);
        QTest::newRow("token invalid_client: refused")
            << QList{reg, tokenRequest(2, 401, "invalid_client", 5)} << ClientStatus::Refused
            << qint64(2);
        QTest::newRow("token invalid_scope: unknown (says nothing of the client)")
            << QList{reg, tokenRequest(2, 400, "invalid_scope", 5)} << ClientStatus::Unknown
            << qint64(2);
        QTest::newRow("token unauthorized_client: unknown (a known client, a refused grant)")
            << QList{reg, tokenRequest(2, 400, "unauthorized_client", 5)} << ClientStatus::Unknown
            << qint64(2);
        // After a confirmed delete a refusal only confirms it; a 2xx undoes it.
        QTest::newRow("deleted, then token refused: still deleted, checked again")
            << QList{reg, answered(2, "DELETE", 204, 5), tokenRequest(3, 401, "invalid_client", 9)}
            << ClientStatus::Deleted << qint64(3);
        QTest::newRow("deleted, then read 200: active")
            << QList{reg, answered(2, "DELETE", 204, 5), answered(3, "GET", 200, 9)}
            << ClientStatus::Active << qint64(3);
    }
    void statusFollowsTheNewestEvidence() {
        QFETCH(QList<SubmissionRecord>, rows);
        QFETCH(ClientStatus, status);
        QFETCH(qint64, evidenceRow);
        const RegisteredClient c = onlyClient(rows);
        QCOMPARE(clientStatusName(c.status), clientStatusName(status));
        QCOMPARE(c.evidence.status, status);
        QCOMPARE(c.evidence.historyId, evidenceRow);
        QCOMPARE(c.evidence.at, rows.last().completed);
        QCOMPARE(c.lastHistoryId, rows.last().id);
    }

    // No answer, no evidence: a transport failure, an interrupted or still-sending row, or a
    // request refused before it left leave the status as the last answer set it.
    void rowsWithoutAnAnswerAreNoEvidence() {
        SubmissionRecord failed = answered(3, "GET", 0, 9);
        failed.failureClass = QStringLiteral("tls");
        SubmissionRecord interrupted = answered(4, "GET", 0, 10);
        interrupted.state = QStringLiteral("interrupted");
        SubmissionRecord tokenUnreachable = tokenRequest(5, 0, {}, 11);
        tokenUnreachable.responseBody.clear();
        tokenUnreachable.failureClass = QStringLiteral("network");
        const RegisteredClient c = onlyClient({registration(1, 0), answered(2, "DELETE", 204, 5),
                                               failed, interrupted, tokenUnreachable});
        QCOMPARE(c.status, ClientStatus::Deleted);
        QCOMPARE(c.evidence.historyId, 2);
        QVERIFY(!evidenceFrom(failed, c.evidence));
        QVERIFY(!evidenceFrom(tokenUnreachable, std::nullopt));
        // The same row with an answer is evidence.
        QVERIFY(evidenceFrom(answered(3, "GET", 401, 9), c.evidence));
    }

    // A token request is a form-encoded POST: never taken for a (second) registration, and its
    // answer's access_token never for a registration_access_token.
    void tokenRowsAreNotRegistrations() {
        const SubmissionRecord token = tokenRequest(2, 200, {}, 5);
        QVERIFY(isTokenRequestRow(token));
        QVERIFY(!isTokenRequestRow(registration(1, 0)));
        QVERIFY(!isTokenRequestRow(answered(3, "GET", 200, 5)));
        const RegisteredClient c = onlyClient({registration(1, 0), token});
        QCOMPARE(c.registrationHistoryId, 1);
        QCOMPARE(c.registered, registration(1, 0).created);
        QCOMPARE(c.lastChecked, token.completed);
        QCOMPARE(c.authMethod, QStringLiteral("private_key_jwt"));
        QVERIFY(!newestRegistrationAccessToken({registration(1, 0), token},
                                               QString::fromLatin1(kProfile),
                                               QString::fromLatin1(kClient)));
        // A token row for a client the history never registered names no client.
        QVERIFY(deriveRegisteredClients({token}).isEmpty());
    }

    // A token request row holds what went over the wire; its credentials (a private_key_jwt
    // assertion, a client_secret) and the access token answered are masked in every view and
    // export unless revealed, as other secrets are.
    void tokenRowsAreMaskedWhenShown() {
        const QByteArray assertion = "eyJhbGciOiJQUzI1NiJ9.eyJpc3MiOiJjbGllbnQtMSJ9.c2ln";
        SubmissionRecord r = tokenRequest(2, 200, {}, 5);
        r.requestJwt = "grant_type=client_credentials&client_id=client-1&client_assertion_type="
                       "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&"
                       "client_assertion=" +
                       assertion;
        const QByteArray shown = QJsonDocument(r.toJson()).toJson();
        QVERIFY2(!shown.contains(assertion), shown.constData());
        QVERIFY(!shown.contains("at-1"));                 // the access_token answered
        QVERIFY(shown.contains("client_assertion_type")); // the rest stays readable
        QVERIFY(shown.contains("client_id=client-1"));
        const QByteArray revealed = QJsonDocument(r.toJson(true)).toJson();
        QVERIFY(revealed.contains(assertion));
        QVERIFY(revealed.contains("at-1"));
        QVERIFY(!r.toCurl().contains(QString::fromLatin1(assertion)));
        // client_secret_post: the secret in the form.
        r.requestJwt =
            "grant_type=client_credentials&client_id=client-1&client_secret=s3cr3t-v4lue";
        QVERIFY(!QJsonDocument(r.toJson()).toJson().contains("s3cr3t-v4lue"));
        QVERIFY(!r.toCurl().contains(QStringLiteral("s3cr3t-v4lue")));
        // Without a credential in the form there is nothing to mask: shown as sent.
        r.requestJwt = "grant_type=client_credentials&client_id=client-1";
        QVERIFY(QJsonDocument(r.toJson()).toJson().contains("client_id=client-1"));
        QVERIFY(r.toCurl().contains(QStringLiteral("client_id=client-1")));
    }

    // Evidence older than ClientStatusStaleAfterDays is "not checked since …"; younger is shown
    // with its date.
    void oldEvidenceIsNotCheckedSince() {
        QCOMPARE(ClientStatusStaleAfterDays, 7);
        const RegisteredClient c = onlyClient({registration(1, 0), answered(2, "GET", 200, 5)});
        const QDateTime at = c.evidence.at;
        const QString date = at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        const QDateTime fresh = at.addDays(ClientStatusStaleAfterDays).addSecs(-60);
        const QDateTime old = at.addDays(ClientStatusStaleAfterDays);
        QVERIFY(!isStale(c.evidence, fresh));
        QCOMPARE(describeClientStatus(c.evidence, fresh),
                 QStringLiteral("active %1 (GET answered HTTP 200)").arg(date));
        QVERIFY(isStale(c.evidence, old));
        QCOMPARE(describeClientStatus(c.evidence, old),
                 QStringLiteral("active, not checked since %1 (GET answered HTTP 200)").arg(date));
        QVERIFY(c.toJson().value(QStringLiteral("status_stale")).toBool()); // 2026-11 is old now
        QCOMPARE(c.toJson().value(QStringLiteral("status_since")).toString(),
                 at.toString(Qt::ISODate));
        QCOMPARE(c.toJson().value(QStringLiteral("status_history_id")).toInteger(), 2);
    }

    // A token refusal is explained from the history before it: deleted names the delete.
    void tokenRefusalReasonComesFromTheHistory() {
        const RegisteredClient deleted =
            onlyClient({registration(1, 0), answered(7, "DELETE", 204, 5)});
        const QString reason = tokenRefusalReason(deleted.evidence);
        QVERIFY2(reason.startsWith(QStringLiteral("this client is deleted at the bank")),
                 qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("history #7")), qPrintable(reason));
        // Deleted, then refused: still the delete's date and row.
        const RegisteredClient confirmed =
            onlyClient({registration(1, 0), answered(7, "DELETE", 204, 5),
                        tokenRequest(9, 401, "invalid_client", 9)});
        QCOMPARE(tokenRefusalReason(confirmed.evidence), reason);
        const RegisteredClient refused =
            onlyClient({registration(1, 0), answered(2, "GET", 401, 5)});
        QVERIFY(tokenRefusalReason(refused.evidence)
                    .startsWith(QStringLiteral("the bank already refused this client")));
        // Active, unknown or no evidence: the history has no reason to give.
        QVERIFY(tokenRefusalReason(onlyClient({registration(1, 0)}).evidence).isEmpty());
        QVERIFY(tokenRefusalReason(
                    onlyClient({registration(1, 0), answered(2, "GET", 500, 5)}).evidence)
                    .isEmpty());
        QVERIFY(tokenRefusalReason(std::nullopt).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClientStatus)
#include "tst_client_status.moc"
