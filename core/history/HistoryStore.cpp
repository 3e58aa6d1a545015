#include "HistoryStore.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace dcr {

namespace {

QAtomicInteger<int> connectionCounter;

const char* const kSummaryColumns = "id, created_at, completed_at, state, profile, method, url, "
                                    "content_type, software_id, client_name, response_status, "
                                    "outcome, error_class, error_code, error_text, failure_class, "
                                    "failure_message, elapsed_ms, note, tags, client_id";

bool isLockedError(const QSqlError& e) {
    const QString t = e.nativeErrorCode();
    return t == QStringLiteral("5") || t == QStringLiteral("6") ||
           e.text().contains(QStringLiteral("locked"), Qt::CaseInsensitive);
}

Error sqlError(const QSqlError& e, const QString& what) {
    if (isLockedError(e))
        return {ErrorKind::StorageLocked,
                QStringLiteral("%1: the history database is locked by another process (waited for "
                               "it, then gave up): %2")
                    .arg(what, e.text())};
    if (e.nativeErrorCode() == QStringLiteral("26") || e.nativeErrorCode() == QStringLiteral("11"))
        return {ErrorKind::StorageCorrupt,
                QStringLiteral("%1: the history database is damaged: %2").arg(what, e.text())};
    return {ErrorKind::StorageUnavailable, QStringLiteral("%1: %2").arg(what, e.text())};
}

Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& sql, const QVariantList& binds = {},
                       const QString& what = {}) {
    QSqlQuery q(db);
    if (!q.prepare(sql))
        return sqlError(q.lastError(), what.isEmpty() ? sql.left(40) : what);
    for (const auto& b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return sqlError(q.lastError(), what.isEmpty() ? sql.left(40) : what);
    return q;
}

Status beginTransaction(QSqlDatabase& db, const QString& what) {
    if (!db.transaction())
        return sqlError(db.lastError(), what);
    return {};
}

// A commit can fail (disk full, lock timeout): then nothing of the transaction is kept, and the
// caller must hear about it.
Status commitOrRollback(QSqlDatabase& db, const QString& what) {
    if (db.commit())
        return {};
    const Error e = sqlError(db.lastError(), what);
    db.rollback();
    return e;
}

// Runs the statements of one schema step all or nothing.
Status execAll(QSqlDatabase& db, const QStringList& statements, const QString& what) {
    if (auto ok = beginTransaction(db, what); !ok)
        return ok;
    for (const QString& sql : statements)
        if (auto r = exec(db, sql, {}, what); !r) {
            db.rollback();
            return r.error();
        }
    return commitOrRollback(db, what);
}

// Every column of a row except its id, in schema order (an import keeps them all).
const char* const kAllColumnsButId =
    "created_at, completed_at, state, profile, method, url, content_type, request_jwt, "
    "request_claims, software_id, client_name, response_status, response_headers, response_body, "
    "response_truncated, outcome, error_class, error_code, error_text, failure_class, "
    "failure_message, elapsed_ms, tls_summary, note, tags, client_id, secrets_forgotten";

QString headersJson(const HeaderList& headers) {
    QJsonArray a;
    for (const auto& [k, v] : headers)
        a.append(QJsonArray{QString::fromLatin1(k), QString::fromLatin1(v)});
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

HeaderList headersFromJson(const QString& json) {
    HeaderList out;
    for (const auto& v : QJsonDocument::fromJson(json.toUtf8()).array())
        out << qMakePair(v.toArray().at(0).toString().toLatin1(),
                         v.toArray().at(1).toString().toLatin1());
    return out;
}

QDateTime fromMs(const QVariant& v) {
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

SubmissionRecord readSummary(const QSqlQuery& q) {
    SubmissionRecord r;
    r.id = q.value(0).toLongLong();
    r.created = fromMs(q.value(1));
    r.completed = fromMs(q.value(2));
    r.state = q.value(3).toString();
    r.profile = q.value(4).toString();
    r.method = q.value(5).toString().toLatin1();
    r.url = q.value(6).toString();
    r.contentType = q.value(7).toString().toLatin1();
    r.softwareId = q.value(8).toString();
    r.clientName = q.value(9).toString();
    r.responseStatus = q.value(10).toInt();
    r.outcome = q.value(11).toString();
    r.errorClass = q.value(12).toString();
    r.errorCode = q.value(13).toString();
    r.errorText = q.value(14).toString();
    r.failureClass = q.value(15).toString();
    r.failureMessage = q.value(16).toString();
    r.elapsedMs = q.value(17).toLongLong();
    r.note = q.value(18).toString();
    r.tags = q.value(19).toString().split(u',', Qt::SkipEmptyParts);
    r.clientId = q.value(20).toString();
    return r;
}

// What the text filter searches. The FTS5 index holds these columns joined with a unit separator
// (U+001F), which no typed query contains, so a match never spans two columns.
const char* const kSearchColumns[] = {"software_id", "client_name", "url",  "response_status",
                                      "error_class", "error_text",  "note", "failure_message",
                                      "tags",        "client_id"};

QString searchTextOf(const QString& prefix) {
    QStringList parts;
    for (const char* column : kSearchColumns)
        parts << QStringLiteral("coalesce(CAST(%1%2 AS TEXT), '')")
                     .arg(prefix, QLatin1String(column));
    return parts.join(QStringLiteral(" || char(31) || "));
}

// WHERE clause and binds for a query (shared by page() and count()).
QString whereFor(const HistoryQuery& query, QVariantList& binds) {
    QStringList conditions;
    const QString text = query.text.trimmed();
    if (text.toUcs4().size() >= 3) { // trigrams count code points, not UTF-16 units
        // The trigram index answers substring queries of three characters or more without a
        // scan; the phrase is quoted so that FTS5 operators in the text are literal.
        conditions << QStringLiteral("id IN (SELECT rowid FROM submissions_search WHERE "
                                     "submissions_search MATCH ?)");
        binds << u'"' + QString(text).replace(u'"', QStringLiteral("\"\"")) + u'"';
    } else if (!text.isEmpty()) {
        const QString like = u'%' +
                             QString(text)
                                 .replace(u'\\', QStringLiteral("\\\\"))
                                 .replace(u'%', QStringLiteral("\\%"))
                                 .replace(u'_', QStringLiteral("\\_")) +
                             u'%';
        // Column by column: about twice as fast as one LIKE over the joined text.
        QStringList likes;
        for (const char* column : kSearchColumns) {
            likes
                << QStringLiteral("CAST(%1 AS TEXT) LIKE ? ESCAPE '\\'").arg(QLatin1String(column));
            binds << like;
        }
        conditions << u'(' + likes.join(QStringLiteral(" OR ")) + u')';
    }
    if (!query.outcome.isEmpty()) {
        conditions << QStringLiteral("outcome = ?");
        binds << query.outcome;
    }
    if (!query.profile.isEmpty()) {
        conditions << QStringLiteral("profile = ?");
        binds << query.profile;
    }
    if (query.from.isValid()) {
        conditions << QStringLiteral("created_at >= ?");
        binds << query.from.toMSecsSinceEpoch();
    }
    if (query.to.isValid()) {
        conditions << QStringLiteral("created_at < ?");
        binds << query.to.toMSecsSinceEpoch();
    }
    return conditions.isEmpty()
               ? QString()
               : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
}

Status setPrivatePermissions(const QString& path) {
    if (!QFile::exists(path)) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return Error{ErrorKind::StorageUnavailable,
                         QStringLiteral("cannot create the history database %1: %2")
                             .arg(path, f.errorString())};
        f.close();
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

} // namespace

QStringList HistoryStore::firstSchemaSql() {
    return {
        QStringLiteral("CREATE TABLE schema_version (version INTEGER NOT NULL)"),
        QStringLiteral("INSERT INTO schema_version (version) VALUES (1)"),
        QStringLiteral("CREATE TABLE submissions ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " created_at INTEGER NOT NULL, completed_at INTEGER, state TEXT NOT NULL,"
                       " profile TEXT, method TEXT, url TEXT, content_type TEXT,"
                       " request_jwt TEXT, request_claims TEXT, software_id TEXT, client_name TEXT,"
                       " response_status INTEGER, response_headers TEXT, response_body BLOB, "
                       "response_truncated INTEGER DEFAULT 0,"
                       " outcome TEXT, error_class TEXT, error_code TEXT, error_text TEXT,"
                       " failure_class TEXT, failure_message TEXT, elapsed_ms INTEGER)"),
        QStringLiteral(
            "CREATE INDEX submissions_created ON submissions (created_at DESC, id DESC)"),
    };
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const QString& path, int busyTimeoutMs) {
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return Error{ErrorKind::StorageUnavailable,
                     QStringLiteral("cannot create the folder %1 for the history database")
                         .arg(info.absolutePath())};
    if (info.exists() && !info.isReadable())
        return Error{ErrorKind::StorageUnavailable,
                     QStringLiteral("the history database %1 is not readable (check its "
                                    "permissions); it was left untouched")
                         .arg(path)};
    if (auto ok = setPrivatePermissions(path); !ok)
        return ok.error();

    QString notice;
    for (int attempt = 0; attempt < 2; ++attempt) {
        const QString connection =
            QStringLiteral("dcr-history-%1").arg(connectionCounter.fetchAndAddRelaxed(1));
        std::unique_ptr<HistoryStore> store(new HistoryStore(path, connection));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
            if (!db.open())
                return Error{ErrorKind::StorageUnavailable,
                             QStringLiteral("cannot open the history database %1: %2")
                                 .arg(path, db.lastError().text())};
            // A damaged file fails on its first read, typically with "file is not a database".
            bool corrupt = false;
            QString reason;
            {
                auto probe = exec(db, QStringLiteral("SELECT count(*) FROM sqlite_master"));
                if (!probe && probe.error().kind == ErrorKind::StorageLocked)
                    return probe.error();
                corrupt = !probe;
                reason = corrupt ? probe.error().message : QString();
            } // the probe statement must be gone before the journal mode changes or the file moves
            if (corrupt && attempt == 0) {
                db.close();
                db = QSqlDatabase();
                store.reset(); // removes the connection
                const QString backup =
                    path + QStringLiteral(".corrupt-") +
                    QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
                if (!QFile::rename(path, backup))
                    return Error{ErrorKind::StorageCorrupt,
                                 QStringLiteral("the history database %1 is damaged (%2) and could "
                                                "not be moved aside; move it away by hand")
                                     .arg(path, reason)};
                QFile::remove(path + QStringLiteral("-wal"));
                QFile::remove(path + QStringLiteral("-shm"));
                if (auto ok = setPrivatePermissions(path); !ok)
                    return ok.error();
                notice = QStringLiteral("The history database was damaged (%1). It was moved to %2 "
                                        "and a new, empty history was started.")
                             .arg(reason, backup);
                continue;
            }
            for (const char* pragma :
                 {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"})
                if (auto r = exec(db, QString::fromLatin1(pragma)); !r)
                    return r.error();
        }
        store->m_recoveryNotice = notice;
        if (auto ok = store->migrate(); !ok)
            return ok.error();
        if (auto ok = store->recoverInterrupted(); !ok)
            return ok.error();
        return store;
    }
    return Error{ErrorKind::StorageCorrupt,
                 QStringLiteral("the history database could not be recreated")};
}

HistoryStore::~HistoryStore() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

int HistoryStore::schemaVersion() const {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT max(version) FROM schema_version"));
    return q && q->next() ? q->value(0).toInt() : 0;
}

Status HistoryStore::migrate() {
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    auto exists = exec(
        db, QStringLiteral(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'"));
    if (!exists)
        return exists.error();
    exists->next();
    const bool fresh = exists->value(0).toInt() == 0;
    exists->finish();
    if (fresh)
        if (auto ok = execAll(db, firstSchemaSql(), QStringLiteral("creating the history schema"));
            !ok)
            return ok;
    int version = schemaVersion();
    if (version > SchemaVersion)
        return Error{ErrorKind::StorageUnavailable,
                     QStringLiteral("the history database has schema version %1, newer than this "
                                    "DCR Console (%2); update the console")
                         .arg(version)
                         .arg(SchemaVersion)};
    if (version < 2) {
        // Version 2: notes, tags, TLS summary, client_id, forgotten secrets, outcome index.
        const QStringList steps = {
            QStringLiteral("ALTER TABLE submissions ADD COLUMN tls_summary TEXT"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN note TEXT DEFAULT ''"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN tags TEXT DEFAULT ''"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN client_id TEXT"),
            QStringLiteral(
                "ALTER TABLE submissions ADD COLUMN secrets_forgotten INTEGER DEFAULT 0"),
            QStringLiteral("CREATE INDEX submissions_outcome ON submissions (outcome, created_at "
                           "DESC, id DESC)"),
            QStringLiteral("UPDATE schema_version SET version = 2"),
        };
        if (auto ok = execAll(db, steps, QStringLiteral("migrating the history to version 2")); !ok)
            return ok;
    }
    if (version < 3) {
        // Version 3: a trigram full-text index for the filter box, kept by triggers.
        const QString text = searchTextOf(QStringLiteral("new."));
        const QStringList steps = {
            QStringLiteral("CREATE VIRTUAL TABLE submissions_search USING fts5(text, "
                           "tokenize='trigram')"),
            QStringLiteral("INSERT INTO submissions_search (rowid, text) SELECT id, %1 FROM "
                           "submissions")
                .arg(searchTextOf({})),
            QStringLiteral("CREATE TRIGGER submissions_search_insert AFTER INSERT ON submissions "
                           "BEGIN INSERT INTO submissions_search (rowid, text) VALUES (new.id, "
                           "%1); END")
                .arg(text),
            QStringLiteral("CREATE TRIGGER submissions_search_update AFTER UPDATE ON submissions "
                           "BEGIN DELETE FROM submissions_search WHERE rowid = old.id; "
                           "INSERT INTO submissions_search (rowid, text) VALUES (new.id, %1); END")
                .arg(text),
            QStringLiteral("CREATE TRIGGER submissions_search_delete AFTER DELETE ON submissions "
                           "BEGIN DELETE FROM submissions_search WHERE rowid = old.id; END"),
            QStringLiteral("UPDATE schema_version SET version = 3"),
        };
        if (auto ok = execAll(db, steps, QStringLiteral("migrating the history to version 3")); !ok)
            return ok;
    }
    return {};
}

Status HistoryStore::recoverInterrupted() {
    auto q =
        exec(QSqlDatabase::database(m_connection),
             QStringLiteral("UPDATE submissions SET state='interrupted', outcome='interrupted', "
                            "failure_message='the console stopped before the answer arrived; the "
                            "ASPSP may have processed the request' "
                            "WHERE state='sending'"));
    if (!q)
        return q.error();
    m_interruptedOnOpen = q->numRowsAffected();
    return {};
}

Result<qint64> HistoryStore::begin(const SubmissionStart& s) {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("INSERT INTO submissions (created_at, state, outcome, profile, "
                                 "method, url, content_type, request_jwt, "
                                 "request_claims, software_id, client_name, client_id) VALUES (?, "
                                 "'sending', 'sending', ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, ''))"),
                  {QDateTime::currentMSecsSinceEpoch(), s.profile, QString::fromLatin1(s.method),
                   s.url, QString::fromLatin1(s.contentType), QString::fromLatin1(s.requestJwt),
                   QString::fromUtf8(QJsonDocument(s.requestClaims).toJson(QJsonDocument::Compact)),
                   s.softwareId, s.clientName, s.clientId},
                  QStringLiteral("recording the submission"));
    if (!q)
        return q.error();
    return q->lastInsertId().toLongLong();
}

Status HistoryStore::complete(qint64 id, const HttpExchange& e,
                              const RegistrationOutcome* outcome) {
    QString outcomeName = QStringLiteral("transport");
    if (!e.failure && outcome)
        outcomeName = outcomeKindName(outcome->kind);
    const QString tls =
        e.tlsProtocol.isEmpty()
            ? QString()
            : QStringLiteral("%1 %2%3").arg(
                  e.tlsProtocol, e.tlsCipher,
                  e.insecure ? QStringLiteral(" (INSECURE: verification off)") : QString());
    auto q = exec(
        QSqlDatabase::database(m_connection),
        QStringLiteral("UPDATE submissions SET completed_at=?, state='completed', outcome=?, "
                       "response_status=?, response_headers=?, "
                       "response_body=?, response_truncated=?, error_class=?, error_code=?, "
                       "error_text=?, failure_class=?, "
                       "failure_message=?, elapsed_ms=?, tls_summary=?, "
                       // a read or delete names its client in the URL, not in the answer
                       "client_id=coalesce(nullif(?, ''), client_id) WHERE id=?"),
        {QDateTime::currentMSecsSinceEpoch(), outcomeName, e.status, headersJson(e.responseHeaders),
         e.responseBody, e.truncated ? 1 : 0, outcome ? outcome->errorClass : QString(),
         outcome ? outcome->code : QString(), outcome ? outcome->text : QString(),
         e.failure ? failureClassName(e.failure->kind) : QString(),
         e.failure ? e.failure->message : QString(), e.elapsedMs, tls,
         outcome ? outcome->clientId() : QString(), id},
        QStringLiteral("recording the answer"));
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return Error{
            ErrorKind::StorageNotFound,
            QStringLiteral("history entry %1 does not exist (deleted while sending?)").arg(id)};
    return {};
}

Result<HistoryPage> HistoryStore::page(const HistoryQuery& query,
                                       const std::optional<HistoryCursor>& after, int limit) const {
    QVariantList binds;
    QString where = whereFor(query, binds);
    if (after) {
        where += (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
                 QStringLiteral("(created_at, id) < (?, ?)");
        binds << after->createdMs << after->id;
    }
    binds << limit;
    auto q = exec(
        QSqlDatabase::database(m_connection),
        QStringLiteral("SELECT %1 FROM submissions%2 ORDER BY created_at DESC, id DESC LIMIT ?")
            .arg(QString::fromLatin1(kSummaryColumns), where),
        binds, QStringLiteral("reading the history"));
    if (!q)
        return q.error();
    HistoryPage page;
    while (q->next())
        page.rows << readSummary(*q);
    if (page.rows.size() == limit)
        page.next =
            HistoryCursor{page.rows.last().created.toMSecsSinceEpoch(), page.rows.last().id};
    return page;
}

Result<qint64> HistoryStore::count(const HistoryQuery& query) const {
    QVariantList binds;
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT count(*) FROM submissions") + whereFor(query, binds),
                  binds, QStringLiteral("counting the history"));
    if (!q)
        return q.error();
    q->next();
    return q->value(0).toLongLong();
}

Result<SubmissionRecord> HistoryStore::get(qint64 id) const {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT %1, request_jwt, request_claims, response_headers, "
                                 "response_body, response_truncated, tls_summary, "
                                 "secrets_forgotten FROM submissions WHERE id = ?")
                      .arg(QString::fromLatin1(kSummaryColumns)),
                  {id}, QStringLiteral("reading a history entry"));
    if (!q)
        return q.error();
    if (!q->next())
        return Error{ErrorKind::StorageNotFound,
                     QStringLiteral("no history entry with id %1").arg(id)};
    SubmissionRecord r = readSummary(*q);
    r.requestJwt = q->value(21).toString().toLatin1();
    r.requestClaims = QJsonDocument::fromJson(q->value(22).toString().toUtf8()).object();
    r.responseHeaders = headersFromJson(q->value(23).toString());
    r.responseBody = q->value(24).toByteArray();
    r.truncated = q->value(25).toInt() != 0;
    r.tlsSummary = q->value(26).toString();
    r.secretsForgotten = q->value(27).toInt() != 0;
    return r;
}

Result<QList<SubmissionRecord>> HistoryStore::clientRecords(const QString& profile) const {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT id FROM submissions WHERE client_id IS NOT NULL AND "
                                 "client_id != '' AND (? = '' OR profile = ?) ORDER BY created_at, "
                                 "id"),
                  {profile, profile}, QStringLiteral("reading the registered clients"));
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids << q->value(0).toLongLong();
    q->finish();
    QList<SubmissionRecord> out;
    for (qint64 id : ids) {
        auto r = get(id);
        if (!r)
            return r.error();
        out << *r;
    }
    return out;
}

Status HistoryStore::remove(const QList<qint64>& ids) {
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    const QString what = QStringLiteral("deleting history entries");
    if (auto ok = beginTransaction(db, what); !ok)
        return ok;
    for (qint64 id : ids)
        if (auto q = exec(db, QStringLiteral("DELETE FROM submissions WHERE id = ?"), {id}, what);
            !q) {
            db.rollback();
            return q.error();
        }
    return commitOrRollback(db, what);
}

Status HistoryStore::setNote(qint64 id, const QString& note, const QStringList& tags) {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("UPDATE submissions SET note = ?, tags = ? WHERE id = ?"),
                  {note, tags.join(u','), id}, QStringLiteral("saving the note"));
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return Error{ErrorKind::StorageNotFound,
                     QStringLiteral("no history entry with id %1").arg(id)};
    return {};
}

Status HistoryStore::forgetSecrets(const QList<qint64>& ids) {
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    if (auto ok = beginTransaction(db, QStringLiteral("forgetting secrets")); !ok)
        return ok;
    for (qint64 id : ids) {
        auto record = get(id);
        if (!record) {
            db.rollback();
            return record.error();
        }
        // JSON keeps its shape with the secrets null; a signed (JWT) body is replaced by its
        // decoded payload with a note, because its base64url would still carry the secrets.
        const QByteArray body =
            forgetSecretsInBody(record->responseBody, record->responseContentType());
        if (auto q = exec(
                db,
                QStringLiteral(
                    "UPDATE submissions SET response_body = ?, secrets_forgotten = 1 WHERE id = ?"),
                {body, id}, QStringLiteral("forgetting secrets"));
            !q) {
            db.rollback();
            return q.error();
        }
    }
    return commitOrRollback(db, QStringLiteral("forgetting secrets"));
}

Result<qint64> HistoryStore::importFrom(const QString& otherPath) {
    {
        // Opening migrates the other file to this schema version (and marks its stale rows
        // interrupted), so the columns below exist there too.
        auto other = open(otherPath);
        if (!other)
            return other.error();
        if ((*other)->schemaVersion() != SchemaVersion)
            return Error{ErrorKind::StorageUnavailable,
                         QStringLiteral("%1 has schema version %2, not %3")
                             .arg(otherPath)
                             .arg((*other)->schemaVersion())
                             .arg(SchemaVersion)};
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    // ATTACH cannot run inside a transaction; the copy itself is one.
    if (auto r = exec(db, QStringLiteral("ATTACH DATABASE ? AS imported"), {otherPath},
                      QStringLiteral("opening %1 for import").arg(otherPath));
        !r)
        return r.error();
    auto detach = [&db] { exec(db, QStringLiteral("DETACH DATABASE imported")).ok(); };
    const QString columns = QString::fromLatin1(kAllColumnsButId);
    auto copied = [&]() -> Result<qint64> {
        if (auto ok = beginTransaction(db, QStringLiteral("importing")); !ok)
            return ok.error();
        auto q = exec(db,
                      QStringLiteral("INSERT INTO main.submissions (%1) SELECT %1 FROM "
                                     "imported.submissions ORDER BY id")
                          .arg(columns),
                      {}, QStringLiteral("importing the rows of %1").arg(otherPath));
        if (!q) {
            db.rollback();
            return q.error();
        }
        const qint64 rows = q->numRowsAffected();
        q->finish();
        if (auto ok = commitOrRollback(db, QStringLiteral("importing")); !ok)
            return ok.error();
        return rows;
    }();
    detach();
    return copied;
}

Result<QByteArray> HistoryStore::exportJson(const QList<qint64>& ids, bool revealSecrets) const {
    QJsonArray out;
    for (qint64 id : ids) {
        auto r = get(id);
        if (!r)
            return r.error();
        out.append(r->toJson(revealSecrets));
    }
    return QJsonDocument(out).toJson(QJsonDocument::Indented);
}

Result<QString> HistoryStore::exportCurl(const QList<qint64>& ids) const {
    QStringList commands;
    for (qint64 id : ids) {
        auto r = get(id);
        if (!r)
            return r.error();
        commands << QStringLiteral("# history entry %1, %2, %3\n")
                            .arg(r->id)
                            .arg(r->created.toString(Qt::ISODate), r->outcome) +
                        r->toCurl();
    }
    return commands.join(QStringLiteral("\n\n")) + u'\n';
}

} // namespace dcr
