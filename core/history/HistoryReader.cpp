#include "HistoryReader.h"

#include <QMetaObject>
#include <QMutexLocker>

#include <algorithm>

namespace dcr {

namespace {

// The answer of one query: its value, or its error.
template <typename T> HistoryAnswer::Value valueOf(Result<T> result) {
    if (result)
        return std::move(result).value();
    return result.error();
}

std::size_t slot(HistoryLane lane) {
    return static_cast<std::size_t>(lane);
}

} // namespace

HistoryReader::HistoryReader(QString location, HistoryOptions options, QObject* parent)
    : QObject(parent)
    , m_location(std::move(location))
    , m_options(std::move(options))
    , m_worker(new QObject) {
    // This thread may wait on a connect: it tries the server whenever asked.
    m_options.reconnectInline = true;
    m_options.offlineRetryMs = 0;
    m_options.connectAtOpen = true;
    m_options.sweepInterrupted = false;
    m_thread.setObjectName(QStringLiteral("history-reader"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

HistoryReader::~HistoryReader() {
    {
        QMutexLocker lock(&m_mutex);
        m_latest.fill(0); // nothing waiting runs any more
    }
    // The connection belongs to the worker thread: it is closed there.
    QMetaObject::invokeMethod(
        m_worker, [this] { m_store.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

bool HistoryReader::isLoading() const {
    return std::any_of(m_waiting.begin(), m_waiting.end(), [](quint64 t) { return t != 0; });
}

int HistoryReader::skippedCount() const {
    QMutexLocker lock(&m_mutex);
    return m_skipped;
}

bool HistoryReader::isCurrent(HistoryLane lane, quint64 ticket) const {
    QMutexLocker lock(&m_mutex);
    return m_latest[slot(lane)] == ticket;
}

HistoryStore* HistoryReader::storeOnWorker(std::optional<Error>& error) {
    if (!m_store) {
        auto opened = HistoryStore::open(m_location, m_options);
        if (!opened) {
            error = opened.error();
            return nullptr;
        }
        m_store = std::move(opened.value());
    }
    return m_store.get();
}

quint64 HistoryReader::post(HistoryLane lane, Work work) {
    quint64 ticket = 0;
    {
        QMutexLocker lock(&m_mutex);
        ticket = ++m_nextTicket;
        m_latest[slot(lane)] = ticket;
    }
    const bool wasLoading = isLoading();
    m_waiting[slot(lane)] = ticket;
    if (!wasLoading)
        emit loadingChanged(true);
    QMetaObject::invokeMethod(
        m_worker,
        [this, lane, ticket, work = std::move(work)] {
            if (!isCurrent(lane, ticket)) { // superseded while it waited: not run
                QMutexLocker lock(&m_mutex);
                ++m_skipped;
                return;
            }
            HistoryAnswer answer;
            answer.ticket = ticket;
            answer.lane = lane;
            std::optional<Error> error;
            if (HistoryStore* store = storeOnWorker(error))
                answer.value = work(*store);
            else
                answer.value = *error;
            QMetaObject::invokeMethod(
                this, [this, answer] { deliver(answer); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return ticket;
}

void HistoryReader::deliver(const HistoryAnswer& answer) {
    if (m_waiting[slot(answer.lane)] != answer.ticket)
        return; // superseded while it ran: its answer is stale
    m_waiting[slot(answer.lane)] = 0;
    emit answered(answer);
    if (!isLoading())
        emit loadingChanged(false);
}

quint64 HistoryReader::requestPage(HistoryLane lane, const HistoryQuery& query,
                                   const std::optional<HistoryCursor>& after, int limit) {
    return post(lane, [query, after, limit](HistoryStore& store) {
        return valueOf(store.page(query, after, limit));
    });
}

quint64 HistoryReader::requestCount(HistoryLane lane, const HistoryQuery& query) {
    return post(lane, [query](HistoryStore& store) { return valueOf(store.count(query)); });
}

quint64 HistoryReader::requestProbe(HistoryLane lane) {
    return post(lane, [](HistoryStore& store) -> HistoryAnswer::Value {
        if (auto ok = store.probe(); !ok)
            return ok.error();
        return ServerAnswered{};
    });
}

quint64 HistoryReader::requestExportJson(HistoryLane lane, const QList<qint64>& ids,
                                         bool revealSecrets) {
    return post(lane, [ids, revealSecrets](HistoryStore& store) {
        return valueOf(store.exportJson(ids, revealSecrets));
    });
}

quint64 HistoryReader::requestExportCurl(HistoryLane lane, const QList<qint64>& ids) {
    return post(lane, [ids](HistoryStore& store) { return valueOf(store.exportCurl(ids)); });
}

quint64 HistoryReader::requestRecord(HistoryLane lane, qint64 id) {
    return post(lane, [id](HistoryStore& store) { return valueOf(store.get(id)); });
}

quint64 HistoryReader::requestClientRecords(HistoryLane lane, const QString& profile) {
    return post(lane,
                [profile](HistoryStore& store) { return valueOf(store.clientRecords(profile)); });
}

quint64 HistoryReader::requestRecords(HistoryLane lane, RecordsRead read) {
    return post(lane,
                [read = std::move(read)](HistoryStore& store) { return valueOf(read(store)); });
}

quint64 HistoryReader::requestTeamRuns(HistoryLane lane, int limit) {
    return post(lane, [limit](HistoryStore& store) { return valueOf(store.teamRuns(limit)); });
}

quint64 HistoryReader::requestTeamProfiles(HistoryLane lane) {
    return post(lane, [](HistoryStore& store) { return valueOf(store.teamProfiles()); });
}

} // namespace dcr
