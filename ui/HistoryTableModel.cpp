#include "HistoryTableModel.h"

#include <QBrush>
#include <QColor>

namespace dcr::ui {

HistoryTableModel::HistoryTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void HistoryTableModel::setSession(Session* session) {
    m_session = session;
    reload();
}

void HistoryTableModel::setQuery(const HistoryQuery& query) {
    m_query = query;
    reload();
}

void HistoryTableModel::reload() {
    beginResetModel();
    m_rows.clear();
    m_next.reset();
    m_exhausted = m_session == nullptr;
    m_error.clear();
    endResetModel();
    if (m_session) {
        auto total = m_session->historyCount(m_query);
        m_total = total ? *total : 0;
        fetchMore({});
    }
}

int HistoryTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}
int HistoryTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

bool HistoryTableModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !m_exhausted;
}

void HistoryTableModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid() || m_exhausted || !m_session)
        return;
    auto page = m_session->historyPage(m_query, m_next, PageSize);
    if (!page) {
        m_exhausted = true;
        m_error = page.error().message;
        emit loadFailed(m_error);
        return;
    }
    if (!page->rows.isEmpty()) {
        beginInsertRows({}, static_cast<int>(m_rows.size()),
                        static_cast<int>(m_rows.size() + page->rows.size() - 1));
        m_rows += page->rows;
        endInsertRows();
    }
    m_next = page->next;
    m_exhausted = !m_next.has_value();
}

QVariant HistoryTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const SubmissionRecord& r = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id:
            return r.id;
        case Time:
            return r.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Profile:
            return r.profile;
        case Outcome:
            return r.outcome;
        case Status:
            return r.responseStatus ? QVariant(r.responseStatus) : QVariant(QStringLiteral("—"));
        case SoftwareId:
            return r.softwareId;
        case Client:
            return r.clientName;
        case Url:
            return r.url;
        case Detail:
            if (!r.clientId.isEmpty())
                return tr("client_id %1").arg(r.clientId);
            if (!r.errorClass.isEmpty())
                return r.errorClass +
                       (r.errorText.isEmpty() ? QString() : QStringLiteral(": ") + r.errorText);
            return r.failureMessage;
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Outcome) {
        if (r.outcome == QStringLiteral("accepted") || r.outcome == QStringLiteral("registered") ||
            r.outcome == QStringLiteral("retrieved") || r.outcome == QStringLiteral("updated") ||
            r.outcome == QStringLiteral("deleted"))
            return QBrush(QColor(0x1e, 0x84, 0x49));
        if (r.outcome == QStringLiteral("error") || r.outcome == QStringLiteral("transport") ||
            r.outcome == QStringLiteral("interrupted"))
            return QBrush(QColor(0xc0, 0x39, 0x2b));
    }
    if (role == Qt::ToolTipRole && index.column() == Detail)
        return data(index, Qt::DisplayRole);
    return {};
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"#",           "Time",   "Profile", "Outcome", "Status",
                                        "software_id", "Client", "URL",     "Detail"};
    return section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace dcr::ui
