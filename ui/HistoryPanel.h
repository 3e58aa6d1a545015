#pragma once

#include "HistoryTableModel.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace dcr::ui {

// The history table with filter, outcome filter and a detail pane; actions on the selection.
class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPanel(QWidget* parent = nullptr);
    void setSession(Session* session);
    // Reloads from the store, keeping the selection, or selecting the newest row.
    void reload(bool selectNewest = false);
    HistoryTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }
    QList<qint64> selectedIds() const;
    void selectRow(int row);
    // Filters by text at once (no typing pause) and selects the row with this id when shown.
    void showMatching(const QString& text, qint64 selectId);
    // The detail pane reads its entry on the history reader's thread: "Loading…" until then,
    // and the entry's actions (open, send again, save note) wait for it.
    QPlainTextEdit* detail() const { return m_detail; }
    bool isDetailLoading() const { return m_detailTicket != 0; }
    const std::optional<SubmissionRecord>& shownRecord() const { return m_shown; }
    // A shared history's link: "Connecting to the shared history…", unreachable, login refused
    // (hidden when connected).
    QLabel* connectionLabel() const { return m_connection; }
    // The name the export dialog proposes: dcr-history-entry-12-2026-12-02.json.
    QString proposedExportName(const QList<qint64>& ids) const;

signals:
    void openInForm(const dcr::SubmissionRecord& record);
    void sendAgain(const dcr::SubmissionRecord& record);
    void message(const QString& text, bool isError);

private:
    void applyFilter();
    void showDetail();
    void updateCount();
    void onPageLoaded();
    void onAnswer(const HistoryAnswer& answer);
    void onRecordAnswer(const HistoryAnswer& answer);
    void onCurlAnswer(const HistoryAnswer& answer);
    void onExportAnswer(const HistoryAnswer& answer);
    void renderDetail();
    void updateRecordActions();
    void showConnection();
    void exportJson();
    void copyCurl();
    void deleteSelected();
    void forgetSecrets();
    void saveNote();

    Session* m_session = nullptr;
    HistoryTableModel* m_model;
    QTableView* m_view;
    QLineEdit* m_filter;
    QComboBox* m_outcome;
    QLineEdit* m_writer;
    QLabel* m_count;
    QLabel* m_unshared;
    QLabel* m_connection;
    qint64 m_reselectId = 0; // selected again when the reloaded page arrives
    quint64 m_exportTicket = 0;
    QString m_exportPath;
    int m_exportCount = 0;
    quint64 m_curlTicket = 0;
    quint64 m_detailTicket = 0;
    std::optional<SubmissionRecord> m_shown; // the current row's entry, once read
    bool m_openWhenLoaded = false;           // a double-click came before the entry
    QList<QPushButton*> m_recordActions;     // enabled only with the current row's entry read
    QList<QPushButton*> m_selectionActions;  // export, curl, forget, delete: enabled with rows
    QPlainTextEdit* m_detail;
    QCheckBox* m_reveal;
    QLineEdit* m_note;
    QLineEdit* m_tags;
};

} // namespace dcr::ui
