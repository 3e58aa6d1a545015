#pragma once

#include "jose/VerificationKey.h"
#include "registration/SoftwareStatement.h"

#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace dcr::ui {

class ConsoleController;

// Reads an SSA: paste, open or drop it. Shows its header, claims as a tree, roles, authorisations,
// contacts, JWKS endpoints, times (UTC and local) and the signature status, and can verify it.
class SsaViewer : public QWidget {
    Q_OBJECT
public:
    explicit SsaViewer(ConsoleController* controller, QWidget* parent = nullptr);
    void setSsaText(const QString& jwt);
    std::optional<SoftwareStatement> statement() const { return m_ssa; }
    QString signatureStatus() const;
    // Makes key the one the SSA's signature is verified with (the controller's, which preflight
    // uses too): the verdict shown here and the findings follow.
    void verifyWith(const VerificationKey& key);
    // While inspecting a received request, the SSA is evidence, not a template: "Fill form from
    // SSA" is off (it would leave the inspection and compose a sendable request from it).
    void setInspecting(bool inspecting);

signals:
    void fillFormRequested(const dcr::SoftwareStatement& ssa);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void decode();
    void openFile();
    void verifyFromFile();
    void verifyFromSecret();
    void verifyFromUrl();
    void setSummaryRow(const QString& label, const QString& value);
    void showVerdict();
    void updateFillButton();

    ConsoleController* m_controller;
    QPlainTextEdit* m_input;
    QLabel* m_error;
    QLabel* m_badge;
    QLabel* m_signature;
    QFormLayout* m_summary;
    QTreeWidget* m_tree;
    QPushButton* m_fill;
    std::optional<SoftwareStatement> m_ssa;
    bool m_inspecting = false;
};

} // namespace dcr::ui
