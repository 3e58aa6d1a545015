#pragma once

#include "FileSecretStore.h"
#include "HistoryDialect.h"
#include "HistoryLocation.h"
#include "SubmissionRecord.h"
#include "WriterIdentity.h"
#include "common/Result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>

// Only named here: QtSql stays out of every file that includes the store (the session, the views).
class QSqlDatabase;

namespace dcr {

// Every value a row's outcome can take, in the order the filters offer them.
const QStringList& historyOutcomeKinds();

struct HistoryQuery {
    QString text;    // matches software_id, client name, URL, status, error class/text, note, tags
    QString outcome; // accepted, registered, error, unexpected, transport, interrupted, sending
    QString profile;
    QDateTime from;
    QDateTime to;
    QString writer = {}; // who sent it: a login ("alice") or "alice@host"
};

// Keyset paging position: the (created, id) of the last row of the previous page.
struct HistoryCursor {
    qint64 createdMs = 0;
    qint64 id = 0;
};

struct HistoryPage {
    QList<SubmissionRecord> rows; // summary columns only (no bodies); use get() for a full row
    std::optional<HistoryCursor> next;
};

struct HistoryOptions {
    int busyTimeoutMs = 5000; // SQLite: how long to wait for another writer
    // PostgreSQL: the local SQLite file that keeps the outbox (rows written while the server was
    // unreachable) and this machine's secrets. Required for a shared history. One file per
    // shared database: "history-local.sqlite" becomes "history-local-<8 hex>.sqlite", named
    // after host, port and database, so an outbox is only ever uploaded where it belongs.
    QString localPath;
    // Who writes; tests pretend to be somebody else. Empty user: this process.
    WriterIdentity writer;
    // After the server was found unreachable, writes go to the outbox without trying it again
    // for this long, so that sending never waits on a connect timeout twice in a row.
    int offlineRetryMs = 10000;
    // false: once the server was found away, this store never tries it again by itself (a
    // connect to a silent host waits connect_timeout); the owner probes from another thread
    // (HistoryReader::requestProbe) and calls reconnect() when the server answers. The session
    // does this, so the window never waits on a connect.
    bool reconnectInline = true;
    // false: a shared history opens without connecting (state NotYetConnected): writes go to the
    // outbox, as when the server is away, until reconnect() succeeds. The console opens so and
    // lets its reader thread make the first connection, so its start never waits on a connect.
    bool connectAtOpen = true;
    // Whether connecting marks this user's stale "sending" rows interrupted (see open()). The
    // reader's read-only connection leaves that to the store that writes, which reports it.
    bool sweepInterrupted = true;
};

// Every submission, kept through Qt SQL in a SQLite file or a shared PostgreSQL database (see
// HistoryLocation). Rows are written in state "sending" before a request leaves and completed
// when its answer (or failure) arrives; rows a killed process of this user on this machine left
// in "sending" become "interrupted" on the next open, and nobody else's. Private keys and
// passphrases never reach it; on PostgreSQL the registration's secrets stay on this machine
// (masked in the shared row, clear in the local file), and rows that cannot reach the server
// wait in the local outbox (negative ids) until it returns.
class HistoryStore {
public:
    static constexpr int SchemaVersion = 5;

    // A shared history's link to its server (a SQLite history is always Connected). In every
    // state but Connected, writes go to the outbox and nothing is lost.
    enum class Connection {
        Connected,
        NotYetConnected, // opened with connectAtOpen = false, not tried yet
        Unreachable,     // the server was not reached, or went away
        LoginRefused,    // the server answered and refused the login (see connectionProblem())
    };

    // Opens (creating, migrating, recovering) the history at a location (a file path or a
    // postgresql:// URL). A corrupt SQLite file is moved aside as <name>.corrupt-<time> and a new
    // one created; recoveryNotice() then says so. An unreachable PostgreSQL server with a local
    // file given opens the store offline: writes go to the outbox, and reads report the server.
    // Where it lives is decided by the session layer (AppPaths), not here.
    static Result<std::unique_ptr<HistoryStore>> open(const QString& location,
                                                      int busyTimeoutMs = 5000);
    static Result<std::unique_ptr<HistoryStore>> open(const QString& location,
                                                      const HistoryOptions& options);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    // The location as the user may see it (a file path, or the URL without any password).
    QString path() const { return m_location.display(); }
    bool isShared() const { return m_location.isShared(); }
    const WriterIdentity& writer() const { return m_writer; }
    // PostgreSQL: where this machine keeps the clear secrets of its rows ("desktop keychain
    // (service dcr-console)" or "local file <path>"); empty on SQLite.
    QString localSecretStore() const;
    QString recoveryNotice() const { return m_recoveryNotice; }
    // What the user is told when a shared history is unreachable or refuses the login (problem:
    // why, as connectionProblem() says it); the same words at open and later, in every program.
    static QString outageNotice(Connection connection, const QString& problem);
    int interruptedOnOpen() const { return m_interruptedOnOpen; }
    int schemaVersion() const;

    // A negative id: the row is in the outbox (the shared history was unreachable).
    Result<qint64> begin(const SubmissionStart& start);
    Status complete(qint64 id, const HttpExchange& exchange, const RegistrationOutcome* outcome);

