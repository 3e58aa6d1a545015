#include "HistoryStore.h"

#include "KeychainSecretStore.h"
#include "PostgresConnectFailure.h"
#include "common/PrivateFiles.h"
#include "registration/RegistrationOutcome.h"

#include "HistorySql.h"

#include <QAtomicInteger>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>
#include <QVariant>

#include <algorithm>

namespace dcr {

using namespace history_sql;

const QStringList& historyOutcomeKinds() {
    static const QStringList kinds = {QStringLiteral("accepted"),    QStringLiteral("registered"),
                                      QStringLiteral("retrieved"),   QStringLiteral("updated"),
                                      QStringLiteral("deleted"),     QStringLiteral("error"),
                                      QStringLiteral("unexpected"),  QStringLiteral("transport"),
                                      QStringLiteral("interrupted"), QStringLiteral("sending")};
    return kinds;
}

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
                     QStringLiteral("the history database: %1").arg(ok.error().message)};
    for (const char* journal : {"-wal", "-shm"})
        if (QFile::exists(path + QLatin1String(journal)))
            QFile::setPermissions(path + QLatin1String(journal),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

// The answer part of a row, from an exchange and its classification.
void applyCompletion(SubmissionRecord& r, const HttpExchange& e,
                     const RegistrationOutcome* outcome) {
    r.completed = QDateTime::currentDateTimeUtc();
    r.state = QStringLiteral("completed");
    r.outcome =
        !e.failure && outcome ? outcomeKindName(outcome->kind) : QStringLiteral("transport");
    r.responseStatus = e.status;
    r.responseHeaders = e.responseHeaders;
    r.responseBody = e.responseBody;
    r.truncated = e.truncated;
    r.errorClass = outcome ? outcome->errorClass : QString();
    r.errorCode = outcome ? outcome->code : QString();
    r.errorText = outcome ? outcome->text : QString();
    r.failureClass = e.failure ? failureClassName(e.failure->kind) : QString();
    r.failureMessage = e.failure ? e.failure->message : QString();
    r.elapsedMs = e.elapsedMs;
    // Set when the row was begun (from the profile); the exchange can only confirm it.
    r.tlsVerificationOff = r.tlsVerificationOff || e.insecure;
    r.tlsSummary =
        e.tlsProtocol.isEmpty()
            ? QString()
            : QStringLiteral("%1 %2%3").arg(
                  e.tlsProtocol, e.tlsCipher,
                  e.insecure ? QStringLiteral(" (INSECURE: verification off)") : QString());
    if (!e.tlsWarning.isEmpty()) // #21.17: a weak suite is recorded with the exchange
        r.tlsSummary += QStringLiteral("; WARNING: ") + e.tlsWarning;
    // a read or delete names its client in the URL, not in the answer
    if (outcome && !outcome->clientId().isEmpty())
        r.clientId = outcome->clientId();
}

const char* const kInterruptSet =
    "UPDATE submissions SET state='interrupted', outcome='interrupted', failure_message='the "
    "console stopped before the answer arrived; the ASPSP may have processed the request' "
    "WHERE state='sending'";

// The local file of a shared history also keeps this machine's secrets, by row uid.
const char* const kLocalSecretsTable =
    "CREATE TABLE IF NOT EXISTS local_secrets (uid TEXT PRIMARY KEY, location TEXT, "
    "request_jwt TEXT, request_claims TEXT, response_body BLOB)";

// A body whose secrets parsing cannot locate: not JSON and not a compact JWS with a JSON payload
// (an answer cut short at the size limit, JSON with bytes after it, a form, a JWE, a JWS with
// '=' padding sent as text/plain), yet a scan finds (or may find) a secret in it, in clear or in
// any base64 / base64url segment, or it claims to be a JWT. The shared database gets a
// placeholder instead of a scan's best effort; this machine keeps the body.
bool unmaskable(const QByteArray& body, const QByteArray& contentType) {
    if (body.isEmpty())
        return false;
    if (!QJsonDocument::fromJson(body).isNull())
        return false; // parsed: maskSecretsInBody masks its fields
    if (const auto jws = decodeCompactJws(body))
        if (!QJsonDocument::fromJson(jws->payload).isNull())
            return false;
    const QByteArray type = contentType.toLower();
    if (type.contains("jwt") || type.contains("jose"))
        return true;
    return bodyHasSecrets(body); // decodes base64 whatever the Content-Type
}

QByteArray withheldBody(const QString& holder) {
    return QStringLiteral("(body withheld from the shared history: it could not be parsed to mask "
                          "its secrets; kept on %1)")
        .arg(holder)
        .toUtf8();
}

// The schema version a history has (0: none yet), read in the caller's transaction or none.
Result<int> storedSchemaVersion(const QSqlDatabase& db, const HistoryDialect& dialect,
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

bool carriesSecrets(const SubmissionRecord& r) {
    return bodyHasSecrets(r.requestJwt) || bodyHasSecrets(r.responseBody) ||
           unmaskable(r.requestJwt, r.contentType) ||
           unmaskable(r.responseBody, r.responseContentType());
}

} // namespace

HistoryStore::HistoryStore(HistoryLocation location, QString connection, HistoryOptions options)
    : m_location(std::move(location))
    , m_dialect(m_location.backend)
    , m_connection(std::move(connection))
    , m_options(std::move(options))
    , m_writer(m_options.writer.user.isEmpty() ? WriterIdentity::current() : m_options.writer) {}

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

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const QString& location,
                                                         int busyTimeoutMs) {
    HistoryOptions options;
    options.busyTimeoutMs = busyTimeoutMs;
    return open(location, options);
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const QString& location,
                                                         const HistoryOptions& options) {
    auto parsed = HistoryLocation::parse(location);
    if (!parsed)
        return parsed.error();
    return parsed->isShared() ? openPostgres(*parsed, options) : openSqlite(*parsed, options);
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::openSqlite(const HistoryLocation& location,
                                                               const HistoryOptions& options) {
    const QString path = location.path;
    const QFileInfo info(path);
    if (!makePrivateFolder(info.absolutePath()))
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
        const QString connection = nextConnectionName();
        std::unique_ptr<HistoryStore> store(new HistoryStore(location, connection, options));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(path);
            db.setConnectOptions(
                QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs));
            if (!db.open())
                return Error{ErrorKind::StorageUnavailable,
                             QStringLiteral("cannot open the history database %1: %2")
                                 .arg(path, db.lastError().text())};
            // A damaged file fails on its first read, typically with "file is not a database".
            bool corrupt = false;
            QString reason;
            {
                // Another process creating this file may hold it a moment: wait and retry.
                const Status probe = store->retryWhileLocked([&]() -> Status {
                    if (auto q = exec(db, QStringLiteral("SELECT count(*) FROM sqlite_master")); !q)
                        return q.error();
                    return {};
                });
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
            // journal_mode=WAL needs the file to itself: on a new file that many processes open
            // at once it may answer "locked" at once; the busy wait and retry cover it (#21.16).
            for (const char* pragma :
                 {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"})
                if (auto ok = store->retryWhileLocked([&]() -> Status {
                        if (auto r = exec(db, QString::fromLatin1(pragma)); !r)
                            return r.error();
                        return {};
                    });
                    !ok)
                    return ok.error();
        }
        store->m_recoveryNotice = notice;
        if (auto ok = store->migrate(); !ok)
            return ok.error();
        if (options.sweepInterrupted)
            if (auto ok = store->recoverInterrupted(); !ok)
                return ok.error();
        return store;
    }
    return Error{ErrorKind::StorageCorrupt,
                 QStringLiteral("the history database could not be recreated")};
}

QString HistoryStore::localPathFor(const HistoryLocation& location, const QString& base) {
    const QByteArray server = QStringLiteral("%1:%2/%3")
                                  .arg(location.host)
                                  .arg(location.port)
                                  .arg(location.database)
                                  .toUtf8();
    const QString tag = QString::fromLatin1(
        QCryptographicHash::hash(server, QCryptographicHash::Sha1).toHex().left(8));
    const QFileInfo info(base);
    return info.dir().filePath(info.completeBaseName() + u'-' + tag + u'.' + info.suffix());
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::openPostgres(const HistoryLocation& location,
                                                                 const HistoryOptions& options) {
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Error{ErrorKind::StorageUnavailable,
                     QStringLiteral("the history at %1 is a PostgreSQL database, but Qt's QPSQL "
                                    "driver is not installed (Debian: apt install "
                                    "libqt6sql6-psql)")
                         .arg(location.display())};
    if (options.localPath.isEmpty())
        return Error{ErrorKind::StorageUnavailable,
                     QStringLiteral("a shared history needs a local file for its outbox and this "
                                    "machine's secrets; none was given")};
    auto local =
        openSqlite(*HistoryLocation::parse(localPathFor(location, options.localPath)), options);
    if (!local)
        return Error{local.error().kind, QStringLiteral("the local file of the shared history: ") +
                                             local.error().message};
    if (auto r = exec(QSqlDatabase::database((*local)->m_connection),
                      QString::fromLatin1(kLocalSecretsTable), {},
                      QStringLiteral("preparing the local secret store"));
        !r)
        return r.error();

    std::unique_ptr<HistoryStore> store(new HistoryStore(location, nextConnectionName(), options));
    store->m_local = std::move(local.value());
    // The secrets go to the desktop keychain when its service answers (decided once per
    // session), else to the local file.
    store->m_fileSecrets = std::make_unique<FileSecretStore>(
        store->m_local->m_connection, location.display(), store->m_local->path());
    if (KeychainSecretStore::serviceRunning())
        store->m_keychainSecrets = std::make_unique<KeychainSecretStore>(
            QStringLiteral("%1:%2/%3").arg(location.host).arg(location.port).arg(location.database),
            *store->m_fileSecrets);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), store->m_connection);
    db.setHostName(location.host);
    db.setPort(location.port);
    db.setDatabaseName(location.database);
    if (!location.user.isEmpty())
        db.setUserName(location.user);
    // No password here: libpq takes it from $PGPASSFILE or ~/.pgpass.
    db.setConnectOptions(location.connectOptions);
    if (!options.connectAtOpen) {
        store->m_unreachable = true; // the owner connects later (reconnect())
        store->m_connectionState = Connection::NotYetConnected;
        store->m_connectionProblem =
            QStringLiteral("not connected to the shared history at %1 yet").arg(location.display());
    } else if (auto ok = store->connectShared(); !ok) {
        if (!store->m_unreachable)
            return ok.error(); // reached, but refused (schema, permissions): not an outage
        store->m_recoveryNotice = outageNotice(store->m_connectionState, ok.error().message);
    }
    if (store->m_local->interruptedOnOpen() > 0)
        store->m_interruptedOnOpen += store->m_local->interruptedOnOpen();
    return store;
}

