#pragma once

#include "FileSecretStore.h"
#include "HistoryConnection.h"
#include "HistoryDialect.h"
#include "HistoryLocation.h"
#include "HistoryOptions.h"
#include "HistoryQuery.h"
#include "SubmissionRecord.h"
#include "TeamProfile.h"
#include "TeamRun.h"
#include "WriterIdentity.h"
#include "common/Result.h"

#include <QCoreApplication>
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

class SharedHistory;
class SqlHistory;
struct HistoryRowId;

// Every submission, kept through Qt SQL in a SQLite file or a shared PostgreSQL database (see
// HistoryLocation). Rows are written in state "sending" before a request leaves and completed
// when its answer (or failure) arrives; rows a killed process of this user on this machine left
// in "sending" become "interrupted" on the next open, and nobody else's. Private keys and
// passphrases never reach it; on PostgreSQL the registration's secrets stay on this machine
// (masked in the shared row, clear in the local file or keychain), and rows that cannot reach
// the server wait in the local outbox until it returns.
//
// The front ends' one door to the history: a SQLite history is a SqlHistory (plain SQL), a
// shared one a SharedHistory (the server, the outbox, this machine's secrets). Row ids are one
// number here, as the front ends show them: an outbox row's is negative (HistoryRowId::key()).
class HistoryStore {
    Q_DECLARE_TR_FUNCTIONS(HistoryStore)
public:
    static constexpr int SchemaVersion = 7;

    using Connection = HistoryConnection;

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
    // PostgreSQL with a keychain: waits at most timeoutMs for the keychain to answer the copies
    // and deletions of secrets started meanwhile (SharedHistory::flushSecrets); runs the event
    // loop, so only at a program's top level. Always succeeds on SQLite.
    Status flushSecrets(int timeoutMs);
    QString recoveryNotice() const;
    // What the user is told when a shared history is unreachable or refuses the login (problem:
    // why, as connectionProblem() says it); the same words at open and later, in every program.
    static QString outageNotice(Connection connection, const QString& problem);
    int interruptedOnOpen() const;
    int schemaVersion();

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
    bool serverUnreachable() const { return connection() != Connection::Connected; }
    Connection connection() const;
    // Why it is not connected, as the user should read it (empty when connected).
    QString connectionProblem() const;
    // Connects again now (after a probe from another thread found the server answering).
    Status reconnect();
    // Whether the server answers now (connecting if need be): what a probe runs.
    Status probe();

    // Reads are not const: on a shared history a read may reconnect to the server.
    Result<HistoryPage> page(const HistoryQuery& query,
                             const std::optional<HistoryCursor>& after = std::nullopt,
                             int limit = 50);
    Result<qint64> count(const HistoryQuery& query = {});
    Result<SubmissionRecord> get(qint64 id);

    // Every row that names a client (its registration and what was done to it since), oldest
    // first, in full; profile empty: all profiles.
    Result<QList<SubmissionRecord>> clientRecords(const QString& profile = {});

    Status remove(const QList<qint64>& ids);
    Status setNote(qint64 id, const QString& note, const QStringList& tags);
    // Blanks client_secret and registration_access_token in the stored responses (and drops
    // this machine's copy of a shared row's secrets).
    Status forgetSecrets(const QList<qint64>& ids);

    // Copies every row of another history file (migrated to this schema first) into this one, in
    // one transaction: all rows or none; a row already here (same uid) is not copied twice.
    // Returns the number of rows copied.
    Result<qint64> importFrom(const QString& otherPath);

    // --- what a team shares besides rows (#25.4; TeamEvidence): a shared history only. A history
    // file refuses each with an error that says so (the tables exist there, unused).
    // Shares a run summary (masked once more on its way: TeamEvidence::sharedSummary) as this
    // store's writer; false: the team already had it (same run id).
    Result<bool> shareTestRun(const TeamRun& run);
    // The newest runs first, at most limit (1..TeamEvidence::MaxRunsListed).
    Result<QList<TeamRun>> teamRuns(int limit);
    Result<TeamRun> teamRun(const QString& runId);
    // profile: JSON already checked for secrets by the caller (ProfilePublication).
    Status publishProfile(const TeamProfile& profile, bool replace);
    Result<QList<TeamProfile>> teamProfiles();
    Result<TeamProfile> teamProfile(const QString& name);

    Result<QByteArray> exportJson(const QList<qint64>& ids, bool revealSecrets = false);
    Result<QString> exportCurl(const QList<qint64>& ids);

    // The connection name, for benchmarks that compare with direct SQL on the same database.
    QString connectionName() const;
    // The SQL the schema had in its first released version (migrations start from it).
    static QStringList firstSchemaSql();
    // The SQL that builds the schema as version `version` had it (every migration step up to
    // it), in a backend's words: tests start from an old history with it.
    static QStringList schemaSqlUpTo(const HistoryDialect& dialect, int version);

private:
    HistoryStore(HistoryLocation location, HistoryOptions options);
    Error notShared() const;

    HistoryLocation m_location;
    HistoryOptions m_options;
    WriterIdentity m_writer;
    // Exactly one of them: the SQLite history, or the shared one.
    std::unique_ptr<SqlHistory> m_sql;
    std::unique_ptr<SharedHistory> m_shared;
};

} // namespace dcr
