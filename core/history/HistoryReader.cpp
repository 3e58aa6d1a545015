#include "HistoryReader.h"

#include <QMetaObject>
#include <QMutexLocker>

namespace dcr {

namespace {

// The answer of one query: its value in the answer's field for it, or its error.
template <typename T>
HistoryAnswer answerWith(Result<T> result, std::optional<T> HistoryAnswer::*field) {
    HistoryAnswer a;
    if (result)
        a.*field = std::move(*result);
    else
        a.error = result.error();
    return a;
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
        for (auto& ticket : m_latest)
            ticket = 0; // nothing waiting runs any more
    }
    // The connection belongs to the worker thread: it is closed there.
    QMetaObject::invokeMethod(
        m_worker, [this] { m_store.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

int HistoryReader::skippedCount() const {
    QMutexLocker lock(&m_mutex);
    return m_skipped;
}

bool HistoryReader::isCurrent(const QString& lane, quint64 ticket) const {
    QMutexLocker lock(&m_mutex);
    return m_latest.value(lane) == ticket;
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

quint64 HistoryReader::post(const QString& lane, Work work) {
    quint64 ticket = 0;
    {
        QMutexLocker lock(&m_mutex);
        ticket = ++m_nextTicket;
        m_latest.insert(lane, ticket);
    }
    const bool wasLoading = isLoading();
    m_waiting.insert(lane, ticket);
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
            std::optional<Error> error;
            if (HistoryStore* store = storeOnWorker(error))
                answer = work(*store);
            else
                answer.error = error;
            answer.ticket = ticket;
            answer.lane = lane;
            QMetaObject::invokeMethod(
                this, [this, answer] { deliver(answer); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return ticket;
}

void HistoryReader::deliver(HistoryAnswer answer) {
    if (m_waiting.value(answer.lane) != answer.ticket)
        return; // superseded while it ran: its answer is stale
    m_waiting.remove(answer.lane);
    emit answered(answer);
    if (!isLoading())
        emit loadingChanged(false);
}

quint64 HistoryReader::requestPage(const QString& lane, const HistoryQuery& query,
                                   const std::optional<HistoryCursor>& after, int limit) {
    return post(lane, [query, after, limit](HistoryStore& store) {
        return answerWith(store.page(query, after, limit), &HistoryAnswer::page);
    });
}

quint64 HistoryReader::requestCount(const QString& lane, const HistoryQuery& query) {
    return post(lane, [query](HistoryStore& store) {
        return answerWith(store.count(query), &HistoryAnswer::count);
    });
}

quint64 HistoryReader::requestProbe(const QString& lane) {
    return post(lane, [](HistoryStore& store) {
        HistoryAnswer a;
        if (auto ok = store.probe(); !ok)
            a.error = ok.error();
        return a;
    });
}

quint64 HistoryReader::requestExportJson(const QString& lane, const QList<qint64>& ids,
                                         bool revealSecrets) {
    return post(lane, [ids, revealSecrets](HistoryStore& store) {
        return answerWith(store.exportJson(ids, revealSecrets), &HistoryAnswer::exported);
    });
}

quint64 HistoryReader::requestExportCurl(const QString& lane, const QList<qint64>& ids) {
    return post(lane, [ids](HistoryStore& store) {
        return answerWith(store.exportCurl(ids), &HistoryAnswer::curl);
    });
}

quint64 HistoryReader::requestRecord(const QString& lane, qint64 id) {
    return post(lane, [id](HistoryStore& store) {
        return answerWith(store.get(id), &HistoryAnswer::record);
    });
}

quint64 HistoryReader::requestClientRecords(const QString& lane, const QString& profile) {
    return post(lane, [profile](HistoryStore& store) {
        return answerWith(store.clientRecords(profile), &HistoryAnswer::records);
    });
}

} // namespace dcr
