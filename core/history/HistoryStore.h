#pragma once

#include "SubmissionRecord.h"
#include "common/Result.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace dcr {

struct HistoryQuery {
    QString text;    // matches software_id, client name, URL, status, error class/text, note, tags
    QString outcome; // accepted, registered, error, unexpected, transport, interrupted, sending
    QString profile;
    QDateTime from;
    QDateTime to;
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

// Every submission, kept in SQLite through Qt SQL. Rows are written in state "sending" before a
// request leaves and completed when its answer (or failure) arrives; rows a killed process left in
// "sending" become "interrupted" on the next open. Private keys and passphrases never reach it.
class HistoryStore {
public:
    static constexpr int SchemaVersion = 3;

    // Opens (creating, migrating, recovering) the database file. A corrupt file is moved aside
    // as <name>.corrupt-<time> and a new one created; recoveryNotice() then says so.
    // Where it lives is decided by the session layer (AppPaths), not here.
    static Result<std::unique_ptr<HistoryStore>> open(const QString& path,
                                                      int busyTimeoutMs = 5000);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    QString path() const { return m_path; }
    QString recoveryNotice() const { return m_recoveryNotice; }
    int interruptedOnOpen() const { return m_interruptedOnOpen; }
    int schemaVersion() const;

    Result<qint64> begin(const SubmissionStart& start);
    Status complete(qint64 id, const HttpExchange& exchange, const RegistrationOutcome* outcome);

    Result<HistoryPage> page(const HistoryQuery& query,
                             const std::optional<HistoryCursor>& after = std::nullopt,
                             int limit = 50) const;
    Result<qint64> count(const HistoryQuery& query = {}) const;
    Result<SubmissionRecord> get(qint64 id) const;

    Status remove(const QList<qint64>& ids);
    Status setNote(qint64 id, const QString& note, const QStringList& tags);
    // Blanks client_secret and registration_access_token in the stored responses.
    Status forgetSecrets(const QList<qint64>& ids);

    // Copies every row of another history file (migrated to this schema first) into this one, in
    // one transaction: all rows or none. Returns the number of rows copied.
    Result<qint64> importFrom(const QString& otherPath);

    Result<QByteArray> exportJson(const QList<qint64>& ids, bool revealSecrets = false) const;
    Result<QString> exportCurl(const QList<qint64>& ids) const;

    // The connection name, for benchmarks that compare with direct SQL on the same database.
    QString connectionName() const { return m_connection; }
    // The SQL the schema had in its first released version (migrations start from it).
    static QStringList firstSchemaSql();

private:
    HistoryStore(QString path, QString connection)
        : m_path(std::move(path))
        , m_connection(std::move(connection)) {}
    Status migrate();
    Status recoverInterrupted();

    QString m_path;
    QString m_connection;
    QString m_recoveryNotice;
    int m_interruptedOnOpen = 0;
};

} // namespace dcr