QString HistoryStore::outageNotice(Connection connection, const QString& problem) {
    return connection == Connection::LoginRefused
               ? QStringLiteral("Login to the shared history refused: %1. Submissions are kept on "
                                "this machine and shared once the login works.")
                     .arg(problem)
               : QStringLiteral("The shared history is unreachable (%1). Submissions are kept on "
                                "this machine and shared when it returns.")
                     .arg(problem);
}

HistoryStore::~HistoryStore() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Status HistoryStore::connectShared() const {
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.isOpen() && !db.open()) {
        m_unreachable = true;
        m_retryAfterMs = QDateTime::currentMSecsSinceEpoch() + m_options.offlineRetryMs;
        const auto failure = PostgresConnectFailure::classify(db.lastError().text());
        const Error error = failure.toError(m_location);
        m_connectionState =
            failure.loginRefused() ? Connection::LoginRefused : Connection::Unreachable;
        m_connectionProblem = error.message;
        return error;
    }
    m_unreachable = false;
    m_connectionState = Connection::Connected;
    m_connectionProblem.clear();
    if (m_schemaReady)
        return {};
    auto* self = const_cast<HistoryStore*>(this); // the schema is part of being connected
    if (auto ok = self->migrate(); !ok) {
        db.close();
        return ok;
    }
    if (m_options.sweepInterrupted)
        if (auto ok = self->recoverInterrupted(); !ok)
            return ok;
    m_schemaReady = true;
    return {};
}

