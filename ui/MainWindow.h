#pragma once

#include "ConsoleController.h"

#include <QMainWindow>

#include <functional>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;

namespace dcr::ui {

class ClaimsForm;
class HistoryPanel;
class PreflightPanel;
class ResponseView;
class SsaViewer;
class TokenPreview;

// The console window: send bar on top; tabs for composing (form, token, preflight), the SSA,
// the response and the history; an in-place notice banner instead of chains of modal boxes.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(ConsoleController* controller, QWidget* parent = nullptr);

    // Asked before sending a request with error findings; default is a question box.
    void setSendConfirmation(std::function<bool(int errors)> confirm) {
        m_confirmSend = std::move(confirm);
    }
    void importReceivedRequest(const QByteArray& jwt, const QString& source);
    // A request JWT opens for inspection, an SSA in the SSA tab, a key or certificate in the keys
    // dialog.
    void openFile(const QString& path) { openDroppedFile(path); }
    void showTab(const QString& name);
    // Recomputes token and preflight now (normally debounced while typing).
    void refreshNow();
    void showNotice(const QString& message, bool isError);

    ClaimsForm* form() const { return m_form; }
    TokenPreview* preview() const { return m_preview; }
    PreflightPanel* preflight() const { return m_preflight; }
    ResponseView* response() const { return m_response; }
    HistoryPanel* historyPanel() const { return m_history; }
    SsaViewer* ssaViewer() const { return m_ssa; }
    QPushButton* sendButton() const { return m_send; }
    QLabel* noticeLabel() const { return m_notice; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    QWidget* buildSendBar();
    void onSend();
    void onProfileChanged();
    void setComposeRequest(const RegistrationRequest& request);
    void fillFromSsa(const SoftwareStatement& ssa);
    void leaveInspection();
    void openDroppedFile(const QString& path);
    void showAbout();

    ConsoleController* m_controller;
    ClaimsForm* m_form;
    TokenPreview* m_preview;
    PreflightPanel* m_preflight;
    ResponseView* m_response;
    HistoryPanel* m_history;
    SsaViewer* m_ssa;
    QTabWidget* m_tabs;
    QComboBox* m_profiles;
    QLabel* m_endpoint;
    QLabel* m_keyStatus;
    QLabel* m_certStatus;
    QLabel* m_insecure;
    QLabel* m_notice;
    QWidget* m_noticeBar;
    QWidget* m_inspectBar;
    QLabel* m_inspectLabel;
    QPushButton* m_send;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QTimer* m_refresh;
    bool m_inspecting = false;
    RegistrationRequest m_composeBackup;
    std::function<bool(int)> m_confirmSend;
};

} // namespace dcr::ui
