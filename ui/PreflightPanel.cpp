#include "PreflightPanel.h"

#include "Tone.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dcr::ui {

PreflightPanel::PreflightPanel(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("preflightSummary"));
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("preflightFindings"));
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Severity"), tr("Rule"), tr("Claim"), tr("Finding")});
    m_tree->setRootIsDecorated(false);
    m_tree->setWordWrap(true);
    m_tree->header()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_tree->setToolTip(tr("Double-click or press Enter on a finding to go to its claim"));
    m_ssaSignature = new QLabel(this);
    m_ssaSignature->setObjectName(QStringLiteral("preflightSsaSignature"));
    m_ssaSignature->setWordWrap(true);
    m_ssaSignature->hide();
    m_signatureKeys = new QLabel(this);
    m_signatureKeys->setObjectName(QStringLiteral("preflightSignatureKeys"));
    m_signatureKeys->setWordWrap(true);
    m_signatureKeys->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_signatureKeys->hide();
    m_bankGroup = new QGroupBox(tr("As the bank"), this);
    m_bankGroup->setObjectName(QStringLiteral("bankChecks"));
    m_bankGroup->setToolTip(tr("The checks a bank runs on a request it received, against the "
                               "request's own SSA; each names the rule it applies"));
    auto* bankLayout = new QVBoxLayout(m_bankGroup);
    bankLayout->setContentsMargins(4, 4, 4, 4);
    m_bankTree = new QTreeWidget(m_bankGroup);
    m_bankTree->setObjectName(QStringLiteral("bankCheckList"));
    m_bankTree->setColumnCount(4);
    m_bankTree->setHeaderLabels({tr("Outcome"), tr("Check"), tr("Found"), tr("Rule (quoted)")});
    m_bankTree->setRootIsDecorated(false);
    m_bankTree->setWordWrap(true);
    m_bankTree->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_bankTree->header()->setSectionResizeMode(3, QHeaderView::Stretch);
    bankLayout->addWidget(m_bankTree);
    m_bankGroup->hide();
    layout->addWidget(m_summary);
    layout->addWidget(m_ssaSignature);
    layout->addWidget(m_signatureKeys);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_bankGroup, 1);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QString claim = item->text(2);
        if (!claim.isEmpty() && claim != QStringLiteral("-"))
            emit claimActivated(claim);
    });
    fitToFindings(); // none yet
}

void PreflightPanel::showFindings(const QList<PreflightFinding>& findings) {
    m_findings = findings;
    m_tree->clear();
    int errors = 0, warnings = 0;
    for (const auto& f : findings) {
        auto* item = new QTreeWidgetItem(m_tree);
        QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
        if (f.severity == Severity::Error) {
            icon = QStyle::SP_MessageBoxCritical;
            ++errors;
        } else if (f.severity == Severity::Warning) {
            icon = QStyle::SP_MessageBoxWarning;
            ++warnings;
        }
        item->setIcon(0, style()->standardIcon(icon));
        item->setText(0, severityName(f.severity));
        item->setText(1, f.rule);
        item->setText(2, f.claim.isEmpty() ? QStringLiteral("-") : f.claim);
        item->setText(3, f.message);
        item->setToolTip(3, f.message);
    }
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(1);
    m_tree->resizeColumnToContents(2);
    const QString scope =
        m_checkedAs.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_checkedAs);
    if (findings.isEmpty())
        m_summary->setText(tr("Preflight%1: no findings.").arg(scope));
    else
        m_summary->setText(tr("Preflight%1: %2 error(s), %3 warning(s), %4 info")
                               .arg(scope)
                               .arg(errors)
                               .arg(warnings)
                               .arg(findings.size() - errors - warnings));
    fitToFindings();
}