Result<QSqlDatabase> HistoryStore::shared() const {
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!isShared())
        return db;
    if (db.isOpen() && m_schemaReady)
        return db;
    if (m_unreachable &&
        (!m_options.reconnectInline || QDateTime::currentMSecsSinceEpoch() < m_retryAfterMs)) {
        if (m_connectionState == Connection::LoginRefused)
            return Error{ErrorKind::StorageLoginRefused, m_connectionProblem};
        return Error{ErrorKind::StorageUnavailable,
                     m_connectionState == Connection::NotYetConnected
                         ? m_connectionProblem
                         : QStringLiteral("the shared history at %1 is unreachable; trying again "
                                          "in a few seconds")
                               .arg(m_location.display())};
    }
    if (auto ok = connectShared(); !ok)
        return ok.error();
    return QSqlDatabase::database(m_connection, false);
}

Status HistoryStore::probe() const {
    auto db = shared();
    if (!db)
        return db.error();
    if (auto q = exec(*db, QStringLiteral("SELECT 1"), {}, QStringLiteral("reaching the server"));
        !q) {
        noteFailure();
        return q.error();
    }
    return {};
}

// After a failed statement: was it the server going away? Then the connection is dropped (the
// next call reconnects) and writes go to the outbox meanwhile.
void HistoryStore::noteFailure() const {
    // Already known to be away: the retry time stays, or constant sending would postpone it.
    if (!isShared() || m_unreachable)
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (db.isOpen()) {
        QSqlQuery probe(db);
        if (probe.exec(QStringLiteral("SELECT 1")))
            return;
    }
    db.close();
    m_schemaReady = false;
    m_unreachable = true;
    m_connectionState = Connection::Unreachable;
    m_connectionProblem = QStringLiteral("the connection to the shared history at %1 was lost")
                              .arg(m_location.display());
    m_retryAfterMs = QDateTime::currentMSecsSinceEpoch() + m_options.offlineRetryMs;
}

