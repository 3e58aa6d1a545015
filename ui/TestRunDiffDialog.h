#pragma once

#include "testplan/TestRunDiff.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace dcr::ui {

// Two runs compared (computed by core, TestRunDiff, from the Test plan tab's runs): a tree with one
// branch per kind of change (newly failing first, open) and a row per scenario with both runs'
// verdict and answer. It shows the comparison and exports it as the HTML regression report.
class TestRunDiffDialog : public QDialog {
    Q_OBJECT
public:
    enum Column { Scenario, Before, After, Expected, Columns };

    explicit TestRunDiffDialog(QWidget* parent = nullptr);
    void showDiff(const TestRunDiff& diff);
    // The regression report for the ASPSP (0600, secrets masked); an error when nothing is shown.
    Status exportHtml(const QString& path) const;

    QTreeWidget* tree() const { return m_tree; }
    QLabel* summary() const { return m_summary; }
    const std::optional<TestRunDiff>& shownDiff() const { return m_diff; }

private:
    void addBranch(ChangeKind kind);

    QLabel* m_summary;
    QTreeWidget* m_tree;
    QPushButton* m_export;
    std::optional<TestRunDiff> m_diff;
};

} // namespace dcr::ui
