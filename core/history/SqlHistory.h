#pragma once

#include "HistoryDialect.h"
#include "HistoryLocation.h"
#include "HistoryQuery.h"
#include "SubmissionRecord.h"
#include "WriterIdentity.h"
#include "common/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

#include <functional>
#include <memory>

namespace dcr {

struct HistoryOptions;

// One history database through one Qt SQL connection: a SQLite file or a PostgreSQL server. Its
// schema and migrations, its queries and its mutations, in plain SQL and nothing else: whether a
// server is reachable, the outbox and the secrets kept on this machine are the shared layer's
// (SharedHistory), which uses two of these (the server and the local file).
class SqlHistory {
    Q_DECLARE_TR_FUNCTIONS(SqlHistory)
public:
    // Opens (creating, migrating) a SQLite file and, with options.sweepInterrupted, marks this
    // user's rows a dead process left in "sending" interrupted. A corrupt file is moved aside as
    // <name>.corrupt-<time> and a new one created; recoveryNotice() then says so.
    static Result<std::unique_ptr<SqlHistory>> openFile(const HistoryLocation& location,
                                                        const HistoryOptions& options);
    // A PostgreSQL server's connection, set up but not opened: database().open() connects, then
    // migrate() (the shared layer decides when).
    static std::unique_ptr<SqlHistory> server(const HistoryLocation& location,
                                              const HistoryOptions& options);
    ~SqlHistory();
    SqlHistory(const SqlHistory&) = delete;
    SqlHistory& operator=(const SqlHistory&) = delete;

    QString connectionName() const { return m_connection; }
    QSqlDatabase database() const;
    const HistoryDialect& dialect() const { return m_dialect; }
    QString recoveryNotice() const { return m_recoveryNotice; }
    // Rows marked interrupted by markInterrupted() since this was opened.
    int interruptedOnOpen() const { return m_interrupted; }

    // Brings the schema to HistorySchema::Version. Each version is one transaction that re-reads
    // the version after taking the migration lock, so two consoles starting together migrate
    // once. A history already at this version is only read: a read-only copy opens.
    Status migrate();
    // Marks interrupted the rows in "sending" of this user on this machine whose process is
    // gone (and rows older than writer identity); another writer's row in "sending" is a request
    // in flight, not a crash.
    Status markInterrupted(const WriterIdentity& writer);
    int schemaVersion() const;

    Result<HistoryPage> page(const HistoryQuery& query, const std::optional<HistoryCursor>& after,
                             int limit) const;
    Result<qint64> count(const HistoryQuery& query = {}) const;
    Result<SubmissionRecord> get(qint64 id) const;
    // The rows that name a client, oldest first; profile empty: all profiles.
    Result<QList<qint64>> clientRecordIds(const QString& profile) const;
    // Its SQL (two binds: the profile twice), read through the partial index submissions_clients
    // (HistorySchema version 6); public so a test can show the database's plan for it.
    static QString clientRecordIdsSql();
    // What marks the rows of writers from before schema 4 interrupted at open (no binds); public
    // so a test can show the database's plan for it.
    static QString legacyInterruptSql();
    Result<QList<SubmissionRecord>> clientRecords(const QString& profile) const;
    // Every row, in id order; finishedOnly: not the ones still "sending".
    Result<QList<qint64>> rowIds(bool finishedOnly = false) const;

    // INSERT of a whole record; onConflict: "" (a new uid), "DO NOTHING" (import) or "DO UPDATE"
    // (an outbox upload completes the row the server already has). Returns the new id, 0 when
    // the row was already there (DO NOTHING).
    Result<qint64> insert(const SubmissionRecord& record, const QString& onConflict);
    // Writes the answer part of a row (SubmissionRecord::recordAnswer); clientId, when not
    // empty, names the client. StorageNotFound: no such row.
    Status recordAnswer(qint64 id, const SubmissionRecord& answered, const QString& clientId);
    Status remove(const QList<qint64>& ids);
    Status setNote(qint64 id, const QString& note, const QStringList& tags);
    // Blanks client_secret and registration_access_token in the stored responses.
    Status forgetSecrets(const QList<qint64>& ids);
    // One row's response body with its secrets forgotten (in the caller's transaction).
    Status storeForgottenBody(qint64 id, const QByteArray& body);

    // Copies every row of another history into this one in one transaction (all rows or none),
    // each through insertRow (which answers 0 for a row already here); a row without a uid gets
    // one. Returns the number of rows copied.
    Result<qint64>
    importRows(const SqlHistory& source, const QString& what,
               const std::function<Result<qint64>(const SubmissionRecord&)>& insertRow);

    Status beginTransaction(const QString& what);
    // A commit can fail (disk full, lock timeout, server gone): then nothing is kept.
    Status commit(const QString& what);
    void rollback();

private:
    SqlHistory(HistoryDialect dialect, QString connection, int busyTimeoutMs);
    QString whereFor(const HistoryQuery& query, QVariantList& binds) const;
    // Runs a step again while SQLite answers "locked" at once (it does not wait for a lock a
    // reader would need to upgrade), for at most the busy timeout.
    Status retryWhileLocked(const std::function<Status()>& step) const;
    // A new SQLite connection's first read and pragmas; corrupt: the file is damaged (why).
    Status prepareFile(bool& corrupt, QString& why);

    HistoryDialect m_dialect;
    QString m_connection;
    int m_busyTimeoutMs;
    QString m_recoveryNotice;
    int m_interrupted = 0;
};

} // namespace dcr
