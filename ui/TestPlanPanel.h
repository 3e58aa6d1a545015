#pragma once

#include "testplan/TestPlan.h"
#include "testplan/TestRunDiff.h"
#include "testplan/TestRunSummary.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace dcr::ui {

class TestRunDiffDialog;

// The Test plan tab: the plan's scenarios with checkboxes, Run with progress and Cancel, the
// results (scenario, expected, got, verdict, time) with the selected one's request, response and
// history rows, the runs of this session to re-open, JUnit / HTML export, and Compare… (the
// selected run against one picked in "with", shown in a dialog). It shows and asks;
// the controller runs the plan through the session.
class TestPlanPanel : public QWidget {
    Q_OBJECT
public:
    explicit TestPlanPanel(QWidget* parent = nullptr);
    void setPlan(const TestPlan& plan);
    QStringList checkedScenarioIds() const;
    void setScenarioChecked(const QString& id, bool checked);
    void runStarted(int total);
    void showProgress(int done, int total, const ScenarioResult& result);
    void runFinished(const TestRunSummary& summary);
    // A finished run at the end of the past runs list, not shown (the saved runs at start,
    // oldest first): it becomes the selected run, compared with the one before it.
    void addPastRun(const TestRunSummary& summary);
    // The whole list again (this machine's runs and the team's, oldest first): the selected and
    // "with" runs stay selected when they are still in it, else the newest two are.
    void setPastRuns(const QList<TestRunSummary>& runs);
    // A run as the Runs list names it: date, profile, spec, result, how much was played, and who
    // ran it (user@host; a team history's runs come from other machines).
    static QString pastRunText(const TestRunSummary& summary);
    void showSummary(const TestRunSummary& summary);
    void showError(const QString& message);
    // The shown run's reports, for CI (JUnit) and for people (HTML); secrets masked.
    Status exportJunit(const QString& path) const;
    Status exportHtml(const QString& path) const;
    // The name the export dialogs propose: <profile>-<run id>-<date>.<extension>.
    QString proposedReportName(const QString& extension) const;
    // Two runs compared: shown in the comparison dialog.
    void showComparison(const TestRunDiff& diff);

    QTableWidget* results() const { return m_results; }
    QPlainTextEdit* detail() const { return m_detail; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QComboBox* pastRuns() const { return m_pastRuns; }
    // The run the selected one is compared with (the "before" side), and the Compare… button,
    // enabled only when two different runs are selected and no run is under way.
    QComboBox* compareWith() const { return m_compareWith; }
    QPushButton* compareButton() const { return m_compare; }
    // Created at the first comparison.
    TestRunDiffDialog* comparison() const { return m_comparison; }
    const std::optional<TestRunSummary>& shownRun() const { return m_shown; }

signals:
    void runRequested(const QStringList& scenarioIds);
    void cancelRequested();
    void openPlanRequested();
    void historyRequested(const QString& runId, qint64 historyId);

private:
    void showDetail();
    void addResultRow(const ScenarioResult& result);
    void updateCompareState();
    // Compare…: the run picked in "with" (before) against the selected run (after).
    void compareSelectedRuns();

    QTreeWidget* m_scenarios;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QComboBox* m_pastRuns;
    QComboBox* m_compareWith;
    QPushButton* m_compare;
    TestRunDiffDialog* m_comparison = nullptr;
    QTableWidget* m_results;
    QPlainTextEdit* m_detail;
    QList<TestRunSummary> m_runs;
    std::optional<TestRunSummary> m_shown;
    QString m_runningId;
};

} // namespace dcr::ui
