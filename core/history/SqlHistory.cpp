#include "SqlHistory.h"

#include "HistoryOptions.h"
#include "HistorySchema.h"
#include "HistorySql.h"
#include "common/PrivateFiles.h"

#include <QAtomicInteger>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

#include <algorithm>

namespace dcr {

using namespace history_sql;

namespace {

QAtomicInteger<int> connectionCounter;

QString nextConnectionName() {
    return QStringLiteral("dcr-history-%1").arg(connectionCounter.fetchAndAddRelaxed(1));
}

// The database and its journal files are 0600 whatever the umask: SQLite gives a new -wal/-shm
// the database file's mode, and files an older version left readable are restricted here.
Status setPrivatePermissions(const QString& path) {
    if (auto ok = makePrivateFile(path); !ok)
        return Error{ErrorKind::StorageUnavailable,
                     QCoreApplication::translate("SqlHistory", "the history database: %1")
                         .arg(ok.error().message)};
    for (const char* journal : {"-wal", "-shm"})
        if (QFile::exists(path + QLatin1String(journal)))
            QFile::setPermissions(path + QLatin1String(journal),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

// Written into the rows, not shown as a message: the same words in every history.
const char* const kInterruptSet =
    "UPDATE submissions SET state='interrupted', outcome='interrupted', failure_message='the "
    "console stopped before the answer arrived; the ASPSP may have processed the request' "
    "WHERE state='sending'";
// Rows from before writer identities (schema 4). Written as an expression, not "writer_user IS
// NULL": that equality made SQLite walk the writer index through every legacy row (every row of
// a history begun before v4, ~35,000 page reads per start at 100,000 rows, #26) instead of the
// partial index of the few rows still "sending".
const char* const kLegacyWriter = " AND (CASE WHEN writer_user IS NULL THEN 1 ELSE 0 END) = 1";

} // namespace

SqlHistory::SqlHistory(HistoryDialect dialect, QString connection, int busyTimeoutMs)
    : m_dialect(dialect)
    , m_connection(std::move(connection))
    , m_busyTimeoutMs(busyTimeoutMs) {}

SqlHistory::~SqlHistory() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase SqlHistory::database() const {
    return QSqlDatabase::database(m_connection, false);
}

Result<std::unique_ptr<SqlHistory>> SqlHistory::openFile(const HistoryLocation& location,
                                                         const HistoryOptions& options) {
    const QString path = location.path;
    const QFileInfo info(path);
    if (!makePrivateFolder(info.absolutePath()))
        return Error{
            ErrorKind::StorageUnavailable,
            tr("cannot create the folder %1 for the history database").arg(info.absolutePath())};
    if (info.exists() && !info.isReadable())
        return Error{ErrorKind::StorageUnavailable,
                     tr("the history database %1 is not readable (check its permissions); it was "
                        "left untouched")
                         .arg(path)};
    if (auto ok = setPrivatePermissions(path); !ok)
        return ok.error();

    QString notice;
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::unique_ptr<SqlHistory> store(new SqlHistory(
            HistoryDialect(location.backend), nextConnectionName(), options.busyTimeoutMs));
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), store->m_connection);
            db.setDatabaseName(path);
            db.setConnectOptions(
                QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs));
            if (!db.open())
                return Error{
                    ErrorKind::StorageUnavailable,
                    tr("cannot open the history database %1: %2").arg(path, db.lastError().text())};
        }
        bool corrupt = false;
        QString reason;
        if (auto ok = store->prepareFile(corrupt, reason); !ok)
            return ok.error();
        if (corrupt && attempt == 0) {
            store.reset(); // closes and removes the connection before the file moves
            const QString backup =
                path + QStringLiteral(".corrupt-") +
                options.clockOrSystem().now().toString(QStringLiteral("yyyyMMdd-HHmmss"));
            if (!QFile::rename(path, backup))
                return Error{ErrorKind::StorageCorrupt,
                             tr("the history database %1 is damaged (%2) and could not be moved "
                                "aside; move it away by hand")
                                 .arg(path, reason)};
            QFile::remove(path + QStringLiteral("-wal"));
            QFile::remove(path + QStringLiteral("-shm"));
            if (auto ok = setPrivatePermissions(path); !ok)
                return ok.error();
            notice = tr("The history database was damaged (%1). It was moved to %2 and a new, "
                        "empty history was started.")
                         .arg(reason, backup);
            continue;
        }
        store->m_recoveryNotice = notice;
        if (auto ok = store->migrate(); !ok)
            return ok.error();
        if (options.sweepInterrupted)
            if (auto ok = store->markInterrupted(
                    options.writer.user.isEmpty() ? WriterIdentity::current() : options.writer);
                !ok)
                return ok.error();
        return store;
    }
    return Error{ErrorKind::StorageCorrupt, tr("the history database could not be recreated")};
}

