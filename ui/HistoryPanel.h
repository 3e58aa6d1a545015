#pragma once

#include "HistoryTableModel.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
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

signals:
    void openInForm(const dcr::SubmissionRecord& record);
    void sendAgain(const dcr::SubmissionRecord& record);
    void message(const QString& text, bool isError);

private:
    void applyFilter();
    void showDetail();
    void updateCount();
    void onPageLoaded();
    void onExportAnswer(const HistoryAnswer& answer);
    void exportJson();
    void copyCurl();
    void deleteSelected();
    void forgetSecrets();
    void saveNote();
    std::optional<SubmissionRecord> currentRecord() const;

    Session* m_session = nullptr;
    HistoryTableModel* m_model;
    QTableView* m_view;
    QLineEdit* m_filter;
    QComboBox* m_outcome;
    QLineEdit* m_writer;
    QLabel* m_count;
    QLabel* m_unshared;
    qint64 m_reselectId = 0; // selected again when the reloaded page arrives
    quint64 m_exportTicket = 0;
    QString m_exportPath;
    int m_exportCount = 0;
    QPlainTextEdit* m_detail;
    QCheckBox* m_reveal;
    QLineEdit* m_note;
    QLineEdit* m_tags;
};

} // namespace dcr::ui
