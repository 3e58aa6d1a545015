#pragma once

#include "ConsoleController.h"

#include <QMainWindow>

#include <functional>

class QAbstractButton;
class QAction;
class QActionGroup;
class QLabel;
class QTabWidget;
class QTimer;

namespace dcr::ui {

class ClaimsForm;
class ClientsPanel;
class HistoryPanel;
class InspectionBanner;
class MessageWidget;
class PreflightPanel;
class ResponseView;
class SendBar;
class SsaViewer;
class TestPlanPanel;
class TokenPreview;

// The console window, a frame: the send bar on top; tabs for composing (form, token, preflight),
// the SSA, the response and the history; a message bar instead of chains of modal boxes.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Composing a request to send, or reading one that was received (read-only, Send disabled).
    enum class Mode { Composing, Inspecting };
    Q_ENUM(Mode)

    explicit MainWindow(ConsoleController* controller, QWidget* parent = nullptr);

    // Asked before sending a request with error findings; default is a question box.
    void setSendConfirmation(std::function<bool(int errors)> confirm) {
        m_confirmSend = std::move(confirm);
    }
    // Asked before a registration is sent again whose earlier attempt got no answer (the
    // warning's text); default is a box whose "Register again" sends.
    void setRegisterAgainConfirmation(std::function<bool(const QString& warning)> confirm) {
        m_confirmRegisterAgain = std::move(confirm);
    }
    Mode mode() const { return m_mode; }
    void importReceivedRequest(const QByteArray& jwt, const QString& source);
    // Opens a file by what it holds: claims JSON into the composer, a request JWT for
    // inspection, an SSA in the SSA tab, a key or certificate in the keys dialog.
    void openFile(const QString& path);
    Status openClaimsFile(const QString& path);
    Status saveClaimsFile(const QString& path);
    void showTab(const QString& name);
    // Recomputes token and preflight now (normally debounced while typing).
    void refreshNow();
    void showNotice(const Notice& notice);
    // What Send does: plan (one signature), show that token's findings, confirm, send it.
    Status send();
    void leaveInspection();
    // Runs the inspected request's checks again and shows them (target, profile or key changed).
    void showInspection();

    ClaimsForm* form() const { return m_form; }
    TokenPreview* preview() const { return m_preview; }
    PreflightPanel* preflight() const { return m_preflight; }
    ResponseView* response() const { return m_response; }
    HistoryPanel* historyPanel() const { return m_history; }
    ClientsPanel* clientsPanel() const { return m_clients; }
    TestPlanPanel* testPlanPanel() const { return m_tests; }
    SsaViewer* ssaViewer() const { return m_ssa; }
    SendBar* sendBar() const { return m_sendBar; }
    QAction* sendAction() const { return m_sendAction; }
    QAction* cancelAction() const { return m_cancelAction; }
    QAbstractButton* sendButton() const;
    MessageWidget* messageWidget() const { return m_message; }
    InspectionBanner* inspectionBanner() const { return m_inspectBanner; }
    QLabel* noticeLabel() const;

signals:
    void modeChanged(dcr::ui::MainWindow::Mode mode);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private slots:
    // --- the commands (one QAction each, see createActions)
    void sendFromAction();
    void openFileDialog();
    void saveClaimsDialog();
    void loadSigningKeyDialog();
    void useTokenSigningKeyDialog();
    void copySignedJwt();
    void findInHistory();
    void newRequest();
    void chooseSigningAlgorithm(QAction* action);
    void showKeysDialog();
    void showProfilesDialog();
    void editHistoryLocation();
    void showAbout();

    // --- what the controller reports
    void onProfileReady();
    void onDiscoveryFetched(const dcr::DiscoveryOutcome& outcome);
    void onSendStateChanged(ConsoleController::SendState state);
    void onSendStarted();
    void onSendFinished(const dcr::SubmissionResult& result);
    void onHistoryConnectionChanged();
    void onTestRunStarted(int total);
    void onTestRunFinished(const dcr::TestRunSummary& summary);
    void showTokenResult(const dcr::TokenResult& result);
    void updateSendAction();
    void refreshClients();

    // --- what the form and the panels ask for
    void onFormEdited(const dcr::RegistrationRequest& request);
    void onLifetimeChanged(int seconds);
    void focusClaim(const QString& claim);
    void fillFromSsa(const dcr::SoftwareStatement& ssa);
    void openHistoryEntryInForm(const dcr::SubmissionRecord& record);
    void sendHistoryEntryAgain(const dcr::SubmissionRecord& record);
    void showPanelMessage(const QString& text, bool isError);
    void runTestPlan(const QStringList& scenarioIds);
    void openTestPlanDialog();
    void showTestHistory(const QString& runId, qint64 historyId);

private:
    // --- construction, in the order the constructor calls them
    void createActions();
    void buildWidgets();
    QWidget* buildComposeTab();
    void buildMenus();
    void connectController();
    void connectPanels();
    void restoreWindow();

    bool confirmSendWithErrors(int errors);
    bool confirmRegisterAgain(const QString& warning);
    void setMode(Mode mode);
    void setComposeRequest(const RegistrationRequest& request);
    void showSendError(const Status& status);
    void showRequestSsa();

    ConsoleController* m_controller;
    ClaimsForm* m_form;
    TokenPreview* m_preview;
    PreflightPanel* m_preflight;
    ResponseView* m_response;
    HistoryPanel* m_history;
    ClientsPanel* m_clients;
    TestPlanPanel* m_tests;
    SsaViewer* m_ssa;
    SendBar* m_sendBar = nullptr;
    MessageWidget* m_message;
    QTabWidget* m_tabs;
    InspectionBanner* m_inspectBanner;
    // One action per command: a button, a menu item and a shortcut share its enabled state.
    QAction* m_sendAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveClaimsAction = nullptr;
    QAction* m_loadSigningKeyAction = nullptr;
    QAction* m_tokenSigningKeyAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_copyJwtAction = nullptr;
    QAction* m_findInHistoryAction = nullptr;
    QAction* m_newRequestAction = nullptr;
    QActionGroup* m_algorithmActions = nullptr;
    QAction* m_keysAction = nullptr;
    QAction* m_profilesAction = nullptr;
    QAction* m_discoveryAction = nullptr;
    QAction* m_historyLocationAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QTimer* m_refresh;
    Mode m_mode = Mode::Composing;
    RegistrationRequest m_composeBackup;
    std::function<bool(int)> m_confirmSend;
    std::function<bool(const QString&)> m_confirmRegisterAgain;
};

} // namespace dcr::ui