int HistoryStore::schemaVersion() const {
    auto db = shared();
    if (!db)
        return 0;
    auto q = exec(*db, QStringLiteral("SELECT max(version) FROM schema_version"));
    return q && q->next() ? q->value(0).toInt() : 0;
}

QStringList HistoryStore::migrationSteps(const HistoryDialect& dialect, int version) {
    switch (version) {
    case 1:
        return dialect.ddl(firstSchemaSql());
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
    default:
        return {};
    }
}

QStringList HistoryStore::schemaSqlUpTo(const HistoryDialect& dialect, int version) {
    QStringList sql;
    for (int v = 1; v <= version; ++v)
        sql += migrationSteps(dialect, v);
    return sql;
}

// Each version is one transaction that re-reads the version after taking the migration lock,
// so two consoles starting together migrate once. A history already at this version is only
// read: no write lock is taken, and a read-only copy opens.
Status HistoryStore::migrate() {
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (auto current = storedSchemaVersion(db, m_dialect,
                                           QStringLiteral("reading the history "
                                                          "schema version"));
        current && *current == SchemaVersion)
        return {};
    for (int target = 1; target <= SchemaVersion; ++target)
        if (auto ok = retryWhileLocked([&] { return migrateTo(target); }); !ok)
            return ok;
    return {};
}

// One version's transaction. On SQLite it begins IMMEDIATE: the write lock is taken (waiting up
// to the busy timeout) before the version is read. A deferred BEGIN would read first, and
// upgrading a read to a write while another process creates the schema fails at once with
// "locked", without waiting (#21.16).
Status HistoryStore::migrateTo(int target) {
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const QString what = target == 1
                             ? QStringLiteral("creating the history schema")
                             : QStringLiteral("migrating the history to version %1").arg(target);
    if (m_dialect.isPostgres()) {
        if (auto ok = beginTransaction(db, what); !ok)
            return ok;
    } else if (auto begun = exec(db, QStringLiteral("BEGIN IMMEDIATE"), {}, what); !begun) {
        return begun.error();
    }
    if (auto ok = execInTransaction(db, m_dialect.migrationLock(), what); !ok)
        return ok;
    // Read under the lock: another process may have done this step meanwhile.
    auto version = storedSchemaVersion(db, m_dialect, what);
    if (!version) {
        db.rollback();
        return version.error();
    }
    if (*version > SchemaVersion) {
        db.rollback();
        return Error{ErrorKind::StorageUnavailable,
                     QStringLiteral("the history database has schema version %1, newer than "
                                    "this DCR Console (%2); update the console")
                         .arg(*version)
                         .arg(SchemaVersion)};
    }
    if (*version < target)
        if (auto ok = execInTransaction(db, migrationSteps(m_dialect, target), what); !ok)
            return ok;
    return commitOrRollback(db, what);
}

Status HistoryStore::retryWhileLocked(const std::function<Status()>& step) const {
    QDeadlineTimer deadline(std::max(m_options.busyTimeoutMs, 0));
    for (int attempt = 1;; ++attempt) {
        Status result = step();
        if (result.ok() || result.error().kind != ErrorKind::StorageLocked || deadline.hasExpired())
            return result;
        // A short, growing pause, so that the process holding the lock can finish.
        QThread::msleep(static_cast<unsigned long>(std::min(5 * attempt, 50)));
    }
}

