#pragma once

#include "registration/PreflightFinding.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace dcr::ui {

// Live preflight findings with severity icons; activating one asks to focus its claim.
class PreflightPanel : public QWidget {
    Q_OBJECT
public:
    explicit PreflightPanel(QWidget* parent = nullptr);
    void showFindings(const QList<PreflightFinding>& findings);
    const QList<PreflightFinding>& findings() const { return m_findings; }
    QTreeWidget* tree() const { return m_tree; }

signals:
    void claimActivated(const QString& claim);

private:
    QLabel* m_summary;
    QTreeWidget* m_tree;
    QList<PreflightFinding> m_findings;
};

} // namespace dcr::ui