    // --- the outbox (PostgreSQL only; always 0 on SQLite)
    // Rows kept locally because the server was unreachable: "N submissions not yet shared".
    qint64 unsharedCount() const;
    // Uploads every finished outbox row (a row still being sent waits for its answer); returns
    // how many were shared. Tries the server at most once per offlineRetryMs while it is away.
    Result<qint64> shareOutbox();
    // Whether the shared server is not connected now (away, login refused, or not tried yet):
    // writes go to the outbox.
    bool serverUnreachable() const { return m_unreachable; }
    Connection connection() const { return m_connectionState; }
    // Why it is not connected, as the user should read it (empty when connected).
    QString connectionProblem() const { return m_connectionProblem; }
    // Connects again now (after a probe from another thread found the server answering).
    Status reconnect() { return connectShared(); }
    // Whether the server answers now (connecting if need be): what a probe runs.
    Status probe() const;

    Result<HistoryPage> page(const HistoryQuery& query,
                             const std::optional<HistoryCursor>& after = std::nullopt,
                             int limit = 50) const;
    Result<qint64> count(const HistoryQuery& query = {}) const;
    Result<SubmissionRecord> get(qint64 id) const;

    // Every row that names a client (its registration and what was done to it since), oldest
    // first, in full; profile empty: all profiles.
    Result<QList<SubmissionRecord>> clientRecords(const QString& profile = {}) const;

    Status remove(const QList<qint64>& ids);
    Status setNote(qint64 id, const QString& note, const QStringList& tags);
    // Blanks client_secret and registration_access_token in the stored responses (and drops
    // this machine's copy of a shared row's secrets).
    Status forgetSecrets(const QList<qint64>& ids);

    // Copies every row of another history file (migrated to this schema first) into this one, in
    // one transaction: all rows or none; a row already here (same uid) is not copied twice.
    // Returns the number of rows copied.
    Result<qint64> importFrom(const QString& otherPath);

    Result<QByteArray> exportJson(const QList<qint64>& ids, bool revealSecrets = false) const;
    Result<QString> exportCurl(const QList<qint64>& ids) const;

    // The connection name, for benchmarks that compare with direct SQL on the same database.
    QString connectionName() const { return m_connection; }
    // The SQL the schema had in its first released version (migrations start from it).
    static QStringList firstSchemaSql();
    // The SQL that builds the schema as version `version` had it (every migration step up to
    // it), in a backend's words: tests start from an old history with it.
    static QStringList schemaSqlUpTo(const HistoryDialect& dialect, int version);

private:
    HistoryStore(HistoryLocation location, QString connection, HistoryOptions options);
    static Result<std::unique_ptr<HistoryStore>> openSqlite(const HistoryLocation& location,
                                                            const HistoryOptions& options);
    static QString localPathFor(const HistoryLocation& location, const QString& base);
    static Result<std::unique_ptr<HistoryStore>> openPostgres(const HistoryLocation& location,
                                                              const HistoryOptions& options);
    static QStringList migrationSteps(const HistoryDialect& dialect, int version);
    QString whereFor(const HistoryQuery& query, QVariantList& binds) const;
    Status migrate();
    Status migrateTo(int target);
    // Runs a step again while SQLite answers "locked" at once (it does not wait for a lock a
    // reader would need to upgrade), for at most the busy timeout.
    Status retryWhileLocked(const std::function<Status()>& step) const;
    Status recoverInterrupted();
    // PostgreSQL: the connection, reopened (and the schema checked) after the server went away.
    Result<QSqlDatabase> shared() const;
    Status connectShared() const;
    void noteFailure() const;
    // The form a row takes in the shared database: its secrets masked, and held by this writer.
    SubmissionRecord sharedForm(const SubmissionRecord& full) const;
    Status keepSecretsLocally(const SubmissionRecord& full);
    void restoreLocalSecrets(SubmissionRecord& r) const;
    LocalSecretStore* secretStore() const;
    Result<qint64> insert(const SubmissionRecord& record, const QString& onConflict);
    Result<qint64> keepInOutbox(const SubmissionRecord& record);

    HistoryLocation m_location;
    HistoryDialect m_dialect;
    QString m_connection;
    HistoryOptions m_options;
    WriterIdentity m_writer;
    QString m_recoveryNotice;
    int m_interruptedOnOpen = 0;
    // PostgreSQL only: the outbox and this machine's secrets.
    std::unique_ptr<HistoryStore> m_local;
    // The secrets in the local file; and in the desktop keychain instead when its service runs
    // (null otherwise). Declared in this order: the keychain store uses the file as its fallback.
    std::unique_ptr<FileSecretStore> m_fileSecrets;
    std::unique_ptr<LocalSecretStore> m_keychainSecrets;
    // Rows begun on the server and not yet complete, so that an answer arriving while the server
    // is away can still be kept (in the outbox, uploaded over the "sending" row later).
    QHash<qint64, SubmissionRecord> m_inFlight;
    mutable bool m_unreachable = false;
    mutable Connection m_connectionState = Connection::Connected;
    mutable QString m_connectionProblem;
    mutable bool m_schemaReady = false;
    mutable qint64 m_retryAfterMs = 0;
};

} // namespace dcr
