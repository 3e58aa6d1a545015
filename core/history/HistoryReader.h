#pragma once

#include "HistoryStore.h"

#include <QMutex>
#include <QObject>
#include <QThread>

#include <array>
#include <optional>
#include <variant>

namespace dcr {

// The lanes history requests run in: a newer request supersedes the older ones of its own lane
// only (typing in the filter replaces the page being read, not the count or an export).
enum class HistoryLane {
    Page,         // the first page of a query
    More,         // the next page of the same query
    Count,        // how many rows match
    Export,       // JSON export of chosen rows
    Curl,         // curl commands for chosen rows
    Record,       // one entry in full (the detail pane)
    Clients,      // the rows that name a client (the Clients view)
    LostCheck,    // a registration's earlier attempts whose answer was lost, before a Send
    Probe,        // whether a shared history's server answers
    TeamRuns,     // the test runs a team history shares (the Test plan tab's Runs list)
    TeamProfiles, // the profiles published to a team history (Import team profile)
};
inline constexpr int HistoryLaneCount = static_cast<int>(HistoryLane::TeamProfiles) + 1;

// A probe's answer when the server answered.
struct ServerAnswered {};

// What a history request answered: exactly one of an error, a page, a count, exported JSON bytes,
// curl commands, one entry, a client's rows, or (a probe) that the server answered. The lane
// says what was asked; the accessors give the value of the kind asked for, or null.
struct HistoryAnswer {
    using Value =
        std::variant<Error, HistoryPage, qint64, QByteArray, QString, SubmissionRecord,
                     QList<SubmissionRecord>, ServerAnswered, QList<TeamRun>, QList<TeamProfile>>;

    quint64 ticket = 0;
    HistoryLane lane = HistoryLane::Page;
    Value value = Error{ErrorKind::StorageUnavailable, QString()};

    const Error* error() const { return std::get_if<Error>(&value); }
    const HistoryPage* page() const { return std::get_if<HistoryPage>(&value); }
    const qint64* count() const { return std::get_if<qint64>(&value); }
    const QByteArray* exported() const { return std::get_if<QByteArray>(&value); }
    const QString* curl() const { return std::get_if<QString>(&value); }
    const SubmissionRecord* record() const { return std::get_if<SubmissionRecord>(&value); }
    const QList<SubmissionRecord>* records() const {
        return std::get_if<QList<SubmissionRecord>>(&value);
    }
    const QList<TeamRun>* teamRuns() const { return std::get_if<QList<TeamRun>>(&value); }
    const QList<TeamProfile>* teamProfiles() const {
        return std::get_if<QList<TeamProfile>>(&value);
    }
};

// History queries (paging, filter, count, exports, one entry, the clients' rows) off the caller's
// thread: a worker thread with its own connection to the same history, so a remote server's
// latency or a long scan never freezes the window. It connects whenever asked (a silent host
// makes this thread wait connect_timeout, never the caller's) and never marks rows interrupted:
// the store that writes does. A new request supersedes every older one of its lane: one still
// waiting is not run at all, and the answer of one already running is dropped. answered() is
// emitted on the caller's thread.
class HistoryReader : public QObject {
    Q_OBJECT
public:
    HistoryReader(QString location, HistoryOptions options, QObject* parent = nullptr);
    ~HistoryReader() override;

    quint64 requestPage(HistoryLane lane, const HistoryQuery& query,
                        const std::optional<HistoryCursor>& after, int limit);
    quint64 requestCount(HistoryLane lane, const HistoryQuery& query);
    quint64 requestExportJson(HistoryLane lane, const QList<qint64>& ids, bool revealSecrets);
    quint64 requestExportCurl(HistoryLane lane, const QList<qint64>& ids);
    // One entry in full (what the detail pane shows), this machine's secrets restored.
    quint64 requestRecord(HistoryLane lane, qint64 id);
    // Every row that names a client (HistoryStore::clientRecords), for the Clients view.
    quint64 requestClientRecords(HistoryLane lane, const QString& profile);
    // Rows a caller's function reads from this thread's store: a floor above the history (the
    // session's Clients view rows, LostRegistrations.h) asks without blocking its caller. The
    // function runs on the worker thread and must touch nothing but the store it is given.
    using RecordsRead = std::function<Result<QList<SubmissionRecord>>(HistoryStore&)>;
    quint64 requestRecords(HistoryLane lane, RecordsRead read);
    // Whether the history's server answers; the answer is ServerAnswered when it does. Run here,
    // a connect to a silent host waits on this thread, not the caller's.
    quint64 requestProbe(HistoryLane lane = HistoryLane::Probe);
    // The newest runs a team history shares (HistoryStore::teamRuns), and the published
    // profiles: what the console lists without waiting on the server.
    quint64 requestTeamRuns(HistoryLane lane, int limit);
    quint64 requestTeamProfiles(HistoryLane lane);
    // Whether any lane has a request whose answer has not arrived yet.
    bool isLoading() const;
    // How many requests were dropped unrun because a newer one superseded them (for tests).
    int skippedCount() const;

signals:
    void answered(const dcr::HistoryAnswer& answer);
    void loadingChanged(bool loading);

private:
    using Work = std::function<HistoryAnswer::Value(HistoryStore&)>;
    quint64 post(HistoryLane lane, Work work);
    bool isCurrent(HistoryLane lane, quint64 ticket) const;
    void deliver(const HistoryAnswer& answer);
    HistoryStore* storeOnWorker(std::optional<Error>& error);

    QString m_location;
    HistoryOptions m_options;
    QThread m_thread;
    QObject* m_worker; // lives on m_thread; owns nothing but runs the work there
    std::unique_ptr<HistoryStore> m_store; // created, used and destroyed on m_thread
    mutable QMutex m_mutex;
    std::array<quint64, HistoryLaneCount> m_latest{}; // lane -> newest ticket (0: none)
    int m_skipped = 0;
    quint64 m_nextTicket = 0;
    // Lanes whose newest answer has not arrived (the caller's thread): their ticket, or 0.
    std::array<quint64, HistoryLaneCount> m_waiting{};
};

} // namespace dcr

Q_DECLARE_METATYPE(dcr::HistoryAnswer)
