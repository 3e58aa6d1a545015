// The history's behaviour, run against both backends: a SQLite file and a PostgreSQL database on
// a throwaway server (tests/support/PostgresCluster.h). Every test function runs once per
// backend (Qt Test's global data).
#include "PostgresCluster.h"
#include "ScriptedServer.h"
#include "TestSupport.h"
#include "history/HistoryStore.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
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

QString errorOf(const Result<std::unique_ptr<HistoryStore>>& r) {
    return r.ok() ? QString() : r.error().message;
}

} // namespace

#define OPEN_FRESH(var)                                                                            \
    auto var = openFresh();                                                                        \
    QVERIFY2(var.ok(), qPrintable(errorOf(var)))

class TestHistory : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    PostgresCluster m_pg;
    QString m_pgError = QStringLiteral("not started");
    bool m_pgTried = false;
    int m_n = 0;

    static bool onPostgres() {
        QFETCH_GLOBAL(QString, backend);
        return backend == QStringLiteral("postgresql");
    }
    // A fresh, empty history of the current backend: a new file or a new database.
    QString freshLocation() {
        ++m_n;
        if (!onPostgres())
            return m_dir.filePath(QStringLiteral("h%1.sqlite").arg(m_n));
        if (!m_pgTried) {
            m_pgTried = true;
            m_pgError = m_pg.start();
        }
        if (!m_pgError.isEmpty())
            return {};
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("h%1").arg(m_n), &error);
        if (url.isEmpty())
            m_pgError = error;
        return url;
    }
    // The same local file (outbox, secrets) every time a location is opened, as on one machine.
    QString localFileOf(const QString& location) const {
        return m_dir.filePath(
            QStringLiteral("local-%1.sqlite")
                .arg(QString::fromLatin1(
                    QCryptographicHash::hash(location.toUtf8(), QCryptographicHash::Sha1)
                        .toHex()
                        .left(12))));
    }
    Result<std::unique_ptr<HistoryStore>> openAt(const QString& location, int busyMs = 5000) {
        if (location.isEmpty())
            return Error{ErrorKind::StorageUnavailable,
                         QStringLiteral("no PostgreSQL test server: ") + m_pgError};
        HistoryOptions options;
        options.busyTimeoutMs = busyMs;
        options.localPath = localFileOf(location);
        return HistoryStore::open(location, options);
    }
    Result<std::unique_ptr<HistoryStore>> openFresh() { return openAt(freshLocation()); }
    // A child writer process for a location, with the same local file.
    void prepareChild(QProcess& p, const QString& location) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DCR_TEST_HISTORY_LOCAL"), localFileOf(location));
        p.setProcessEnvironment(env);
    }
    // A second connection to the same database, for SQL the store does not offer.
    QSqlDatabase directConnection(const QString& location, const QString& name) {
        const auto where = *HistoryLocation::parse(location);
        QSqlDatabase db = QSqlDatabase::addDatabase(
            where.isShared() ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE"), name);
        if (where.isShared()) {
            db.setHostName(where.host);
            db.setPort(where.port);
            db.setUserName(where.user);
            db.setDatabaseName(where.database);
            db.setConnectOptions(where.connectOptions);
        } else {
            db.setDatabaseName(where.path);
        }
        if (!db.open())
            qWarning("direct connection failed: %s", qPrintable(db.lastError().text()));
        return db;
    }

private slots:
    void initTestCase_data() {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void cleanupTestCase() { m_pg.stop(); }

    void recordsAndReadsBack() {
        OPEN_FRESH(store);
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

    // The clients the history knows: of one profile, or of every profile when none is named
    // (dcrctl client list without --profile). A null QString binds as SQL NULL, and
    // "NULL = ''" is not true: this once listed nothing at all.
    void registeredClientsOfOneOrEveryProfile() {
        OPEN_FRESH(store);
        record(**store, QStringLiteral("a"), 201, "{\"client_id\":\"ca\"}", QStringLiteral("A"));
        record(**store, QStringLiteral("b"), 201, "{\"client_id\":\"cb\"}", QStringLiteral("B"));
        record(**store, QStringLiteral("x"), 400, "{\"error\":\"invalid_client_metadata\"}",
               QStringLiteral("B"));
        const auto clientsOf = [&](const QString& profile) {
            QStringList ids;
            const auto rows = (*store)->clientRecords(profile); // kept: the loop reads into it
            for (const auto& r : *rows)
                ids << r.clientId;
            return ids;
        };
        QCOMPARE(clientsOf(QStringLiteral("A")), QStringList{QStringLiteral("ca")});
        QCOMPARE(clientsOf(QStringLiteral("B")), QStringList{QStringLiteral("cb")});
        QCOMPARE(clientsOf(QString()), (QStringList{QStringLiteral("ca"), QStringLiteral("cb")}));
        QCOMPARE(clientsOf(QStringLiteral("")),
                 (QStringList{QStringLiteral("ca"), QStringLiteral("cb")}));
    }

    void keysetPagingAndFilters() {
        OPEN_FRESH(store);
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

    void curlExport() {
        OPEN_FRESH(store);
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

    // Queries of three characters or more go through the trigram index, shorter ones through a
    // LIKE scan (SQLite) or the same ILIKE (PostgreSQL); both must find the same rows, take the
    // text literally and follow every change.
    void textFilterIsLiteralAndFollowsChanges() {
        OPEN_FRESH(store);
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

    // A process that stopped while sending leaves its row "sending"; the next start of the same
    // writer marks it "interrupted".
    void interruptedRowsAreKept() {
        const QString location = freshLocation();
        {
            auto store = openAt(location); // creates the schema
            QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        }
        QProcess child;
        prepareChild(child, location);
        child.start(QStringLiteral(HISTORY_CHILD_PATH), {"begin", location, "inflight"});
        QVERIFY(child.waitForFinished(30000));
        QVERIFY2(child.exitCode() == 0, child.readAllStandardError().constData());
        auto reopened = openAt(location);
        QVERIFY2(reopened.ok(), qPrintable(errorOf(reopened)));
        QCOMPARE((*reopened)->interruptedOnOpen(), 1);
        auto page = (*reopened)->page({{}, QStringLiteral("interrupted"), {}, {}, {}});
        QCOMPARE(page->rows.size(), 1);
        QCOMPARE(page->rows.first().softwareId, QStringLiteral("inflight"));
        QVERIFY(!page->rows.first().failureMessage.isEmpty());
    }

    // Every row says who wrote it, and the start-up sweep touches only its own writer's dead
    // processes: a request another person (or another live process) has in flight stays
    // "sending".
    void sweepMarksOnlyItsOwnDeadWritersRows() {
        const QString location = freshLocation();
        const WriterIdentity me = WriterIdentity::current();
        qint64 othersRow = 0;
        {
            HistoryOptions other;
            other.localPath = m_dir.filePath(QStringLiteral("bob-local-%1.sqlite").arg(m_n));
            other.writer = {QStringLiteral("bob"), QStringLiteral("bobs-laptop"), 4242,
                            QStringLiteral("boot/1")};
            auto bob = HistoryStore::open(location, other);
            QVERIFY2(bob.ok(), qPrintable(errorOf(bob)));
            SubmissionStart s;
            s.softwareId = QStringLiteral("bobs-request");
            othersRow = *(*bob)->begin(s);
        }
        QProcess holder; // same user and machine, still running
        prepareChild(holder, location);
        holder.start(QStringLiteral(HISTORY_CHILD_PATH), {"hold", location, "live-request"});
        QVERIFY(holder.waitForReadyRead(30000));
        const qint64 liveRow = holder.readLine().trimmed().toLongLong();
        QVERIFY2(liveRow > 0, holder.readAllStandardError().constData());
        QProcess ended; // same user and machine, gone
        prepareChild(ended, location);
        ended.start(QStringLiteral(HISTORY_CHILD_PATH), {"begin", location, "dead-request"});
        QVERIFY(ended.waitForFinished(30000));
        const qint64 deadRow = ended.readAllStandardOutput().trimmed().toLongLong();
        QVERIFY(deadRow > 0);

        {
            auto store = openAt(location);
            QVERIFY2(store.ok(), qPrintable(errorOf(store)));
            QCOMPARE((*store)->interruptedOnOpen(), 1);
            QCOMPARE((*store)->get(deadRow)->state, QStringLiteral("interrupted"));
            QCOMPARE((*store)->get(liveRow)->state, QStringLiteral("sending"));
            QCOMPARE((*store)->get(othersRow)->state, QStringLiteral("sending"));
            // Who sent what, and the filter by person.
            QCOMPARE((*store)->get(othersRow)->writer(), QStringLiteral("bob@bobs-laptop"));
            QCOMPARE((*store)->get(liveRow)->writer(), me.person());
            QCOMPARE((*store)->get(liveRow)->writerPid, holder.processId());
            QCOMPARE(*(*store)->count({{}, {}, {}, {}, {}, QStringLiteral("bob")}), 1);
            QCOMPARE(*(*store)->count({{}, {}, {}, {}, {}, QStringLiteral("bob@bobs-laptop")}), 1);
            QCOMPARE(*(*store)->count({{}, {}, {}, {}, {}, QStringLiteral("bob@elsewhere")}), 0);
            QCOMPARE(*(*store)->count({{}, {}, {}, {}, {}, me.person()}), 2);
            QCOMPARE(*(*store)->count({{}, QStringLiteral("sending"), {}, {}, {}, me.user}), 1);
        }
        holder.kill(); // SIGKILL
        QVERIFY(holder.waitForFinished(5000));
        auto store = openAt(location);
        QCOMPARE((*store)->interruptedOnOpen(), 1);
        QCOMPARE((*store)->get(liveRow)->state, QStringLiteral("interrupted"));
        QCOMPARE((*store)->get(othersRow)->state, QStringLiteral("sending"));
    }

    void migratesFromFirstSchema() {
        const QString location = freshLocation();
        QVERIFY2(!location.isEmpty(), qPrintable(m_pgError));
        {
            QSqlDatabase db = directConnection(location, QStringLiteral("v1"));
            QVERIFY(db.isOpen());
            QSqlQuery q(db);
            const HistoryDialect dialect(HistoryLocation::parse(location)->backend);
            for (const QString& sql : dialect.ddl(HistoryStore::firstSchemaSql()))
                QVERIFY2(q.exec(sql), qPrintable(sql + u' ' + q.lastError().text()));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO submissions (created_at, state, outcome, software_id, "
                "response_status, error_text) "
                "VALUES (1700000000000, 'completed', 'error', 'old-soft', 406, 'old error')")));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        auto store = openAt(location);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        QCOMPARE((*store)->schemaVersion(), HistoryStore::SchemaVersion);
        auto page = (*store)->page({QStringLiteral("old error"), {}, {}, {}, {}});
        QCOMPARE(page->rows.size(), 1);
        QCOMPARE(page->rows.first().softwareId, QStringLiteral("old-soft"));
        QVERIFY((*store)->setNote(page->rows.first().id, QStringLiteral("migrated"), {}).ok());
        QCOMPARE(*(*store)->count({QStringLiteral("migrated"), {}, {}, {}, {}}), 1);
    }

    // #25.4: a version-6 history gains the team's tables (test_runs, team_profiles) and keeps its
    // rows; on SQLite the tables exist unused, so both backends have one schema.
    void migratesFromVersion6AddingTheTeamTables() {
        const QString location = freshLocation();
        QVERIFY2(!location.isEmpty(), qPrintable(m_pgError));
        {
            QSqlDatabase db = directConnection(location, QStringLiteral("v6"));
            QVERIFY(db.isOpen());
            QSqlQuery q(db);
            const HistoryDialect dialect(HistoryLocation::parse(location)->backend);
            for (const QString& sql : HistoryStore::schemaSqlUpTo(dialect, 6))
                QVERIFY2(q.exec(sql), qPrintable(sql + u' ' + q.lastError().text()));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO submissions (created_at, state, outcome, "
                                          "software_id, uid) VALUES (1700000000000, 'completed', "
                                          "'accepted', 'v6-soft', 'u-6')")));
            QVERIFY(!q.exec(QStringLiteral("SELECT count(*) FROM test_runs")));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v6"));
        auto store = openAt(location);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        QCOMPARE((*store)->schemaVersion(), 7);
        QCOMPARE(*(*store)->count({QStringLiteral("v6-soft"), {}, {}, {}, {}}), 1);
        QSqlDatabase db = QSqlDatabase::database((*store)->connectionName());
        QSqlQuery q(db);
        for (const char* table : {"test_runs", "team_profiles"})
            QVERIFY2(q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) &&
                         q.next() && q.value(0).toInt() == 0,
                     table);
        // One run per run id: the unique index holds on both backends.
        const QString insert =
            QStringLiteral("INSERT INTO test_runs (run_id, writer_user, "
                           "writer_host, summary) VALUES ('r1', 'a', 'h', '{}')");
        QVERIFY(q.exec(insert));
        QVERIFY(!q.exec(insert));
    }

    // #21.15: a version-4 history, from before "TLS verification off" had a column of its own,
    // migrates: rows whose TLS summary said INSECURE get the flag, the others are false, and
    // both are still found and exported.
    void migratesFromVersion4KeepingInsecureRows() {
        const QString location = freshLocation();
        QVERIFY2(!location.isEmpty(), qPrintable(m_pgError));
        {
            QSqlDatabase db = directConnection(location, QStringLiteral("v4"));
            QVERIFY(db.isOpen());
            QSqlQuery q(db);
            const HistoryDialect dialect(HistoryLocation::parse(location)->backend);
            for (const QString& sql : HistoryStore::schemaSqlUpTo(dialect, 4))
                QVERIFY2(q.exec(sql), qPrintable(sql + u' ' + q.lastError().text()));
            QVERIFY(q.exec(QStringLiteral("SELECT max(version) FROM schema_version")) && q.next());
            QCOMPARE(q.value(0).toInt(), 4);
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO submissions (created_at, state, outcome, software_id, "
                "response_status, "
                "tls_summary, uid) VALUES (1700000000000, 'completed', 'accepted', 'v4-insecure', "
                "200, 'TLSv1.3 TLS_AES_256_GCM_SHA384 (INSECURE: verification off)', 'u-1'), "
                "(1700000000001, 'completed', 'accepted', 'v4-verified', 200, "
                "'TLSv1.3 TLS_AES_256_GCM_SHA384', 'u-2')")));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v4"));
        auto store = openAt(location);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        QCOMPARE((*store)->schemaVersion(), HistoryStore::SchemaVersion);
        QVERIFY(HistoryStore::SchemaVersion >= 5); // and on through every later step
        auto page = (*store)->page({QStringLiteral("v4-"), {}, {}, {}, {}});
        QVERIFY(page.ok());
        QCOMPARE(page->rows.size(), 2);
        for (const SubmissionRecord& row : page->rows) {
            const bool insecure = row.softwareId == QStringLiteral("v4-insecure");
            QCOMPARE(row.tlsVerificationOff, insecure);
            QCOMPARE((*store)->get(row.id)->tlsVerificationOff, insecure);
            QCOMPARE((*store)->get(row.id)->toJson().value("tls_verification_off").toBool(),
                     insecure);
        }
        // A new row on the migrated history records the flag.
        SubmissionStart s;
        s.softwareId = QStringLiteral("after-migration");
        s.tlsVerificationOff = true;
        const auto id = (*store)->begin(s);
        QVERIFY(id.ok());
        QVERIFY((*store)->get(*id)->tlsVerificationOff);
    }

    // #21.15: "TLS verification off" is written with the row before the request leaves, so it is
    // there while sending, after a transport failure (no TLS summary at all) and after an answer
    // on a connection that closed before its TLS session was read (empty summary); a verified
    // profile's rows say false.
    void tlsVerificationOffIsRecordedBeforeSending() {
        OPEN_FRESH(store);
        SubmissionStart insecure;
        insecure.softwareId = QStringLiteral("insecure-profile");
        insecure.tlsVerificationOff = true;
        const qint64 failed = *(*store)->begin(insecure);
        QVERIFY((*store)->get(failed)->tlsVerificationOff); // while "sending"
        HttpExchange refused;                               // nothing answered: no TLS summary
        refused.failure = Error{ErrorKind::NetworkTimeout, QStringLiteral("no answer")};
        QVERIFY((*store)->complete(failed, refused, nullptr).ok());
        auto row = (*store)->get(failed);
        QVERIFY(row->tlsSummary.isEmpty());
        QVERIFY(row->tlsVerificationOff);
        QCOMPARE(row->toJson().value("tls_verification_off"), QJsonValue(true));

        const qint64 closed = *(*store)->begin(insecure);
        HttpExchange answered = answer(200, "{\"message\":\"ok\"}");
        answered.tlsProtocol.clear(); // Connection: close: Qt no longer had the TLS session
        answered.tlsCipher.clear();
        const auto outcome = classifyResponse(200, answered.responseHeaders, answered.responseBody);
        QVERIFY((*store)->complete(closed, answered, &outcome).ok());
        QVERIFY((*store)->get(closed)->tlsVerificationOff);

        const qint64 verified = record(**store, QStringLiteral("verified-profile"), 200, "{}");
        QVERIFY(!(*store)->get(verified)->tlsVerificationOff);
        QCOMPARE((*store)->get(verified)->toJson().value("tls_verification_off"),
                 QJsonValue(false));
        // And the list (summary columns) carries it too.
        auto listed = (*store)->page({QStringLiteral("-profile"), {}, {}, {}, {}});
        QCOMPARE(listed->rows.size(), 3);
        for (const SubmissionRecord& r : listed->rows)
            QCOMPARE(r.tlsVerificationOff, r.softwareId == QStringLiteral("insecure-profile"));
    }

    // A SQLite file's rows copied in (what a team does when it moves to a shared history), all
    // of them once: importing again copies nothing.
    void importsAFileOnce() {
        const QString file = m_dir.filePath(QStringLiteral("import-%1.sqlite").arg(++m_n));
        {
            auto old = HistoryStore::open(file);
            QVERIFY2(old.ok(), qPrintable(errorOf(old)));
            for (int i = 0; i < 5; ++i)
                record(**old, QStringLiteral("imported-%1").arg(i), 200, "{\"message\":\"ok\"}");
        }
        OPEN_FRESH(store);
        record(**store, QStringLiteral("already-here"), 200, "{}");
        QCOMPARE(*(*store)->importFrom(file), 5);
        QCOMPARE(*(*store)->importFrom(file), 0);
        QCOMPARE(*(*store)->count(), 6);
        QCOMPARE(*(*store)->count({QStringLiteral("imported-"), {}, {}, {}, {}}), 5);
    }

    void severalProcessesWriteAndOneReads() {
        const QString location = freshLocation();
        auto store = openAt(location);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        QList<QProcess*> writers;
        for (const char* tag : {"A", "B", "C"}) {
            auto* p = new QProcess(this);
            prepareChild(*p, location);
            p->start(QStringLiteral(HISTORY_CHILD_PATH),
                     {"write", location, "200", QString::fromLatin1(tag)});
            writers << p;
        }
        auto running = [&] {
            return std::any_of(writers.begin(), writers.end(),
                               [](QProcess* p) { return p->state() != QProcess::NotRunning; });
        };
        // Read while they write.
        while (running()) {
            QVERIFY((*store)->page({}, std::nullopt, 50).ok());
            QVERIFY((*store)->count().ok());
            for (QProcess* p : writers)
                p->waitForFinished(10);
        }
        for (QProcess* p : writers)
            QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
        qDeleteAll(writers);
        QCOMPARE(*(*store)->count(), 600);
        QCOMPARE(*(*store)->count({QStringLiteral("A-"), {}, {}, {}, {}}), 200);
        QCOMPARE(*(*store)->count({{}, QStringLiteral("accepted"), {}, {}, {}}), 600);
        QCOMPARE((*store)->unsharedCount(), 0);
    }

    void survivesSigkillAtRandomPoints() {
        const QString location = freshLocation();
        {
            auto store = openAt(location);
            QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        }
        ScriptedServer server(ScriptedServer::Behaviour::Ok);
        const QString url = QStringLiteral("http://127.0.0.1:%1/register").arg(server.port());
        auto* rng = QRandomGenerator::global();
        for (int round = 0; round < 8; ++round) {
            QProcess p;
            prepareChild(p, location);
            const qsizetype before = server.receivedRequests().size();
            p.start(QStringLiteral(HISTORY_CHILD_PATH), {"submit-loop", location, url});
            QVERIFY(p.waitForStarted());
            // Kill at a random point once the child is sending (its start-up, slow under the
            // sanitizers, is not what this test is about); the server answers meanwhile.
            QTRY_VERIFY_WITH_TIMEOUT(server.receivedRequests().size() > before, 20000);
            // Random timing is the point here: the kill lands anywhere in begin, send, complete.
            QTest::qWait(rng->bounded(300));
            p.kill(); // SIGKILL
            QVERIFY(p.waitForFinished(5000));
        }
        // Every child is dead: what it sent is already in this process's socket buffers. A few
        // passes of the event loop let the server accept and read it (nothing is waited for).
        for (int pass = 0; pass < 3; ++pass)
            QCoreApplication::processEvents();
        if (!onPostgres()) {
            QSqlDatabase db = directConnection(location, QStringLiteral("check"));
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
        auto store = openAt(location);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        QSet<qint64> sent;
        static const QRegularExpression idHeader(QStringLiteral("X-Submission-Id: (\\d+)"),
                                                 QRegularExpression::CaseInsensitiveOption);
        for (const QByteArray& request : server.receivedRequests()) {
            auto m = idHeader.match(QString::fromLatin1(request));
            if (m.hasMatch())
                sent.insert(m.captured(1).toLongLong());
        }
        QVERIFY2(sent.size() >= 8, // at least one per round
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
