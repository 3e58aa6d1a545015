#pragma once

#include "session/Session.h"

#include <QAbstractTableModel>

namespace dcr::ui {

// The history as a lazily filled table: pages of 200 rows are fetched by keyset as the view
// scrolls (canFetchMore/fetchMore), so 100,000 rows cost what the visible ones cost. Every query
// runs on the session's HistoryReader thread: the window never waits on the database, a newer
// filter supersedes an older one, and the rows shown stay until the new ones arrive.
class HistoryTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Time,
        Profile,
        Outcome,
        Status,
        SoftwareId,
        Client,
        Url,
        Detail,
        SentBy,
        ColumnCount
    };
    static constexpr int PageSize = 200;

    explicit HistoryTableModel(QObject* parent = nullptr);
    void setSession(Session* session);
    void setQuery(const HistoryQuery& query);
    const HistoryQuery& query() const { return m_query; }
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    const SubmissionRecord& record(int row) const { return m_rows.at(row); }
    qint64 totalCount() const { return m_total; }
    QString lastError() const { return m_error; }
    bool isLoading() const { return m_pageTicket != 0 || m_countTicket != 0; }
    // A next page asked by fetchMore has not arrived yet (canFetchMore is false meanwhile).
    bool isFetchingMore() const { return m_moreTicket != 0; }

signals:
    void loadFailed(const QString& message);
    // The first page of a (re)load arrived: rows and selection may be restored.
    void pageLoaded();
    void countChanged(qint64 total);
    void loadingChanged(bool loading);

private:
    void onAnswer(const HistoryAnswer& answer);
    void fail(const Error& error);

    Session* m_session = nullptr;
    quint64 m_pageTicket = 0;
    quint64 m_moreTicket = 0;
    quint64 m_countTicket = 0;
    HistoryQuery m_query;
    QList<SubmissionRecord> m_rows;
    std::optional<HistoryCursor> m_next;
    bool m_exhausted = true;
    qint64 m_total = 0;
    QString m_error;
};

} // namespace dcr::ui
