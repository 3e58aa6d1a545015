#include "ScriptedServer.h"
#include "TestSupport.h"
#include "history/HistoryStore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

HttpExchange answer(int status, const QByteArray& body) {
    HttpExchange e;
    e.status = status;
    e.responseBody = body;
    e.responseHeaders = {{"Content-Type", "application/json"}};
    e.elapsedMs = 42;
    e.tlsProtocol = QStringLiteral("TLSv1.3");
    e.tlsCipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
    return e;
}

qint64 record(HistoryStore& store, const QString& softwareId, int status, const QByteArray& body,
              const QString& profile = QStringLiteral("Sandbox")) {
    SubmissionStart s;
    s.profile = profile;
    s.url = QStringLiteral("https://bank.example/register");
    s.contentType = "application/jwt";
    s.requestJwt = "aaa.bbb.ccc";
    s.requestClaims = QJsonObject{{"iss", softwareId}};
    s.softwareId = softwareId;
    s.clientName = QStringLiteral("Client ") + softwareId;
    const qint64 id = *store.begin(s);
    const HttpExchange e = answer(status, body);
    const auto outcome = classifyResponse(e.status, e.responseHeaders, e.responseBody);
    if (!store.complete(id, e, &outcome).ok())
        qFatal("complete failed");
    return id;
}

} // namespace

class TestHistory : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("h%1.sqlite").arg(++m_n)); }