// A damaged file fails on its first read, typically with "file is not a database". The probe
// statement is gone before the journal mode changes or the file moves.
Status SqlHistory::prepareFile(bool& corrupt, QString& why) {
    QSqlDatabase db = database();
    // Another process creating this file may hold it a moment: wait and retry.
    const Status probe = retryWhileLocked([&]() -> Status {
        if (auto q = exec(db, QStringLiteral("SELECT count(*) FROM sqlite_master")); !q)
            return q.error();
        return {};
    });
    if (!probe && probe.error().kind == ErrorKind::StorageLocked)
        return probe.error();
    corrupt = !probe;
    why = corrupt ? probe.error().message : QString();
    if (corrupt)
        return {};
    // journal_mode=WAL needs the file to itself: on a new file that many processes open at once
    // it may answer "locked" at once; the busy wait and retry cover it (#21.16).
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"})
        if (auto ok = retryWhileLocked([&]() -> Status {
                if (auto r = exec(db, QString::fromLatin1(pragma)); !r)
                    return r.error();
                return {};
            });
            !ok)
            return ok.error();
    return {};
}

std::unique_ptr<SqlHistory> SqlHistory::server(const HistoryLocation& location,
                                               const HistoryOptions& options) {
    std::unique_ptr<SqlHistory> store(new SqlHistory(HistoryDialect(location.backend),
                                                     nextConnectionName(), options.busyTimeoutMs));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), store->m_connection);
    db.setHostName(location.host);
    db.setPort(location.port);
    db.setDatabaseName(location.database);
    if (!location.user.isEmpty())
        db.setUserName(location.user);
    // No password here: libpq takes it from $PGPASSFILE or ~/.pgpass.
    db.setConnectOptions(location.connectOptions);
    return store;
}

int SqlHistory::schemaVersion() const {
    auto q = exec(database(), QStringLiteral("SELECT max(version) FROM schema_version"));
    return q && q->next() ? q->value(0).toInt() : 0;
}

Status SqlHistory::migrate() {
    QSqlDatabase db = database();
    if (auto current =
            HistorySchema::storedVersion(db, m_dialect, tr("reading the history schema version"));
        current && *current == HistorySchema::Version)
        return {};
    for (int target = 1; target <= HistorySchema::Version; ++target)
        if (auto ok =
                retryWhileLocked([&] { return HistorySchema::migrateTo(db, m_dialect, target); });
            !ok)
            return ok;
    return {};
}

Status SqlHistory::retryWhileLocked(const std::function<Status()>& step) const {
    QDeadlineTimer deadline(std::max(m_busyTimeoutMs, 0));
    for (int attempt = 1;; ++attempt) {
        Status result = step();
        if (result.ok() || result.error().kind != ErrorKind::StorageLocked || deadline.hasExpired())
            return result;
        // A short, growing pause, so that the process holding the lock can finish (SQLite's
        // own busy wait does not cover a read lock upgraded to a write).
        QThread::msleep(static_cast<unsigned long>(std::min(5 * attempt, 50)));
    }
}

Status SqlHistory::markInterrupted(const WriterIdentity& writer) {
    QSqlDatabase db = database();
    const QString what = tr("marking interrupted submissions");
    auto writers = exec(db,
                        QStringLiteral("SELECT DISTINCT writer_pid, writer_process FROM "
                                       "submissions WHERE state='sending' AND writer_user = ? "
                                       "AND writer_host = ?"),
                        {writer.user, writer.host}, what);
    if (!writers)
        return writers.error();
    QList<QPair<qint64, QString>> dead;
    while (writers->next()) {
        const qint64 pid = writers->value(0).toLongLong();
        const QString key = writers->value(1).toString();
        const bool mine = pid == writer.pid && key == writer.processKey;
        if (!mine && !WriterIdentity::processRunning(pid, key))
            dead << qMakePair(pid, key);
    }
    writers->finish();
    const QString interrupt = QString::fromLatin1(kInterruptSet);
    auto legacy = exec(db, legacyInterruptSql(), {}, what);
    if (!legacy)
        return legacy.error();
    m_interrupted += legacy->numRowsAffected();
    for (const auto& [pid, key] : dead) {
        auto q = exec(db,
                      interrupt + QStringLiteral(" AND writer_user = ? AND writer_host = ? AND "
                                                 "writer_pid = ? AND coalesce(writer_process, "
                                                 "'') = ?"),
                      {writer.user, writer.host, pid, key}, what);
        if (!q)
            return q.error();
        m_interrupted += q->numRowsAffected();
    }
    return {};
}

