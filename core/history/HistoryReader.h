#pragma once

#include "HistoryStore.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <optional>

namespace dcr {

// What a history query answered: one of page, count, exported bytes, curl commands, one entry or
// a client's rows, or an error.
struct HistoryAnswer {
    quint64 ticket = 0;
    QString lane;
    std::optional<HistoryPage> page;
    std::optional<qint64> count;
    std::optional<QByteArray> exported;
    std::optional<QString> curl;
    std::optional<SubmissionRecord> record;
    std::optional<QList<SubmissionRecord>> records;
    std::optional<Error> error;
};

// History queries (paging, filter, count, exports, one entry, the clients' rows) off the caller's
// thread: a worker thread with its own connection to the same history, so a remote server's
// latency or a long scan never freezes the window. It connects whenever asked (a silent host
// makes this thread wait connect_timeout, never the caller's) and never marks rows interrupted:
// the store that writes does. Requests are grouped in lanes ("page", "more", "count", "export"); a
// new request supersedes every older one of its lane: one still waiting is not run at all, and the
// answer of one already running is dropped. answered() is emitted on the caller's thread.
class HistoryReader : public QObject {
    Q_OBJECT
public:
    HistoryReader(QString location, HistoryOptions options, QObject* parent = nullptr);
    ~HistoryReader() override;

    quint64 requestPage(const QString& lane, const HistoryQuery& query,
                        const std::optional<HistoryCursor>& after, int limit);
    quint64 requestCount(const QString& lane, const HistoryQuery& query);
    quint64 requestExportJson(const QString& lane, const QList<qint64>& ids, bool revealSecrets);
    quint64 requestExportCurl(const QString& lane, const QList<qint64>& ids);
    // One entry in full (what the detail pane shows), this machine's secrets restored.
    quint64 requestRecord(const QString& lane, qint64 id);
    // Every row that names a client (HistoryStore::clientRecords), for the Clients view.
    quint64 requestClientRecords(const QString& lane, const QString& profile);
    // Whether the history's server answers; the answer has no error when it does. Run here, a
    // connect to a silent host waits on this thread, not the caller's.
    quint64 requestProbe(const QString& lane);
    // Whether any lane has a request whose answer has not arrived yet.
    bool isLoading() const { return !m_waiting.isEmpty(); }
    // How many requests were dropped unrun because a newer one superseded them (for tests).
    int skippedCount() const;

signals:
    void answered(const dcr::HistoryAnswer& answer);
    void loadingChanged(bool loading);

private:
    using Work = std::function<HistoryAnswer(HistoryStore&)>;
    quint64 post(const QString& lane, Work work);
    bool isCurrent(const QString& lane, quint64 ticket) const;
    void deliver(HistoryAnswer answer);
    HistoryStore* storeOnWorker(std::optional<Error>& error);

    QString m_location;
    HistoryOptions m_options;
    QThread m_thread;
    QObject* m_worker; // lives on m_thread; owns nothing but runs the work there
    std::unique_ptr<HistoryStore> m_store; // created, used and destroyed on m_thread
    mutable QMutex m_mutex;
    QHash<QString, quint64> m_latest; // lane -> newest ticket
    int m_skipped = 0;
    quint64 m_nextTicket = 0;
    QHash<QString, quint64> m_waiting; // lanes whose newest answer has not arrived (GUI thread)
};

} // namespace dcr

Q_DECLARE_METATYPE(dcr::HistoryAnswer)
