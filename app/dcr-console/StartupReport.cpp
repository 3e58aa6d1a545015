#include "StartupReport.h"

#include "HistoryPanel.h"
#include "HistoryTableModel.h"

#include <QApplication>
#include <QFile>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QWidget>

#include <cstdio>

namespace dcr::app {

long residentKib() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (!line.startsWith("VmRSS:"))
            continue;
        bool ok = false;
        const long kib = line.mid(6).trimmed().split(' ').value(0).toLong(&ok);
        return ok ? kib : -1;
    }
    return -1;
}

StartupReport::StartupReport(const QElapsedTimer& sinceStart, QObject* parent)
    : QObject(parent)
    , m_sinceStart(sinceStart) {}

void StartupReport::firstWindowShown(QWidget* window, ui::HistoryPanel* scrollHistory) {
    window->repaint();
    std::printf("startup_ms %.3f\n", static_cast<double>(m_sinceStart.nsecsElapsed()) / 1e6);
    std::printf("rss_kib_first_window %ld\n", residentKib());
    std::fflush(stdout);
    m_history = scrollHistory;
    if (!m_history) {
        QTimer::singleShot(0, this, [] { QApplication::quit(); });
        return;
    }
    m_scrolling.start();
    // Each page arrives from the history reader's thread: scroll again whenever rows came in
    // or the model stopped loading, until nothing more can be fetched.
    auto* model = m_history->model();
    connect(model, &ui::HistoryTableModel::rowsInserted, this, &StartupReport::scrollOn,
            Qt::QueuedConnection);
    connect(model, &ui::HistoryTableModel::loadingChanged, this, &StartupReport::scrollOn,
            Qt::QueuedConnection);
    connect(model, &ui::HistoryTableModel::loadFailed, this, [](const QString& message) {
        std::fprintf(stderr, "dcr-console: history: %s\n", qPrintable(message));
        QApplication::exit(1);
    });
    QTimer::singleShot(0, this, &StartupReport::scrollOn);
}

void StartupReport::scrollOn() {
    auto* model = m_history->model();
    if (model->isLoading() || model->isFetchingMore())
        return; // the answer's signal calls again
    // At the bottom the view itself asks for the next page (QAbstractItemView's fetchMore);
    // ask too in case the last rows already fit on the screen.
    m_history->view()->scrollToBottom();
    if (model->canFetchMore({}))
        model->fetchMore({});
    if (!model->isFetchingMore())
        finish();
}

void StartupReport::finish() {
    disconnect(m_history->model(), nullptr, this, nullptr);
    m_history->view()->repaint();
    std::printf("history_rows_scrolled %d\n", m_history->model()->rowCount());
    std::printf("history_scroll_ms %lld\n", static_cast<long long>(m_scrolling.elapsed()));
    std::printf("rss_kib_scrolled %ld\n", residentKib());
    std::fflush(stdout);
    QTimer::singleShot(0, this, [] { QApplication::quit(); });
}

} // namespace dcr::app