// Only this user's rows on this machine whose process is gone (and rows older than writer
// identity): another writer's row in "sending" is a request in flight, not a crash.
Status HistoryStore::recoverInterrupted() {
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const QString what = QStringLiteral("marking interrupted submissions");
    auto writers = exec(db,
                        QStringLiteral("SELECT DISTINCT writer_pid, writer_process FROM "
                                       "submissions WHERE state='sending' AND writer_user = ? "
                                       "AND writer_host = ?"),
                        {m_writer.user, m_writer.host}, what);
    if (!writers)
        return writers.error();
    QList<QPair<qint64, QString>> dead;
    while (writers->next()) {
        const qint64 pid = writers->value(0).toLongLong();
        const QString key = writers->value(1).toString();
        const bool mine = pid == m_writer.pid && key == m_writer.processKey;
        if (!mine && !WriterIdentity::processRunning(pid, key))
            dead << qMakePair(pid, key);
    }
    writers->finish();
    const QString interrupt = QString::fromLatin1(kInterruptSet);
    auto legacy = exec(db, interrupt + QStringLiteral(" AND writer_user IS NULL"), {}, what);
    if (!legacy)
        return legacy.error();
    m_interruptedOnOpen += legacy->numRowsAffected(); // the local outbox's count may be in
    for (const auto& [pid, key] : dead) {
        auto q = exec(db,
                      interrupt + QStringLiteral(" AND writer_user = ? AND writer_host = ? AND "
                                                 "writer_pid = ? AND coalesce(writer_process, "
                                                 "'') = ?"),
                      {m_writer.user, m_writer.host, pid, key}, what);
        if (!q)
            return q.error();
        m_interruptedOnOpen += q->numRowsAffected();
    }
    return {};
}

SubmissionRecord HistoryStore::sharedForm(const SubmissionRecord& full) const {
    SubmissionRecord s = full;
    if (!isShared())
        return s;
    bool masked = false;
    if (bodyHasSecrets(s.requestJwt)) {
        s.requestJwt = maskSecretsInBody(s.requestJwt, s.contentType);
        s.requestClaims =
            QJsonDocument::fromJson(maskSecretsInJson(QJsonDocument(s.requestClaims).toJson()))
                .object();
        masked = true;
    }
    if (bodyHasSecrets(s.responseBody)) {
        s.responseBody = maskSecretsInBody(s.responseBody, s.responseContentType());
        masked = true;
    }
    if (unmaskable(full.requestJwt, full.contentType)) {
        s.requestJwt = withheldBody(m_writer.person());
        s.requestClaims = {};
        masked = true;
    }
    if (unmaskable(full.responseBody, full.responseContentType())) {
        s.responseBody = withheldBody(m_writer.person());
        // The classification quotes an unexpected body's text: withheld with it.
        if (!s.errorText.isEmpty())
            s.errorText = QString::fromUtf8(withheldBody(m_writer.person()));
        masked = true;
    }
    if (masked)
        s.secretsHolder = m_writer.person();
    return s;
}

LocalSecretStore* HistoryStore::secretStore() const {
    if (m_keychainSecrets)
        return m_keychainSecrets.get();
    return m_fileSecrets.get();
}

QString HistoryStore::localSecretStore() const {
    auto* store = secretStore();
    return store ? store->description() : QString();
}

Status HistoryStore::keepSecretsLocally(const SubmissionRecord& full) {
    if (!m_local || !carriesSecrets(full))
        return {};
    return secretStore()->keep(
        full.uid, LocalSecrets{full.requestJwt, full.requestClaims, full.responseBody});
}

void HistoryStore::restoreLocalSecrets(SubmissionRecord& r) const {
    if (!m_local || r.secretsHolder.isEmpty())
        return;
    const auto secrets = secretStore()->find(r.uid);
    if (!secrets) {
        r.secretsElsewhere = true;
        return;
    }
    r.requestJwt = secrets->requestJwt;
    r.requestClaims = secrets->requestClaims;
    r.responseBody = secrets->responseBody;
}

Result<qint64> HistoryStore::insert(const SubmissionRecord& record, const QString& onConflict) {
    auto db = shared();
    if (!db)
        return db.error();
    auto q = exec(*db, insertSql(onConflict), rowValues(record),
                  QStringLiteral("recording the submission"));
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0; // 0: already there (DO NOTHING)
}

Result<qint64> HistoryStore::keepInOutbox(const SubmissionRecord& record) {
    auto id = m_local->insert(record, QStringLiteral("DO UPDATE"));
    if (!id)
        return Error{id.error().kind,
                     QStringLiteral("the shared history is unreachable and the local outbox "
                                    "failed too: ") +
                         id.error().message};
    return -*id;
}

