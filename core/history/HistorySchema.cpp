#include "HistorySchema.h"

#include "HistorySql.h"

namespace dcr {

using namespace history_sql;

QStringList HistorySchema::firstSql() {
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

QStringList HistorySchema::steps(const HistoryDialect& dialect, int version) {
    switch (version) {
    case 1:
        return dialect.ddl(firstSql());
    case 2:
        // Notes, tags, TLS summary, client_id, forgotten secrets, outcome index.
        return dialect.ddl(QStringList{
            QStringLiteral("ALTER TABLE submissions ADD COLUMN tls_summary TEXT"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN note TEXT DEFAULT ''"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN tags TEXT DEFAULT ''"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN client_id TEXT"),
            QStringLiteral(
                "ALTER TABLE submissions ADD COLUMN secrets_forgotten INTEGER DEFAULT 0"),
            QStringLiteral("CREATE INDEX submissions_outcome ON submissions (outcome, created_at "
                           "DESC, id DESC)"),
            QStringLiteral("UPDATE schema_version SET version = 2")});
    case 3:
        // A trigram index for the filter box.
        return dialect.searchIndexSteps() +
               QStringList{QStringLiteral("UPDATE schema_version SET version = 3")};
    case 4:
        // Row identity (uid) and writer identity, and where a shared row's secrets are kept.
        return dialect.ddl(QStringList{
            QStringLiteral("ALTER TABLE submissions ADD COLUMN uid TEXT"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN writer_user TEXT"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN writer_host TEXT"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN writer_pid INTEGER"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN writer_process TEXT"),
            QStringLiteral("ALTER TABLE submissions ADD COLUMN secrets_holder TEXT"),
            QStringLiteral("CREATE UNIQUE INDEX submissions_uid ON submissions (uid)"),
            QStringLiteral("CREATE INDEX submissions_writer ON submissions (writer_user, "
                           "created_at DESC, id DESC)"),
            QStringLiteral("CREATE INDEX submissions_sending ON submissions (writer_host) WHERE "
                           "state = 'sending'"),
            QStringLiteral("UPDATE schema_version SET version = 4")});
    case 5:
        // #21.15: "TLS verification off" as a column of its own. It lived only in the TLS
        // summary, which is empty when the server closes the connection before Qt reads the
        // session (Connection: close) or when nothing answered; older rows keep what that
        // summary said.
        return dialect.ddl(QStringList{
            QStringLiteral("ALTER TABLE submissions ADD COLUMN tls_verification_off INTEGER NOT "
                           "NULL DEFAULT 0"),
            QStringLiteral("UPDATE submissions SET tls_verification_off = 1 WHERE tls_summary "
                           "LIKE '%INSECURE%'"),
            QStringLiteral("UPDATE schema_version SET version = 5")});
    case 6:
        // #26: the rows that name a client (the Clients view, a token's registration, the
        // lost-answer check) were found by reading every row: at 100,000 rows the console's
        // start read the whole 180 MB file twice. A partial index holds just those rows; its
        // condition is written exactly as SqlHistory::clientRecordIds asks, so both SQLite and
        // PostgreSQL use it.
        return dialect.ddl(QStringList{
            QStringLiteral("CREATE INDEX submissions_clients ON submissions (created_at, id) "
                           "WHERE client_id IS NOT NULL AND client_id != ''"),
            QStringLiteral("UPDATE schema_version SET version = 6")});
    case 7:
        // #25.4: what a team shares besides history rows. Test-run summaries (who ran them is the
        // writer identity of the store that shared them; the summary's secrets masked) and
        // published profiles (no secret: ProfilePublication refuses or strips them first).
        return dialect.ddl(QStringList{
            QStringLiteral("CREATE TABLE test_runs (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " run_id TEXT NOT NULL, writer_user TEXT NOT NULL,"
                           " writer_host TEXT NOT NULL, started_at INTEGER, finished_at INTEGER,"
                           " plan TEXT, profile TEXT, target TEXT, spec TEXT,"
                           " passed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,"
                           " skipped INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,"
                           " end_note TEXT, summary TEXT NOT NULL)"),
            QStringLiteral("CREATE UNIQUE INDEX test_runs_run_id ON test_runs (run_id)"),
            QStringLiteral(
                "CREATE INDEX test_runs_started ON test_runs (started_at DESC, id DESC)"),
            QStringLiteral("CREATE TABLE team_profiles (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " name TEXT NOT NULL, publisher_user TEXT NOT NULL,"
                           " publisher_host TEXT NOT NULL, published_at INTEGER,"
                           " profile TEXT NOT NULL)"),
            QStringLiteral("CREATE UNIQUE INDEX team_profiles_name ON team_profiles (name)"),
            QStringLiteral("UPDATE schema_version SET version = 7")});
    default:
        return {};
    }
}

QStringList HistorySchema::sqlUpTo(const HistoryDialect& dialect, int version) {
    QStringList sql;
    for (int v = 1; v <= version; ++v)
        sql += steps(dialect, v);
    return sql;
}

Result<int> HistorySchema::storedVersion(const QSqlDatabase& db, const HistoryDialect& dialect,
                                         const QString& what) {
    auto exists = exec(db, dialect.tableExistsSql(), {QStringLiteral("schema_version")}, what);
    if (!exists)
        return exists.error();
    if (!exists->next() || exists->value(0).toInt() == 0)
        return 0;
    exists->finish();
    auto v = exec(db, QStringLiteral("SELECT max(version) FROM schema_version"), {}, what);
    if (!v)
        return v.error();
    return v->next() ? v->value(0).toInt() : 0;
}

Status HistorySchema::migrateTo(QSqlDatabase db, const HistoryDialect& dialect, int target) {
    const QString what = target == 1 ? tr("creating the history schema")
                                     : tr("migrating the history to version %1").arg(target);
    if (dialect.isPostgres()) {
        if (auto ok = beginTransaction(db, what); !ok)
            return ok;
    } else if (auto begun = exec(db, QStringLiteral("BEGIN IMMEDIATE"), {}, what); !begun) {
        return begun.error();
    }
    if (auto ok = execInTransaction(db, dialect.migrationLock(), what); !ok)
        return ok;
    // Read under the lock: another process may have done this step meanwhile.
    auto version = storedVersion(db, dialect, what);
    if (!version) {
        db.rollback();
        return version.error();
    }
    if (*version > Version) {
        db.rollback();
        return Error{ErrorKind::StorageUnavailable,
                     tr("the history database has schema version %1, newer than this DCR Console "
                        "(%2); update the console")
                         .arg(*version)
                         .arg(Version)};
    }
    if (*version < target)
        if (auto ok = execInTransaction(db, steps(dialect, target), what); !ok)
            return ok;
    return commitOrRollback(db, what);
}

} // namespace dcr