private slots:
    void recordsAndReadsBack() {
        auto store = HistoryStore::open(freshPath());
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QCOMPARE((*store)->schemaVersion(), HistoryStore::SchemaVersion);
        const qint64 id = record(**store, QStringLiteral("soft1"), 201,
                                 "{\"client_id\":\"c1\",\"client_secret\":\"TOPSECRET\","
                                 "\"registration_access_token\":\"RAT\"}");
        auto r = (*store)->get(id);
        QVERIFY(r.ok());
        QCOMPARE(r->state, QStringLiteral("completed"));
        QCOMPARE(r->outcome, QStringLiteral("registered"));
        QCOMPARE(r->clientId, QStringLiteral("c1"));
        QCOMPARE(r->responseStatus, 201);
        QCOMPARE(r->requestJwt, QByteArray("aaa.bbb.ccc"));
        QCOMPARE(r->requestClaims.value("iss").toString(), QStringLiteral("soft1"));
        QVERIFY(r->tlsSummary.contains("TLSv1.3"));
        // Secrets are stored, masked in every view and export unless revealed.
        QVERIFY(!r->displayedResponseBody().contains("TOPSECRET"));
        QVERIFY(r->displayedResponseBody(true).contains("TOPSECRET"));
        QVERIFY(!(*store)->exportJson({id})->contains("TOPSECRET"));
        QVERIFY(!(*store)->exportJson({id})->contains("\"RAT\""));
        QVERIFY((*store)->exportJson({id}, true)->contains("TOPSECRET"));
        QVERIFY((*store)->forgetSecrets({id}).ok());
        QVERIFY(!(*store)->exportJson({id}, true)->contains("TOPSECRET"));
        QVERIFY((*store)->get(id)->secretsForgotten);
        QVERIFY((*store)->get(id)->responseBody.contains("\"client_id\":\"c1\""));
    }

    void fileIsPrivate() {
        const QString path = freshPath();
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        const auto perms = QFileInfo(path).permissions();
        QVERIFY(perms & QFileDevice::ReadOwner);
        QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                           QFileDevice::WriteGroup | QFileDevice::WriteOther)));
    }

    void keysetPagingAndFilters() {
        auto store = HistoryStore::open(freshPath());
        QList<qint64> ids;
        for (int i = 0; i < 23; ++i)
            ids << record(**store, QStringLiteral("soft-%1").arg(i), i % 3 == 0 ? 406 : 200,
                          i % 3 == 0 ? "{\"tppMessages\":[{\"category\":\"Invalid\",\"code\":406,"
                                       "\"text\":\"scope not allowed\"}]}"
                                     : "{\"message\":\"ok\"}",
                          i % 2 ? QStringLiteral("A") : QStringLiteral("B"));
        QCOMPARE(*(*store)->count(), 23);
        QList<qint64> seen;
        std::optional<HistoryCursor> cursor;
        int pages = 0;
        do {
            auto page = (*store)->page({}, cursor, 10);
            QVERIFY(page.ok());
            for (const auto& r : page->rows)
                seen << r.id;
            cursor = page->next;
            ++pages;
        } while (cursor && pages < 10);
        QCOMPARE(pages, 3);
        QList<qint64> expected = ids;
        std::reverse(expected.begin(), expected.end());
        QCOMPARE(seen, expected); // newest first, nothing lost or repeated

        QCOMPARE(*(*store)->count({QStringLiteral("scope not allowed"), {}, {}, {}, {}}), 8);
        QCOMPARE(*(*store)->count({{}, QStringLiteral("error"), {}, {}, {}}), 8);
        QCOMPARE(*(*store)->count({{}, QStringLiteral("accepted"), QStringLiteral("A"), {}, {}}),
                 7);
        QCOMPARE(*(*store)->count({QStringLiteral("soft-1"), {}, {}, {}, {}}),
                 11); // soft-1, soft-10..19
        QCOMPARE(*(*store)->count({QStringLiteral("406"), {}, {}, {}, {}}), 8);
        QCOMPARE(*(*store)->count({QStringLiteral("100%_"), {}, {}, {}, {}}),
                 0); // LIKE metacharacters are literal
        QCOMPARE(*(*store)->count({{}, {}, {}, QDateTime::currentDateTimeUtc().addSecs(60), {}}),
                 0);
        QCOMPARE(*(*store)->count({{},
                                   {},
                                   {},
                                   QDateTime::currentDateTimeUtc().addSecs(-60),
                                   QDateTime::currentDateTimeUtc().addSecs(60)}),
                 23);

        QVERIFY((*store)
                    ->setNote(ids[0], QStringLiteral("bank asked for a retry"),
                              {QStringLiteral("qa"), QStringLiteral("retry")})
                    .ok());
        QCOMPARE(*(*store)->count({QStringLiteral("asked for a retry"), {}, {}, {}, {}}), 1);
        QCOMPARE((*store)->get(ids[0])->tags, QStringList({"qa", "retry"}));
        QVERIFY((*store)->remove({ids[0], ids[1]}).ok());
        QCOMPARE(*(*store)->count(), 21);
        QCOMPARE((*store)->get(ids[0]).error().kind, ErrorKind::StorageNotFound);
    }

    // Queries of three characters or more go through the trigram index, shorter ones through a
    // LIKE scan; both must find the same rows, take the text literally and follow every change.
    void textFilterIsLiteralAndFollowsChanges() {
        auto store = HistoryStore::open(freshPath());
        const qint64 a = record(**store, QStringLiteral("alpha-7"), 200, "{\"message\":\"ok\"}");
        const qint64 b = record(**store, QStringLiteral("beta-7"), 406,
                                "{\"tppMessages\":[{\"category\":\"Invalid\",\"code\":406,"
                                "\"text\":\"Über-long \\\"scope\\\" AND NOT accounts\"}]}");
        auto count = [&](const char* text) {
            return *(*store)->count({QString::fromUtf8(text), {}, {}, {}, {}});
        };
        QCOMPARE(count("-7"), 2);        // short: LIKE
        QCOMPARE(count("ALPHA-7"), 1);   // long: index, case-insensitive like LIKE
        QCOMPARE(count("pha"), 1);       // any substring, not only whole words
        QCOMPARE(count("\"scope\""), 1); // quotes are literal, not FTS5 syntax
        QCOMPARE(count("AND NOT"), 1);   // so are operators
        QCOMPARE(count("scope AND accounts"), 0);
        QCOMPARE(count("über"), 1); // non-ASCII case folding
        QCOMPARE(count("406"), 1);  // the status
        // Text never matches across two columns (software_id "alpha-7", client name "Client…").
        QCOMPARE(count("7Client"), 0);
        QCOMPARE(count("7 Client"), 0);
        QVERIFY(
            (*store)->setNote(a, QStringLiteral("rerun after fix"), {QStringLiteral("qa")}).ok());
        QCOMPARE(count("after fix"), 1);
        QVERIFY((*store)->setNote(a, QStringLiteral("changed"), {}).ok());
        QCOMPARE(count("after fix"), 0);
        QVERIFY((*store)->remove({b}).ok());
        QCOMPARE(count("beta"), 0);
        QCOMPARE(count("-7"), 1);
    }

    void curlExport() {
        auto store = HistoryStore::open(freshPath());
        SubmissionStart s;
        s.url = QStringLiteral("https://bank.example/register?x='y'");
        s.contentType = "application/jwt";
        s.requestJwt = "h.p.s";
        const qint64 id = *(*store)->begin(s);
        const QString curl = *(*store)->exportCurl({id});
        QVERIFY(curl.contains(QStringLiteral("--data-binary 'h.p.s'")));
        QVERIFY(curl.contains(QStringLiteral("-H 'Content-Type: application/jwt'")));
        QVERIFY(curl.contains(QStringLiteral("'https://bank.example/register?x='\\''y'\\'''")));
        QVERIFY(curl.contains(QStringLiteral("--cert")));
        // The command is valid shell: bash parses it without running anything.
        auto r = run(QStringLiteral("bash"), {QStringLiteral("-n"), QStringLiteral("-c"), curl});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void interruptedRowsAreKept() {
        const QString path = freshPath();
        {
            auto store = HistoryStore::open(path);
            SubmissionStart s;
            s.softwareId = QStringLiteral("inflight");
            QVERIFY((*store)->begin(s).ok());
        }
        auto reopened = HistoryStore::open(path);
        QCOMPARE((*reopened)->interruptedOnOpen(), 1);
        auto page = (*reopened)->page({{}, QStringLiteral("interrupted"), {}, {}, {}});
        QCOMPARE(page->rows.size(), 1);
        QCOMPARE(page->rows.first().softwareId, QStringLiteral("inflight"));
        QVERIFY(!page->rows.first().failureMessage.isEmpty());
    }

    void corruptFileIsMovedAside() {
        const QString path = freshPath();
        const QByteArray garbage =
            QByteArray("this is not a database, but it is somebody's data\n").repeated(200);
        writeFile(path, garbage);
        auto store = HistoryStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QVERIFY((*store)->recoveryNotice().contains(QStringLiteral("moved to")));
        const QString backup = (*store)
                                   ->recoveryNotice()
                                   .section(QStringLiteral("moved to "), 1)
                                   .section(QStringLiteral(" and a new"), 0, 0);
        QVERIFY2(QFile::exists(backup), qPrintable(backup));
        QCOMPARE(readFile(backup), garbage); // never silently overwritten
        QVERIFY(record(**store, QStringLiteral("after"), 200, "{}") > 0);
    }

    void migratesFromFirstSchema() {
        const QString path = freshPath();
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const QString& sql : HistoryStore::firstSchemaSql())
                QVERIFY2(q.exec(sql), qPrintable(sql));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO submissions (created_at, state, outcome, software_id, "
                "response_status, error_text) "
                "VALUES (1700000000000, 'completed', 'error', 'old-soft', 406, 'old error')")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        auto store = HistoryStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QCOMPARE((*store)->schemaVersion(), 3);
        auto page = (*store)->page({QStringLiteral("old error"), {}, {}, {}, {}});
        QCOMPARE(page->rows.size(), 1);
        QCOMPARE(page->rows.first().softwareId, QStringLiteral("old-soft"));
        QVERIFY((*store)->setNote(page->rows.first().id, QStringLiteral("migrated"), {}).ok());
    }

    void lockedDatabaseIsReportedAfterWaiting() {
        const QString path = freshPath();
        auto store = HistoryStore::open(path, 300);
        QVERIFY(store.ok());
        QSqlDatabase other =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        other.setDatabaseName(path);
        QVERIFY(other.open());
        QSqlQuery lock(other);
        QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        QElapsedTimer t;
        t.start();
        auto id = (*store)->begin({});
        QVERIFY(!id.ok());
        QCOMPARE(id.error().kind, ErrorKind::StorageLocked);
        QVERIFY(t.elapsed() >= 250);
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        lock.finish();
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QVERIFY((*store)->begin({}).ok());
    }

    void twoProcessesWriteAndOneReads() {
        const QString path = freshPath();
        auto store = HistoryStore::open(path);
        QProcess a, b;
        a.start(QStringLiteral(HISTORY_CHILD_PATH), {"write", path, "300", "A"});
        b.start(QStringLiteral(HISTORY_CHILD_PATH), {"write", path, "300", "B"});
        // Read while they write.
        while (a.state() != QProcess::NotRunning || b.state() != QProcess::NotRunning) {
            QVERIFY((*store)->page({}, std::nullopt, 50).ok());
            QVERIFY((*store)->count().ok());
            a.waitForFinished(20);
            b.waitForFinished(20);
        }
        QVERIFY2(a.exitCode() == 0, a.readAllStandardError().constData());
        QVERIFY2(b.exitCode() == 0, b.readAllStandardError().constData());
        QCOMPARE(*(*store)->count(), 600);
        QCOMPARE(*(*store)->count({QStringLiteral("A-"), {}, {}, {}, {}}), 300);
        QCOMPARE(*(*store)->count({{}, QStringLiteral("accepted"), {}, {}, {}}), 600);
    }

    void survivesSigkillAtRandomPoints() {
        const QString path = freshPath();
        ScriptedServer server(ScriptedServer::Behaviour::Ok);
        const QString url = QStringLiteral("http://127.0.0.1:%1/register").arg(server.port());
        auto* rng = QRandomGenerator::global();
        for (int round = 0; round < 12; ++round) {
            QProcess p;
            p.start(QStringLiteral(HISTORY_CHILD_PATH), {"submit-loop", path, url});
            QVERIFY(p.waitForStarted());
            QTest::qWait(100 + rng->bounded(300)); // serves the child's requests meanwhile
            p.kill();                              // SIGKILL
            QVERIFY(p.waitForFinished(5000));
        }
        QTest::qWait(200);
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        QSet<qint64> sent;
        static const QRegularExpression idHeader(QStringLiteral("X-Submission-Id: (\\d+)"),
                                                 QRegularExpression::CaseInsensitiveOption);
        for (const QByteArray& request : server.receivedRequests()) {
            auto m = idHeader.match(QString::fromLatin1(request));
            if (m.hasMatch())
                sent.insert(m.captured(1).toLongLong());
        }
        QVERIFY2(sent.size() > 12,
                 qPrintable(QStringLiteral("only %1 requests left the child").arg(sent.size())));
        for (qint64 id : sent) {
            auto r = (*store)->get(id);
            QVERIFY2(
                r.ok(),
                qPrintable(QStringLiteral("request %1 left the process but has no row").arg(id)));
            QVERIFY(r->state == QStringLiteral("completed") ||
                    r->state == QStringLiteral("interrupted"));
        }
        QCOMPARE(*(*store)->count({{}, QStringLiteral("sending"), {}, {}, {}}), 0);
    }
};

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