Result<qint64> HistoryStore::begin(const SubmissionStart& s) {
    SubmissionRecord r;
    r.created = QDateTime::currentDateTimeUtc();
    r.state = QStringLiteral("sending");
    r.outcome = QStringLiteral("sending");
    r.profile = s.profile;
    r.method = s.method;
    r.url = s.url;
    r.contentType = s.contentType;
    r.requestJwt = s.requestJwt;
    r.requestClaims = s.requestClaims;
    r.softwareId = s.softwareId;
    r.clientName = s.clientName;
    r.clientId = s.clientId;
    r.tlsVerificationOff = s.tlsVerificationOff;
    r.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    r.writerUser = m_writer.user;
    r.writerHost = m_writer.host;
    r.writerPid = m_writer.pid;
    r.writerProcess = m_writer.processKey;
    if (!isShared())
        return insert(r, {});
    // The secrets are safe on this machine before anything reaches the server.
    if (auto ok = keepSecretsLocally(r); !ok)
        return ok.error();
    auto id = insert(sharedForm(r), {});
    if (id) {
        m_inFlight.insert(*id, r);
        return id;
    }
    noteFailure();
    if (!m_unreachable)
        return id.error();
    return keepInOutbox(r);
}

Status HistoryStore::complete(qint64 id, const HttpExchange& e,
                              const RegistrationOutcome* outcome) {
    if (id < 0) {
        if (!m_local)
            return Error{ErrorKind::StorageNotFound,
                         QStringLiteral("history entry %1 does not exist").arg(id)};
        auto ok = m_local->complete(-id, e, outcome);
        if (ok)
            (void)shareOutbox(); // a failure leaves the row in the outbox for the next try
        return ok;
    }
    SubmissionRecord full;
    if (isShared()) {
        // The whole row is needed to keep it in the outbox if the server is gone by now.
        if (auto it = m_inFlight.find(id); it != m_inFlight.end()) {
            full = *it;
            m_inFlight.erase(it);
        } else if (auto row = get(id); row) {
            full = *row;
        }
    }
    applyCompletion(full, e, outcome);
    if (auto ok = keepSecretsLocally(full); !ok)
        return ok;
    const SubmissionRecord c = sharedForm(full);
    auto db = shared();
    Result<QSqlQuery> q =
        db ? exec(*db,
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
                   headersJson(c.responseHeaders), c.responseBody, c.truncated ? 1 : 0,
                   c.errorClass, c.errorCode, c.errorText, c.failureClass, c.failureMessage,
                   c.elapsedMs, c.tlsSummary, outcome ? outcome->clientId() : QString(),
                   c.secretsHolder.isEmpty() ? QVariant() : c.secretsHolder,
                   c.tlsVerificationOff ? 1 : 0, id},
                  QStringLiteral("recording the answer"))
           : Result<QSqlQuery>(db.error());
    if (!q) {
        noteFailure();
        if (isShared() && m_unreachable && !full.uid.isEmpty()) {
            // Uploaded over the server's "sending" row when it returns (same uid).
            if (auto kept = keepInOutbox(full); !kept)
                return kept.error();
            return {};
        }
        return q.error();
    }
    if (q->numRowsAffected() != 1)
        return Error{
            ErrorKind::StorageNotFound,
            QStringLiteral("history entry %1 does not exist (deleted while sending?)").arg(id)};
    return {};
}

qint64 HistoryStore::unsharedCount() const {
    if (!m_local)
        return 0;
    auto n = m_local->count();
    return n ? *n : 0;
}

Result<qint64> HistoryStore::shareOutbox() {
    if (!m_local || unsharedCount() == 0)
        return qint64(0);
    if (auto db = shared(); !db)
        return db.error();
    // A row still being sent waits for its answer.
    auto waiting = history_sql::ids(QSqlDatabase::database(m_local->m_connection),
                                    QStringLiteral("SELECT id FROM submissions WHERE state != "
                                                   "'sending' ORDER BY id"),
                                    {}, QStringLiteral("reading the outbox"));
    if (!waiting)
        return waiting.error();
    qint64 uploaded = 0;
    for (qint64 localId : *waiting) {
        auto full = m_local->get(localId);
        if (!full)
            return full.error();
        if (full->uid.isEmpty())
            full->uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (auto ok = keepSecretsLocally(*full); !ok)
            return ok.error();
        if (auto up = insert(sharedForm(*full), QStringLiteral("DO UPDATE")); !up) {
            noteFailure();
            return up.error();
        }
        if (auto ok = m_local->remove({localId}); !ok)
            return ok.error();
        ++uploaded;
    }
    return uploaded;
}

