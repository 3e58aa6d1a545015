#include "HistoryTableModel.h"

#include "Tone.h"
#include "history/HistoryReader.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace dcr::ui {

HistoryTableModel::HistoryTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void HistoryTableModel::setSession(Session* session) {
    m_session = session;
    if (HistoryReader* reader = session ? session->historyReader() : nullptr)
        connect(reader, &HistoryReader::answered, this, &HistoryTableModel::onAnswer);
    reload();
}

void HistoryTableModel::setQuery(const HistoryQuery& query) {
    m_query = query;
    reload();
}

void HistoryTableModel::reload() {
    HistoryReader* reader = m_session ? m_session->historyReader() : nullptr;
    if (!reader) {
        beginResetModel();
        m_rows.clear();
        m_next.reset();
        m_exhausted = true;
        endResetModel();
        return;
    }
    m_error.clear();
    m_moreTicket = 0; // a page of the previous query is not appended to this one
    m_pageTicket = reader->requestPage(HistoryLane::Page, m_query, std::nullopt, PageSize);
    m_countTicket = reader->requestCount(HistoryLane::Count, m_query);
    emit loadingChanged(true);
}

void HistoryTableModel::fail(const Error& error) {
    m_exhausted = true;
    m_error = error.message;
    emit loadFailed(m_error);
}

void HistoryTableModel::onAnswer(const HistoryAnswer& answer) {
    if (answer.ticket == m_countTicket) {
        m_countTicket = 0;
        m_total = answer.count() ? *answer.count() : 0;
        emit countChanged(m_total);
    } else if (answer.ticket == m_pageTicket) {
        m_pageTicket = 0;
        beginResetModel();
        m_rows = answer.page() ? answer.page()->rows : QList<SubmissionRecord>();
        m_next = answer.page() ? answer.page()->next : std::nullopt;
        m_exhausted = !m_next.has_value();
        endResetModel();
        if (answer.error())
            fail(*answer.error());
        emit pageLoaded();
    } else if (answer.ticket == m_moreTicket) {
        m_moreTicket = 0;
        if (answer.error()) {
            fail(*answer.error());
        } else if (const HistoryPage* page = answer.page()) {
            if (!page->rows.isEmpty()) {
                beginInsertRows({}, static_cast<int>(m_rows.size()),
                                static_cast<int>(m_rows.size() + page->rows.size() - 1));
                m_rows += page->rows;
                endInsertRows();
            }
            m_next = page->next;
            m_exhausted = !m_next.has_value();
        }
    } else {
        return; // not this model's, or superseded
    }
    if (!isLoading())
        emit loadingChanged(false);
}

int HistoryTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}
int HistoryTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

bool HistoryTableModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !m_exhausted && m_pageTicket == 0 && m_moreTicket == 0;
}

void HistoryTableModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent) || !m_session || !m_session->historyReader())
        return;
    m_moreTicket =
        m_session->historyReader()->requestPage(HistoryLane::More, m_query, m_next, PageSize);
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
                return r.errorClass + (r.errorText.isEmpty()
                                           ? QString()
                                           : QStringLiteral(": ") + r.displayedErrorText());
            return r.failureMessage;
        case SentBy:
            return r.unshared ? tr("%1 (not yet shared)").arg(r.writer()) : r.writer();
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Outcome) {
        if (r.outcome == QStringLiteral("accepted") || r.outcome == QStringLiteral("registered") ||
            r.outcome == QStringLiteral("retrieved") || r.outcome == QStringLiteral("updated") ||
            r.outcome == QStringLiteral("deleted"))
            return QBrush(toneColour(Tone::Success, QGuiApplication::palette()));
        if (r.outcome == QStringLiteral("error") || r.outcome == QStringLiteral("transport") ||
            r.outcome == QStringLiteral("interrupted"))
            return QBrush(toneColour(Tone::Error, QGuiApplication::palette()));
    }
    if (role == Qt::ToolTipRole && index.column() == Detail)
        return data(index, Qt::DisplayRole);
    return {};
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"#",           "Time",   "Profile", "Outcome", "Status",
                                        "software_id", "Client", "URL",     "Detail",  "Sent by"};
    return section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace dcr::ui
