#pragma once

#include "FileSecretStore.h"
#include "HistoryOptions.h"
#include "HistoryQuery.h"
#include "HistoryRowId.h"
#include "ServerLink.h"
#include "SqlHistory.h"
#include "TeamProfile.h"
#include "TeamRun.h"

#include <QCoreApplication>
#include <QHash>

#include <memory>

namespace dcr {

class KeychainSecretStore;

// A history shared on a PostgreSQL server, as this machine keeps it: the server's rows (with
// their secrets masked, SharedRowForm), the clear secrets of this machine's rows in a local
// secret store (the desktop keychain, or the local file), and an outbox in the local SQLite file
// for the rows written while the server could not be reached (ServerLink), uploaded when it
// returns. Rows are addressed by HistoryRowId: on the server or in the outbox.
class SharedHistory {
    Q_DECLARE_TR_FUNCTIONS(SharedHistory)
public:
    static Result<std::unique_ptr<SharedHistory>> open(const HistoryLocation& location,
                                                       const HistoryOptions& options,
                                                       const WriterIdentity& writer);
    SharedHistory(const SharedHistory&) = delete;
    SharedHistory& operator=(const SharedHistory&) = delete;
    ~SharedHistory();

    const ServerLink& link() const { return m_link; }
    Status reconnect() { return m_link.connect(); }
    // Whether the server answers now (connecting if need be): what a probe runs.
    Status probe();
    QString recoveryNotice() const { return m_recoveryNotice; }
    int interruptedOnOpen() const;
    int schemaVersion();
    QString connectionName() const { return m_server->connectionName(); }
    // Where this machine keeps its rows' secrets: the desktop keychain, or the local file (with
    // the reason when the keychain module could not be loaded).
    QString localSecretStore() const;
    // Waits (running the event loop, so only at a program's top level, e.g. before dcrctl exits)
    // until the desktop keychain has answered the copies and deletions started meanwhile, at most
    // timeoutMs. An error says how many it did not answer: their secrets stay in the local file
    // (mode 0600) and the next start hands them to the keychain again.
    Status flushSecrets(int timeoutMs);

    // row: a new row (SubmissionRecord::begun); kept in the outbox when the server is away.
    Result<HistoryRowId> begin(const SubmissionRecord& row);
    Status complete(HistoryRowId id, const HttpExchange& exchange,
                    const RegistrationOutcome* outcome);
    qint64 unsharedCount() const;
    Result<qint64> shareOutbox();

    Result<HistoryPage> page(const HistoryQuery& query, const std::optional<HistoryCursor>& after,
                             int limit);
    Result<qint64> count(const HistoryQuery& query);
    Result<SubmissionRecord> get(HistoryRowId id);
    Result<QList<SubmissionRecord>> clientRecords(const QString& profile);
    Status remove(const QList<HistoryRowId>& ids);
    Status setNote(HistoryRowId id, const QString& note, const QStringList& tags);
    Status forgetSecrets(const QList<HistoryRowId>& ids);
    // Copies every row of another history (in one transaction; a row already here is skipped).
    Result<qint64> importFrom(const SqlHistory& source, const QString& what);

    // What the team shares besides rows (TeamEvidence), on the server only: nothing waits in an
    // outbox (a run stays in this machine's test-runs folder and can be shared again).
    Result<bool> shareTestRun(const TeamRun& run);
    Result<QList<TeamRun>> teamRuns(int limit);
    Result<TeamRun> teamRun(const QString& runId);
    Status publishProfile(const TeamProfile& profile, bool replace);
    Result<QList<TeamProfile>> teamProfiles();
    Result<TeamProfile> teamProfile(const QString& name);

private:
    SharedHistory(const HistoryLocation& location, const HistoryOptions& options,
                  const WriterIdentity& writer, std::unique_ptr<SqlHistory> local,
                  const QString& localPath);
    static QString localPathFor(const HistoryLocation& location, const QString& base);
    void openKeychain(const HistoryLocation& location, const HistoryOptions& options);
    LocalSecretStore* secretStore() const;
    Status keepSecretsLocally(const SubmissionRecord& full);
    Status forgetLocalSecrets(const QStringList& uids, const QString& afterWhat);
    void restoreLocalSecrets(SubmissionRecord& r) const;
    SubmissionRecord sharedForm(const SubmissionRecord& full) const;
    Result<qint64> insert(const SubmissionRecord& record, const QString& onConflict);
    Result<HistoryRowId> keepInOutbox(const SubmissionRecord& record);
    // Runs a TeamEvidence call on the server's connection; a failure that was the server going
    // away is noted (the next call reconnects when it is time).
    template <typename Call> auto onServer(Call call) -> decltype(call(QSqlDatabase()));

    HistoryOptions m_options;
    WriterIdentity m_writer;
    QString m_recoveryNotice;
    // The local file: the outbox and (without a keychain) this machine's secrets. Declared
    // before the secret stores, which use it, and the keychain store after the file store, its
    // fallback.
    std::unique_ptr<SqlHistory> m_local;
    std::unique_ptr<FileSecretStore> m_fileSecrets;
    std::unique_ptr<KeychainSecretStore> m_keychainSecrets; // null: no keychain service runs
    // Why the keychain module did not load (empty: it did), for localSecretStore().
    QString m_keychainMissing;
    std::unique_ptr<SqlHistory> m_server;
    ServerLink m_link;
    // Rows begun on the server and not yet complete, so that an answer arriving while the server
    // is away can still be kept (in the outbox, uploaded over the "sending" row later).
    QHash<qint64, SubmissionRecord> m_inFlight;
};

} // namespace dcr