Result<HistoryPage> HistoryStore::page(const HistoryQuery& query,
                                       const std::optional<HistoryCursor>& after, int limit) const {
    auto db = shared();
    if (!db)
        return db.error();
    QVariantList binds;
    QString where = whereFor(query, binds);
    if (after) {
        where += (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
                 QStringLiteral("(created_at, id) < (?, ?)");
        binds << after->createdMs << after->id;
    }
    binds << limit;
    auto q = exec(
        *db,
        QStringLiteral("SELECT %1 FROM submissions%2 ORDER BY created_at DESC, id DESC LIMIT ?")
            .arg(summaryColumns(), where),
        binds, QStringLiteral("reading the history"));
    if (!q) {
        noteFailure();
        return q.error();
    }
    HistoryPage page;
    while (q->next())
        page.rows << readSummary(*q);
    if (page.rows.size() == limit)
        page.next =
            HistoryCursor{page.rows.last().created.toMSecsSinceEpoch(), page.rows.last().id};
    return page;
}

Result<qint64> HistoryStore::count(const HistoryQuery& query) const {
    auto db = shared();
    if (!db)
        return db.error();
    QVariantList binds;
    auto q = exec(*db, QStringLiteral("SELECT count(*) FROM submissions") + whereFor(query, binds),
                  binds, QStringLiteral("counting the history"));
    if (!q) {
        noteFailure();
        return q.error();
    }
    q->next();
    return q->value(0).toLongLong();
}

// WHERE clause and binds for a query (shared by page() and count()).
QString HistoryStore::whereFor(const HistoryQuery& query, QVariantList& binds) const {
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

Result<SubmissionRecord> HistoryStore::get(qint64 id) const {
    if (id < 0) {
        if (!m_local)
            return Error{ErrorKind::StorageNotFound,
                         QStringLiteral("no history entry with id %1").arg(id)};
        auto r = m_local->get(-id);
        if (!r)
            return r.error();
        r->id = id;
        r->unshared = true;
        return r;
    }
    auto db = shared();
    if (!db)
        return db.error();
    auto q = exec(*db,
                  QStringLiteral("SELECT %1, %2 FROM submissions WHERE id = ?")
                      .arg(summaryColumns(), detailColumns()),
                  {id}, QStringLiteral("reading a history entry"));
    if (!q) {
        noteFailure();
        return q.error();
    }
    if (!q->next())
        return Error{ErrorKind::StorageNotFound,
                     QStringLiteral("no history entry with id %1").arg(id)};
    SubmissionRecord r = readSummary(*q);
    readDetails(*q, r);
    restoreLocalSecrets(r);
    return r;
}

Result<QList<SubmissionRecord>> HistoryStore::clientRecords(const QString& profile) const {
    auto db = shared();
    if (!db)
        return db.error();
    // Bound as text even when empty: a null QString is SQL NULL, and "NULL = ''" is not true.
    const QString named = profile.isNull() ? QStringLiteral("") : profile;
    auto ids = history_sql::ids(
        *db,
        QStringLiteral("SELECT id FROM submissions WHERE client_id IS NOT NULL AND client_id != "
                       "'' AND (? = '' OR profile = ?) ORDER BY created_at, id"),
        {named, named}, QStringLiteral("reading the registered clients"));
    if (!ids) {
        noteFailure();
        return ids.error();
    }
    QList<SubmissionRecord> out;
    for (qint64 id : *ids) {
        auto r = get(id);
        if (!r)
            return r.error();
        out << *r;
    }
    if (m_local) {
        // A client registered while the server was away is managed from here meanwhile.
        auto waiting = m_local->clientRecords(profile);
        if (!waiting)
            return waiting.error();
        for (SubmissionRecord r : *waiting) {
            r.id = -r.id;
            r.unshared = true;
            out << r;
        }
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.created < b.created; });
    }
    return out;
}

Status HistoryStore::remove(const QList<qint64>& ids) {
    QList<qint64> local;
    QList<qint64> here;
    for (qint64 id : ids)
        (id < 0 ? local : here) << (id < 0 ? -id : id);
    // A deleted row's secrets kept on this machine go with it.
    QStringList uids;
    if (m_local) {
        for (qint64 id : here)
            if (auto r = get(id); r && !r->uid.isEmpty())
                uids << r->uid;
        for (qint64 id : local)
            if (auto r = m_local->get(id); r && !r->uid.isEmpty())
                uids << r->uid;
    }
    if (!local.isEmpty()) {
        if (!m_local)
            return Error{ErrorKind::StorageNotFound, QStringLiteral("no outbox in this history")};
        if (auto ok = m_local->remove(local); !ok)
            return ok;
    }
    auto db = shared();
    if (!db)
        return db.error();
    const QString what = QStringLiteral("deleting history entries");
    if (auto ok = beginTransaction(*db, what); !ok)
        return ok;
    for (qint64 id : here)
        if (auto q = exec(*db, QStringLiteral("DELETE FROM submissions WHERE id = ?"), {id}, what);
            !q) {
            db->rollback();
            return q.error();
        }
    if (auto ok = commitOrRollback(*db, what); !ok)
        return ok;
    for (const QString& uid : uids)
        if (auto ok = secretStore()->forget(uid); !ok)
            return Error{ok.error().kind,
                         QStringLiteral("the entries were deleted, but this machine's copy of "
                                        "their secrets was not: %1")
                             .arg(ok.error().message)};
    return {};
}