// Without findings the pane is its summary line, and the space goes to the form and token; with
// findings it opens again to the height it had (in the splitter it sits in, when it does).
void PreflightPanel::fitToFindings() {
    // A received request's "As the bank" group keeps the pane open even without findings.
    const bool empty = m_findings.isEmpty() && m_bankChecks.isEmpty();
    if (empty == isCollapsed())
        return;
    auto* splitter = qobject_cast<QSplitter*>(parentWidget());
    if (empty) {
        if (height() > 0 && isVisible())
            m_openHeight = height();
        m_tree->hide();
        setMaximumHeight(layout()->sizeHint().height());
        return;
    }
    m_tree->show();
    setMaximumHeight(QWIDGETSIZE_MAX);
    if (!splitter)
        return;
    QList<int> sizes = splitter->sizes();
    const int index = splitter->indexOf(this);
    int total = 0;
    for (int size : sizes)
        total += size;
    if (index < 0 || sizes.size() != 2 || total <= m_openHeight)
        return;
    sizes[index] = m_openHeight;
    sizes[1 - index] = total - m_openHeight;
    splitter->setSizes(sizes);
}

bool PreflightPanel::isCollapsed() const {
    return m_tree->isHidden();
}

void PreflightPanel::showBankChecks(const QList<BankCheck>& checks) {
    m_bankChecks = checks;
    m_bankTree->clear();
    for (const auto& check : checks) {
        auto* item = new QTreeWidgetItem(m_bankTree);
        QStyle::StandardPixmap icon = QStyle::SP_MessageBoxQuestion;
        if (check.outcome == BankCheck::Outcome::Passed)
            icon = QStyle::SP_DialogApplyButton;
        else if (check.outcome == BankCheck::Outcome::Failed)
            icon = QStyle::SP_MessageBoxCritical;
        else if (check.outcome == BankCheck::Outcome::Warning)
            icon = QStyle::SP_MessageBoxWarning;
        item->setIcon(0, style()->standardIcon(icon));
        item->setText(0, BankCheck::outcomeName(check.outcome));
        item->setText(1, check.title);
        item->setData(1, Qt::UserRole, check.id);
        item->setText(2, check.details.join(u'\n'));
        item->setToolTip(2, check.details.join(u'\n'));
        item->setText(3, check.rule);
        item->setToolTip(3, check.rule);
    }
    m_bankTree->resizeColumnToContents(0);
    m_bankTree->resizeColumnToContents(1);
    m_bankGroup->setVisible(!checks.isEmpty());
    fitToFindings();
}

void PreflightPanel::showInspection(const RequestInspection& inspection) {
    showBankChecks({});
    showFindings(inspection.findings);
    const bool signedSsa = inspection.input.ssa && inspection.input.ssa->hasJws();
    showSsaSignature(signedSsa ? std::optional(inspection.input.ssaSignature) : std::nullopt);
    showSignatureKeys(inspection.signatureKeys);
}

void PreflightPanel::showSignatureKeys(const QStringList& lines) {
    m_signatureKeys->setVisible(!lines.isEmpty());
    QStringList shown;
    for (const QString& line : lines)
        shown << tr("Keys: %1").arg(line);
    m_signatureKeys->setText(shown.join(u'\n'));
    if (isCollapsed())
        setMaximumHeight(layout()->sizeHint().height());
}

QString PreflightPanel::signatureKeysText() const {
    return m_signatureKeys->text();
}

void PreflightPanel::showSsaSignature(const std::optional<SignatureVerdict>& verdict) {
    m_ssaSignature->setVisible(verdict.has_value());
    m_ssaSignature->setText(verdict ? tr("SSA signature: %1").arg(verdict->text()) : QString());
    setTextTone(m_ssaSignature, !verdict || verdict->isValid() ? Tone::Normal
                                : verdict->isInvalid()         ? Tone::Error
                                                               : Tone::Warning);
    // A collapsed pane is as tall as its lines: one more or one fewer changes that.
    if (isCollapsed())
        setMaximumHeight(layout()->sizeHint().height());
}

QString PreflightPanel::ssaSignatureText() const {
    return m_ssaSignature->text();
}

void PreflightPanel::setCheckedAs(const QString& what) {
    m_checkedAs = what;
}

} // namespace dcr::ui
