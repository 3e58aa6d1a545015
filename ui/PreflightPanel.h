#pragma once

#include "registration/BankCheck.h"
#include "registration/PreflightFinding.h"
#include "registration/RequestInspection.h"

#include <optional>

#include <QWidget>

class QGroupBox;
class QLabel;
class QTreeWidget;

namespace dcr::ui {

// Live preflight findings with severity icons; activating one asks to focus its claim.
class PreflightPanel : public QWidget {
    Q_OBJECT
public:
    explicit PreflightPanel(QWidget* parent = nullptr);
    void showFindings(const QList<PreflightFinding>& findings);
    // Its findings, and the SSA's signature verdict when it has a signed SSA. Clears the "As the
    // bank" group: only a received request has one (showBankChecks after this).
    void showInspection(const RequestInspection& inspection);
    // The "As the bank" group under the findings: each check's outcome, what it found and the rule
    // it applies, quoted. Empty: the group is hidden (composing).
    void showBankChecks(const QList<BankCheck>& checks);
    const QList<BankCheck>& bankChecks() const { return m_bankChecks; }
    QGroupBox* bankGroup() const { return m_bankGroup; }
    QTreeWidget* bankTree() const { return m_bankTree; }
    // What the findings are about, named in the summary ("signed JWT body", "JSON body (RFC
    // 7591)"): the rules differ between the two.
    void setCheckedAs(const QString& what);
    // The SSA's signature verdict in the words the SSA tab and dcrctl use (none: no SSA).
    void showSsaSignature(const std::optional<SignatureVerdict>& verdict);
    QString ssaSignatureText() const;
    // Which key of which key set verified the request and the SSA, one line each (none: hidden).
    void showSignatureKeys(const QStringList& lines);
    QString signatureKeysText() const;
    const QList<PreflightFinding>& findings() const { return m_findings; }
    QTreeWidget* tree() const { return m_tree; }
    // No findings: only the summary line is shown and the pane is no taller than it.
    bool isCollapsed() const;
    // The height the pane opens to when findings come (the height it had before collapsing).
    static constexpr int DefaultOpenHeight = 230;

signals:
    void claimActivated(const QString& claim);

private:
    void fitToFindings();

    QLabel* m_summary;
    int m_openHeight = DefaultOpenHeight;
    QLabel* m_ssaSignature;
    QLabel* m_signatureKeys;
    QTreeWidget* m_tree;
    QList<PreflightFinding> m_findings;
    QGroupBox* m_bankGroup;
    QTreeWidget* m_bankTree;
    QList<BankCheck> m_bankChecks;
    QString m_checkedAs;
};

} // namespace dcr::ui
