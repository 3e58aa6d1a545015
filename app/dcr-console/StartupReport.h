#pragma once

#include <QElapsedTimer>
#include <QObject>

class QWidget;

namespace dcr::ui {
class HistoryPanel;
}

namespace dcr::app {

// What `dcr-console --report-startup` prints for scripts/bench.sh (#26): the time to the first
// painted frame of the window and the resident memory then; with --report-history-scroll it
// then pages the History tab to its last row, as a user scrolling to the end would, and prints
// the rows reached and the resident memory after it. Then it quits the application.
// (No Q_OBJECT: it declares no signals or slots; member-function connections need no moc.)
class StartupReport : public QObject {
public:
    explicit StartupReport(const QElapsedTimer& sinceStart, QObject* parent = nullptr);

    // Prints the first-frame figures for this window (painted now) and quits, or, with a
    // history panel, scrolls it to the end first.
    void firstWindowShown(QWidget* window, ui::HistoryPanel* scrollHistory = nullptr);

private:
    void scrollOn();
    void finish();

    QElapsedTimer m_sinceStart;
    ui::HistoryPanel* m_history = nullptr;
    QElapsedTimer m_scrolling;
};

// This process's resident set size in KiB (VmRSS of /proc/self/status), or -1 when unreadable.
long residentKib();

} // namespace dcr::app