Result<HistoryPage> SqlHistory::page(const HistoryQuery& query,
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
        database(),
        QStringLiteral("SELECT %1 FROM submissions%2 ORDER BY created_at DESC, id DESC LIMIT ?")
            .arg(summaryColumns(), where),
        binds, tr("reading the history"));
    if (!q)
        return q.error();
    HistoryPage page;
    // One allocation for the page: growing a list of ~50 large records step by step left enough
    // free memory at the heap's top for malloc to give it back and fault it in again on the next
    // page (brk and page faults were most of a page's time; #26).
    page.rows.reserve(std::max(limit, 0));
    while (q->next())
        page.rows << readSummary(*q);
    if (page.rows.size() == limit)
        page.next =
            HistoryCursor{page.rows.last().created.toMSecsSinceEpoch(), page.rows.last().id};
    return page;
}

Result<qint64> SqlHistory::count(const HistoryQuery& query) const {
    QVariantList binds;
    auto q = exec(database(),
                  QStringLiteral("SELECT count(*) FROM submissions") + whereFor(query, binds),
                  binds, tr("counting the history"));
    if (!q)
        return q.error();
    q->next();
    return q->value(0).toLongLong();
}

// WHERE clause and binds for a query (shared by page() and count()).
QString SqlHistory::whereFor(const HistoryQuery& query, QVariantList& binds) const {
    QStringList conditions;
    const QString text = query.text.trimmed();
    if (!text.isEmpty())
        conditions << m_dialect.textCondition(text, binds);
    if (!query.outcome.isEmpty()) {
        conditions << QStringLiteral("outcome = ?");
        binds << query.outcome;
    }
    if (!query.profile.isEmpty()) {
        conditions << QStringLiteral("profile = ?");
        binds << query.profile;
    }
    if (!query.softwareId.isEmpty()) {
        conditions << QStringLiteral("software_id = ?");
        binds << query.softwareId;
    }
    if (!query.method.isEmpty()) {
        conditions << QStringLiteral("method = ?");
        binds << QString::fromLatin1(query.method);
    }
    if (!query.writer.isEmpty()) {
        const QString writer = query.writer.trimmed();
        if (writer.contains(u'@')) {
            conditions << QStringLiteral("writer_user = ? AND writer_host = ?");
            binds << writer.section(u'@', 0, 0) << writer.section(u'@', 1);
        } else {
            conditions << QStringLiteral("writer_user = ?");
            binds << writer;
        }
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

Result<SubmissionRecord> SqlHistory::get(qint64 id) const {
    auto q = exec(database(),
                  QStringLiteral("SELECT %1, %2 FROM submissions WHERE id = ?")
                      .arg(summaryColumns(), detailColumns()),
                  {id}, tr("reading a history entry"));
    if (!q)
        return q.error();
    if (!q->next())
        return Error{ErrorKind::StorageNotFound, tr("no history entry with id %1").arg(id)};
    SubmissionRecord r = readSummary(*q);
    readDetails(*q, r);
    return r;
}

Result<QList<qint64>> SqlHistory::clientRecordIds(const QString& profile) const {
    // Bound as text even when empty: a null QString is SQL NULL, and "NULL = ''" is not true.
    const QString named = profile.isNull() ? QStringLiteral("") : profile;
    return history_sql::ids(database(), clientRecordIdsSql(), {named, named},
                            tr("reading the registered clients"));
}

QString SqlHistory::legacyInterruptSql() {
    return QString::fromLatin1(kInterruptSet) + QString::fromLatin1(kLegacyWriter);
}

QString SqlHistory::clientRecordIdsSql() {
    // The first two conditions are the index's own, word for word: a planner uses a partial
    // index only when the query's WHERE implies the index's.
    return QStringLiteral("SELECT id FROM submissions WHERE client_id IS NOT NULL AND client_id != "
                          "'' AND (? = '' OR profile = ?) ORDER BY created_at, id");
}

Result<QList<SubmissionRecord>> SqlHistory::clientRecords(const QString& profile) const {
    auto ids = clientRecordIds(profile);
    if (!ids)
        return ids.error();
    QList<SubmissionRecord> out;
    for (qint64 id : *ids) {
        auto r = get(id);
        if (!r)
            return r.error();
        out << *r;
    }
    return out;
}

Result<QList<qint64>> SqlHistory::rowIds(bool finishedOnly) const {
    return history_sql::ids(database(),
                            finishedOnly ? QStringLiteral("SELECT id FROM submissions WHERE state "
                                                          "!= 'sending' ORDER BY id")
                                         : QStringLiteral("SELECT id FROM submissions ORDER BY id"),
                            {}, tr("reading the history's rows"));
}

Result<qint64> SqlHistory::insert(const SubmissionRecord& record, const QString& onConflict) {
    auto q =
        exec(database(), insertSql(onConflict), rowValues(record), tr("recording the submission"));
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0; // 0: already there (DO NOTHING)
}

Status SqlHistory::recordAnswer(qint64 id, const SubmissionRecord& c, const QString& clientId) {
    auto q =
        exec(database(),
             QStringLiteral("UPDATE submissions SET completed_at=?, state=?, "
                            "outcome=?, response_status=?, response_headers=?, "
                            "response_body=?, response_truncated=?, error_class=?, "
                            "error_code=?, error_text=?, failure_class=?, "
                            "failure_message=?, elapsed_ms=?, tls_summary=?, "
                            "client_id=coalesce(nullif(?, ''), client_id), "
                            "secrets_holder=coalesce(?, secrets_holder), "
                            // never cleared: the begun row already knows it
                            "tls_verification_off=CASE WHEN ? = 1 THEN 1 ELSE "
                            "tls_verification_off END WHERE id=?"),
             {c.completed.toMSecsSinceEpoch(), c.state, c.outcome, c.responseStatus,
              headersJson(c.responseHeaders), c.responseBody, c.truncated ? 1 : 0, c.errorClass,
              c.errorCode, c.errorText, c.failureClass, c.failureMessage, c.elapsedMs, c.tlsSummary,
              clientId, c.secretsHolder.isEmpty() ? QVariant() : c.secretsHolder,
              c.tlsVerificationOff ? 1 : 0, id},
             tr("recording the answer"));
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return Error{ErrorKind::StorageNotFound,
                     tr("history entry %1 does not exist (deleted while sending?)").arg(id)};
    return {};
}

Status SqlHistory::remove(const QList<qint64>& ids) {
    const QString what = tr("deleting history entries");
    if (auto ok = beginTransaction(what); !ok)
        return ok;
    for (qint64 id : ids)
        if (auto q = exec(database(), QStringLiteral("DELETE FROM submissions WHERE id = ?"), {id},
                          what);
            !q) {
            rollback();
            return q.error();
        }
    return commit(what);
}

Status SqlHistory::setNote(qint64 id, const QString& note, const QStringList& tags) {
    auto q =
        exec(database(), QStringLiteral("UPDATE submissions SET note = ?, tags = ? WHERE id = ?"),
             {note, tags.join(u','), id}, tr("saving the note"));
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return Error{ErrorKind::StorageNotFound, tr("no history entry with id %1").arg(id)};
    return {};
}

Status SqlHistory::forgetSecrets(const QList<qint64>& ids) {
    const QString what = tr("forgetting secrets");
    if (auto ok = beginTransaction(what); !ok)
        return ok;
    for (qint64 id : ids) {
        auto record = get(id);
        if (!record) {
            rollback();
            return record.error();
        }
        if (auto ok = storeForgottenBody(
                id, forgetSecretsInBody(record->responseBody, record->responseContentType()));
            !ok) {
            rollback();
            return ok;
        }
    }
    return commit(what);
}

// JSON keeps its shape with the secrets null; a signed (JWT) body is replaced by its decoded
// payload with a note, because its base64url would still carry the secrets.
Status SqlHistory::storeForgottenBody(qint64 id, const QByteArray& body) {
    if (auto q = exec(database(),
                      QStringLiteral("UPDATE submissions SET response_body = ?, "
                                     "secrets_forgotten = 1, secrets_holder = NULL WHERE id = ?"),
                      {body, id}, tr("forgetting secrets"));
        !q)
        return q.error();
    return {};
}

Result<qint64>
SqlHistory::importRows(const SqlHistory& source, const QString& what,
                       const std::function<Result<qint64>(const SubmissionRecord&)>& insertRow) {
    auto all = source.rowIds();
    if (!all)
        return all.error();
    if (auto ok = beginTransaction(what); !ok)
        return ok.error();
    qint64 copied = 0;
    for (qint64 id : *all) {
        auto row = source.get(id);
        if (!row) {
            rollback();
            return row.error();
        }
        if (row->uid.isEmpty())
            row->uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        auto inserted = insertRow(*row);
        if (!inserted) {
            rollback();
            return Error{inserted.error().kind,
                         what + QStringLiteral(": ") + inserted.error().message};
        }
        copied += *inserted > 0 ? 1 : 0;
    }
    if (auto ok = commit(what); !ok)
        return ok.error();
    return copied;
}

Status SqlHistory::beginTransaction(const QString& what) {
    return history_sql::beginTransaction(database(), what);
}

Status SqlHistory::commit(const QString& what) {
    return commitOrRollback(database(), what);
}

void SqlHistory::rollback() {
    database().rollback();
}

} // namespace dcr