Status HistoryStore::setNote(qint64 id, const QString& note, const QStringList& tags) {
    if (id < 0 && m_local)
        return m_local->setNote(-id, note, tags);
    auto db = shared();
    if (!db)
        return db.error();
    auto q = exec(*db, QStringLiteral("UPDATE submissions SET note = ?, tags = ? WHERE id = ?"),
                  {note, tags.join(u','), id}, QStringLiteral("saving the note"));
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return Error{ErrorKind::StorageNotFound,
                     QStringLiteral("no history entry with id %1").arg(id)};
    return {};
}

Status HistoryStore::forgetSecrets(const QList<qint64>& ids) {
    auto db = shared();
    if (!db)
        return db.error();
    if (auto ok = beginTransaction(*db, QStringLiteral("forgetting secrets")); !ok)
        return ok;
    for (qint64 id : ids) {
        if (id < 0 && m_local) {
            if (auto ok = m_local->forgetSecrets({-id}); !ok) {
                db->rollback();
                return ok;
            }
            continue;
        }
        auto record = get(id);
        if (!record) {
            db->rollback();
            return record.error();
        }
        // JSON keeps its shape with the secrets null; a signed (JWT) body is replaced by its
        // decoded payload with a note, because its base64url would still carry the secrets.
        const QByteArray body =
            forgetSecretsInBody(record->responseBody, record->responseContentType());
        if (auto q =
                exec(*db,
                     QStringLiteral("UPDATE submissions SET response_body = ?, "
                                    "secrets_forgotten = 1, secrets_holder = NULL WHERE id = ?"),
                     {body, id}, QStringLiteral("forgetting secrets"));
            !q) {
            db->rollback();
            return q.error();
        }
        if (m_local && !record->uid.isEmpty())
            if (auto ok = secretStore()->forget(record->uid); !ok) {
                db->rollback();
                return ok;
            }
    }
    return commitOrRollback(*db, QStringLiteral("forgetting secrets"));
}

Result<qint64> HistoryStore::importFrom(const QString& otherPath) {
    // Opening migrates the other file to this schema version (and marks its stale rows
    // interrupted).
    auto other = open(otherPath);
    if (!other)
        return other.error();
    if ((*other)->schemaVersion() != SchemaVersion)
        return Error{ErrorKind::StorageUnavailable,
                     QStringLiteral("%1 has schema version %2, not %3")
                         .arg(otherPath)
                         .arg((*other)->schemaVersion())
                         .arg(SchemaVersion)};
    auto all = history_sql::ids(QSqlDatabase::database((*other)->m_connection),
                                QStringLiteral("SELECT id FROM submissions ORDER BY id"), {},
                                QStringLiteral("reading %1").arg(otherPath));
    if (!all)
        return all.error();
    auto db = shared();
    if (!db)
        return db.error();
    const QString what = QStringLiteral("importing the rows of %1").arg(otherPath);
    if (auto ok = beginTransaction(*db, what); !ok)
        return ok.error();
    qint64 copied = 0;
    for (qint64 id : *all) {
        auto row = (*other)->get(id);
        if (!row) {
            db->rollback();
            return row.error();
        }
        if (row->uid.isEmpty())
            row->uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        Result<qint64> inserted = qint64(0);
        if (auto ok = keepSecretsLocally(*row); !ok)
            inserted = ok.error();
        else
            inserted = insert(sharedForm(*row), QStringLiteral("DO NOTHING"));
        if (!inserted) {
            db->rollback();
            return Error{inserted.error().kind,
                         what + QStringLiteral(": ") + inserted.error().message};
        }
        copied += *inserted > 0 ? 1 : 0;
    }
    if (auto ok = commitOrRollback(*db, what); !ok)
        return ok.error();
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
