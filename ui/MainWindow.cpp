#include "MainWindow.h"

#include "ClaimsForm.h"
#include "ClientsPanel.h"
#include "HistoryPanel.h"
#include "InspectionBanner.h"
#include "KeysDialog.h"
#include "MessageWidget.h"
#include "PreflightPanel.h"
#include "ProfilesDialog.h"
#include "ResponseView.h"
#include "SendBar.h"
#include "SsaViewer.h"
#include "TestPlanPanel.h"
#include "TokenPreview.h"
#include "Tone.h"
#include "common/AtomicFile.h"
#include "common/SuggestedFileName.h"
#include "common/Version.h"
#include "registration/InputKind.h"
#include "registration/SsaClaims.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace dcr::ui {

namespace {

// Preflight's rules differ between the two body formats: the summary says which applied.
QString checkedAs(RequestBodyFormat format) {
    return format == RequestBodyFormat::Json ? MainWindow::tr("JSON body, RFC 7591")
                                             : MainWindow::tr("signed JWT body");
}

// Re-sign and re-check this long after typing pauses: long enough to skip the keystrokes of a
// word, short enough to feel immediate.
constexpr int RefreshDebounceMs = 150;
// How long the status bar keeps a send's outcome and a notice (the message bar keeps them).
constexpr int SendResultMessageMs = 10000;
constexpr int NoticeMessageMs = 8000;

} // namespace

MainWindow::MainWindow(ConsoleController* controller, QWidget* parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_confirmSend(std::bind_front(&MainWindow::confirmSendWithErrors, this))
    , m_confirmRegisterAgain(std::bind_front(&MainWindow::confirmRegisterAgain, this)) {
    setWindowTitle(tr("DCR Console"));
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);

    createActions();
    buildWidgets();
    buildMenus();
    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(RefreshDebounceMs); // typing never waits on crypto
    connect(m_refresh, &QTimer::timeout, this, &MainWindow::refreshNow);
    connectController();
    connectPanels();

    // The runs of earlier sessions, so they can be re-opened after a restart.
    for (const auto& run : m_controller->savedTestRuns())
        m_tests->addPastRun(run);
    // A team history's runs come from its reader thread and replace the list when they arrive.
    connect(m_controller, &ConsoleController::testRunsLoaded, m_tests, &TestPlanPanel::setPastRuns);
    connect(m_controller, &ConsoleController::teamRunsFailed, m_tests, &TestPlanPanel::showError);
    m_controller->refreshTeamRuns();
    m_history->setSession(m_controller->session());
    m_form->setRequest(m_controller->request());
    updateSendAction();
    if (m_controller->isProfileReady())
        onProfileReady();
    restoreWindow();
}

bool MainWindow::confirmSendWithErrors(int errors) {
    return QMessageBox::warning(this, tr("Send with errors?"),
                                tr("Preflight found %n error(s). The ASPSP will most likely "
                                   "reject this request. Send anyway?",
                                   nullptr, errors),
                                QMessageBox::Yes | QMessageBox::No,
                                QMessageBox::No) == QMessageBox::Yes;
}

bool MainWindow::confirmRegisterAgain(const QString& warning) {
    QMessageBox box(QMessageBox::Warning, tr("Register again?"), warning, QMessageBox::Cancel,
                    this);
    QPushButton* again = box.addButton(tr("Register again"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == again;
}

void MainWindow::createActions() {
    // One action per command: the button, the menu item and the shortcut are the same object,
    // so their enabled state cannot disagree.
    m_sendAction = new QAction(tr("&Send"), this);
    m_sendAction->setObjectName(QStringLiteral("sendAction"));
    m_sendAction->setToolTip(tr("Sign and send the request (Ctrl+Return)"));
    m_sendAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    connect(m_sendAction, &QAction::triggered, this, &MainWindow::sendFromAction);
    m_cancelAction = new QAction(tr("Ca&ncel"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelAction"));
    m_cancelAction->setShortcut(Qt::Key_Escape);
    m_cancelAction->setEnabled(false);
    connect(m_cancelAction, &QAction::triggered, m_controller, &ConsoleController::cancelSend);

    const auto action = [this](const QString& text, const char* name, QKeySequence shortcut = {}) {
        auto* a = new QAction(text, this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(shortcut);
        return a;
    };
    m_openAction = action(tr("&Open…"), "openAction", QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openFileDialog);
    m_saveClaimsAction = action(tr("&Save claims…"), "saveClaimsAction", QKeySequence::Save);
    connect(m_saveClaimsAction, &QAction::triggered, this, &MainWindow::saveClaimsDialog);
    m_loadSigningKeyAction = action(tr("Load &signing key…"), "loadSigningKeyAction");
    connect(m_loadSigningKeyAction, &QAction::triggered, this, &MainWindow::loadSigningKeyDialog);
    m_tokenSigningKeyAction = action(tr("Use signing key in a &token…"), "tokenSigningKeyAction");
    connect(m_tokenSigningKeyAction, &QAction::triggered, this,
            &MainWindow::useTokenSigningKeyDialog);
    m_quitAction = action(tr("&Quit"), "quitAction", QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_copyJwtAction = action(tr("&Copy signed JWT"), "copyJwtAction",
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyJwtAction->setEnabled(false); // until the preview holds a body (TokenPreview)
    connect(m_copyJwtAction, &QAction::triggered, this, &MainWindow::copySignedJwt);
    m_findInHistoryAction =
        action(tr("&Find in history"), "findInHistoryAction", QKeySequence::Find);
    connect(m_findInHistoryAction, &QAction::triggered, this, &MainWindow::findInHistory);
    m_newRequestAction = action(tr("&New request"), "newRequestAction", QKeySequence::New);
    connect(m_newRequestAction, &QAction::triggered, this, &MainWindow::newRequest);

    // Not checkable: the menu chooses, the send bar's key status shows what is in use.
    m_algorithmActions = new QActionGroup(this);
    m_algorithmActions->setExclusionPolicy(QActionGroup::ExclusionPolicy::None);
    for (JwsAlgorithm a : asymmetricAlgorithms())
        m_algorithmActions->addAction(algorithmName(a))->setData(static_cast<int>(a));
    connect(m_algorithmActions, &QActionGroup::triggered, this,
            &MainWindow::chooseSigningAlgorithm);

    m_keysAction = action(tr("&Keys && certificates…"), "keysAction");
    connect(m_keysAction, &QAction::triggered, this, &MainWindow::showKeysDialog);
    m_profilesAction = action(tr("&Profiles…"), "profilesAction");
    connect(m_profilesAction, &QAction::triggered, this, &MainWindow::showProfilesDialog);
    m_discoveryAction = action(tr("Fetch &discovery document"), "discoveryAction");
    connect(m_discoveryAction, &QAction::triggered, m_controller,
            &ConsoleController::fetchDiscovery);
    m_historyLocationAction = action(tr("&History location…"), "historyLocationAction");
    connect(m_historyLocationAction, &QAction::triggered, this, &MainWindow::editHistoryLocation);
    m_aboutAction = action(tr("&About DCR Console"), "aboutAction");
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::buildWidgets() {
    m_form = new ClaimsForm;
    m_preview = new TokenPreview;
    m_preflight = new PreflightPanel;
    m_response = new ResponseView;
    m_history = new HistoryPanel;
    m_clients = new ClientsPanel;
    m_tests = new TestPlanPanel;
    m_tests->setPlan(m_controller->testPlan());
    m_ssa = new SsaViewer(m_controller);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    m_sendBar = new SendBar(m_controller, m_sendAction, m_cancelAction, central);
    layout->addWidget(m_sendBar);
    m_message = new MessageWidget(central);
    layout->addWidget(m_message);
    m_inspectBanner = new InspectionBanner(m_controller, central);
    m_inspectBanner->hide();
    connect(m_inspectBanner, &InspectionBanner::backToComposing, this,
            &MainWindow::leaveInspection);
    layout->addWidget(m_inspectBanner);

    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(buildComposeTab(), tr("&Compose"));
    m_tabs->addTab(m_ssa, tr("&SSA"));
    m_tabs->addTab(m_response, tr("&Response"));
    m_tabs->addTab(m_history, tr("&History"));
    m_tabs->addTab(m_clients, tr("C&lients"));
    m_tabs->addTab(m_tests, tr("&Test plan"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
}

// The form beside the token it makes; the findings below both.
QWidget* MainWindow::buildComposeTab() {
    auto* formScroll = new QScrollArea;
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(formScroll);
    top->addWidget(m_preview);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 1);
    // Findings get the full width: their messages say what is wrong and how to fix it.
    auto* compose = new QSplitter(Qt::Vertical);
    compose->setObjectName(QStringLiteral("composeSplitter"));
    compose->addWidget(top);
    compose->addWidget(m_preflight);
    compose->setStretchFactor(0, 3);
    compose->setStretchFactor(1, 1);
    compose->setSizes({540, 230});
    return compose;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addActions(
        {m_openAction, m_saveClaimsAction, m_loadSigningKeyAction, m_tokenSigningKeyAction});
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions({m_copyJwtAction, m_findInHistoryAction, m_newRequestAction});

    QMenu* request = menuBar()->addMenu(tr("&Request"));
    request->addActions({m_sendAction, m_cancelAction});
    request->addMenu(tr("Signing &algorithm"))->addActions(m_algorithmActions->actions());

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addActions({m_keysAction, m_profilesAction, m_discoveryAction, m_historyLocationAction});

    menuBar()->addMenu(tr("&Help"))->addAction(m_aboutAction);
}

void MainWindow::connectController() {
    connect(m_controller, &ConsoleController::requestChanged, m_refresh,
            qOverload<>(&QTimer::start));
    connect(m_controller, &ConsoleController::profileReady, this, &MainWindow::onProfileReady);
    connect(m_controller, &ConsoleController::inspectionChanged, this, &MainWindow::showInspection);
    connect(m_controller, &ConsoleController::notice, this, &MainWindow::showNotice);
    connect(m_controller, &ConsoleController::sendEnabledChanged, this,
            &MainWindow::updateSendAction);
    connect(m_controller, &ConsoleController::discoveryFetched, this,
            &MainWindow::onDiscoveryFetched);
    connect(m_controller, &ConsoleController::sendStateChanged, this,
            &MainWindow::onSendStateChanged);
    connect(m_controller, &ConsoleController::sendStarted, this, &MainWindow::onSendStarted);
    connect(m_controller, &ConsoleController::sendFinished, this, &MainWindow::onSendFinished);
    connect(m_controller, &ConsoleController::tokenReceived, this, &MainWindow::showTokenResult);
    connect(m_controller, &ConsoleController::sendFinished, this, &MainWindow::refreshClients);
    // A token request is a history row too, and evidence of the client's status.
    connect(m_controller, &ConsoleController::tokenReceived, this, &MainWindow::refreshClients);
    connect(m_controller, &ConsoleController::profileChanged, this, &MainWindow::refreshClients);
    connect(m_controller, &ConsoleController::profileSelected, m_message, &MessageWidget::dismiss);
    // A shared history that connects (or comes back) has rows the views have not seen.
    connect(m_controller->session(), &Session::historyConnectionChanged, this,
            &MainWindow::onHistoryConnectionChanged);
    connect(m_controller, &ConsoleController::clientsLoading, m_clients, &ClientsPanel::setLoading);
    connect(m_controller, &ConsoleController::clientsLoaded, m_clients, &ClientsPanel::setClients);
    connect(m_controller, &ConsoleController::clientsFailed, m_clients, &ClientsPanel::showError);
    connect(m_controller, &ConsoleController::testRunStarted, this, &MainWindow::onTestRunStarted);
    connect(m_controller, &ConsoleController::testProgress, m_tests, &TestPlanPanel::showProgress);
    connect(m_controller, &ConsoleController::testRunFinished, this,
            &MainWindow::onTestRunFinished);
}

void MainWindow::connectPanels() {
    connect(m_form, &ClaimsForm::edited, this, &MainWindow::onFormEdited);
    connect(m_form, &ClaimsForm::lifetimeChanged, this, &MainWindow::onLifetimeChanged);
    connect(m_preview, &TokenPreview::tokenAvailable, m_copyJwtAction, &QAction::setEnabled);
    connect(m_preflight, &PreflightPanel::claimActivated, this, &MainWindow::focusClaim);
    connect(m_ssa, &SsaViewer::fillFormRequested, this, &MainWindow::fillFromSsa);
    connect(m_history, &HistoryPanel::openInForm, this, &MainWindow::openHistoryEntryInForm);
    connect(m_history, &HistoryPanel::sendAgain, this, &MainWindow::sendHistoryEntryAgain);
    connect(m_history, &HistoryPanel::message, this, &MainWindow::showPanelMessage);
    connect(m_clients, &ClientsPanel::operationRequested, m_controller,
            &ConsoleController::manageClient);
    connect(m_clients, &ClientsPanel::tokenRequested, m_controller,
            &ConsoleController::requestClientToken);
    connect(m_clients, &ClientsPanel::refreshRequested, this, &MainWindow::refreshClients);
    connect(m_tests, &TestPlanPanel::runRequested, this, &MainWindow::runTestPlan);
    connect(m_tests, &TestPlanPanel::cancelRequested, m_controller,
            &ConsoleController::cancelTestRun);
    connect(m_tests, &TestPlanPanel::openPlanRequested, this, &MainWindow::openTestPlanDialog);
    connect(m_tests, &TestPlanPanel::historyRequested, this, &MainWindow::showTestHistory);
}

void MainWindow::restoreWindow() {
    const QSize available = screen() ? screen()->availableGeometry().size() : QSize(1280, 860);
    resize(qMin(1280, available.width()), qMin(860, available.height()));
    if (QSettings* s = m_controller->session()->settings()) {
        restoreGeometry(s->value(QStringLiteral("window/geometry")).toByteArray());
        restoreState(s->value(QStringLiteral("window/state")).toByteArray());
    }
}

QAbstractButton* MainWindow::sendButton() const {
    return m_sendBar->sendButton();
}

QLabel* MainWindow::noticeLabel() const {
    return m_message->label();
}

void MainWindow::showSendError(const Status& status) {
    if (!status)
        showNotice({Notice::Level::Error, tr("Not sent: %1").arg(status.error().message)});
}

void MainWindow::sendFromAction() {
    showSendError(send());
}

void MainWindow::openFileDialog() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open claims, a request or an SSA"), {},
                                     tr("Claims or JWT (*.json *.jwt *.txt);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::loadSigningKeyDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Request signing key"));
    if (path.isEmpty())
        return;
    if (auto ok = m_controller->loadSigningKey(path); !ok)
        showNotice(
            {Notice::Level::Error, tr("Signing key not loaded: %1").arg(ok.error().message)});
}

void MainWindow::useTokenSigningKeyDialog() {
    bool ok = false;
    const QString uri = QInputDialog::getText(
        this, tr("Request signing key in a hardware token"),
        tr("RFC 7512 URI of the private key (see Keys & certificates → List a hardware "
           "token), e.g. pkcs11:token=LABEL;object=KEY;type=private. The PIN is asked next "
           "and kept in memory only."),
        QLineEdit::Normal, QStringLiteral("pkcs11:"), &ok);
    if (!ok || uri.trimmed().isEmpty())
        return;
    if (auto loaded = m_controller->loadSigningKey(uri.trimmed()); !loaded)
        showNotice(
            {Notice::Level::Error, tr("Signing key not loaded: %1").arg(loaded.error().message)});
}

void MainWindow::copySignedJwt() {
    QApplication::clipboard()->setText(QString::fromLatin1(m_preview->token()));
}

void MainWindow::findInHistory() {
    m_tabs->setCurrentWidget(m_history);
    m_history->filterEdit()->setFocus();
    m_history->filterEdit()->selectAll();
}

void MainWindow::newRequest() {
    leaveInspection();
    setComposeRequest(m_controller->defaultRequest());
    showRequestSsa();
}

// The SSA tab shows the SSA of the request a command put in the form (none: an empty tab), not
// the one of the request before. The same SSA is left as it is, with its verification.
void MainWindow::showRequestSsa() {
    const QString ssa = m_controller->request().softwareStatement().trimmed();
    const auto shown = m_ssa->statement();
    if (shown ? QString::fromLatin1(shown->jws().compact()) != ssa : !ssa.isEmpty())
        m_ssa->setSsaText(ssa);
}

void MainWindow::chooseSigningAlgorithm(QAction* action) {
    m_controller->setSigningAlgorithm(static_cast<JwsAlgorithm>(action->data().toInt()));
}

void MainWindow::showKeysDialog() {
    KeysDialog dialog(this);
    // Opens on the certificate the profile's requests go with, when it has one loaded.
    if (m_controller->isProfileReady())
        if (auto transport = m_controller->transport();
            transport && !transport->clientCertificate.isNull())
            dialog.showTransportCertificate(transport->clientCertificate,
                                            m_controller->currentProfile().name);
    dialog.exec();
}

void MainWindow::showProfilesDialog() {
    ProfilesDialog dialog(m_controller, this);
    dialog.exec();
}

void MainWindow::onDiscoveryFetched(const DiscoveryOutcome& outcome) {
    showNotice({outcome.ok() ? Notice::Level::Info : Notice::Level::Error, outcome.summary()});
    m_form->setSupportedValues(m_controller->supportedValues());
}

// Send was pressed: Send is off and Cancel on from that moment, also while the history is
// looked at before anything leaves (#25.2); back to idle, the preview is what would be sent now.
void MainWindow::onSendStateChanged(ConsoleController::SendState state) {
    updateSendAction();
    const QString checking =
        tr("Looking in the history for an earlier attempt of this registration…");
    if (state == ConsoleController::SendState::Checking)
        statusBar()->showMessage(checking);
    else if (statusBar()->currentMessage() == checking)
        statusBar()->clearMessage();
    if (state == ConsoleController::SendState::Idle)
        m_refresh->start();
}

void MainWindow::onSendStarted() {
    m_message->dismiss(); // a new action: the last one's notice no longer applies
    updateSendAction();
    m_response->showSending(m_controller->endpoint().toString());
    m_tabs->setCurrentWidget(m_response);
    m_history->reload(true);
}

void MainWindow::onSendFinished(const SubmissionResult& result) {
    updateSendAction();
    m_refresh->start(); // the preview is no longer "being sent": back to what would be sent now
    m_response->showResult(result);
    m_history->reload(true);
    statusBar()->showMessage(result.exchange.completed()
                                 ? result.outcome.summary()
                                 : tr("Not delivered: %1").arg(result.exchange.failure->message),
                             SendResultMessageMs);
}

void MainWindow::onHistoryConnectionChanged() {
    if (m_controller->session()->historyConnection() == HistoryStore::Connection::Connected)
        refreshClients();
}

void MainWindow::onTestRunStarted(int total) {
    m_message->dismiss();
    m_tests->runStarted(total);
    updateSendAction();
}

void MainWindow::onTestRunFinished(const TestRunSummary& summary) {
    m_tests->runFinished(summary);
    updateSendAction();
    m_history->reload(true);
}

void MainWindow::onFormEdited(const RegistrationRequest& request) {
    if (m_mode == Mode::Composing)
        m_controller->setRequest(request);
}

void MainWindow::onLifetimeChanged(int seconds) {
    m_controller->setRequestLifetime(seconds);
    m_refresh->start();
}

void MainWindow::focusClaim(const QString& claim) {
    m_tabs->setCurrentIndex(0);
    m_form->focusClaim(claim);
}

void MainWindow::openHistoryEntryInForm(const SubmissionRecord& record) {
    leaveInspection();
    setComposeRequest(RegistrationRequest(record.requestClaims));
    showRequestSsa();
    m_tabs->setCurrentIndex(0);
    showNotice({Notice::Level::Info,
                tr("Opened the claims of history entry #%1 in the form.").arg(record.id)});
}

void MainWindow::sendHistoryEntryAgain(const SubmissionRecord& record) {
    leaveInspection();
    // The recorded claims; the plan gives them a fresh jti, iat and exp, as an ASPSP rejects a
    // replayed jti.
    setComposeRequest(RegistrationRequest(record.requestClaims));
    showRequestSsa();
    showSendError(send());
}

void MainWindow::showPanelMessage(const QString& text, bool isError) {
    showNotice({isError ? Notice::Level::Error : Notice::Level::Info, text});
}

void MainWindow::runTestPlan(const QStringList& scenarioIds) {
    if (auto ok = m_controller->runTestPlan(scenarioIds); !ok)
        m_tests->showError(tr("Not started: %1").arg(ok.error().message));
}

void MainWindow::openTestPlanDialog() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Test plan"), {}, tr("Test plan (*.json)"));
    if (path.isEmpty())
        return;
    if (auto ok = m_controller->loadTestPlan(path); !ok)
        m_tests->showError(ok.error().message);
    else
        m_tests->setPlan(m_controller->testPlan());
}

void MainWindow::showTestHistory(const QString& runId, qint64 historyId) {
    m_tabs->setCurrentWidget(m_history);
    m_history->showMatching(runId, historyId);
}

// A file path or a postgresql:// URL (password from ~/.pgpass, never here), for the next start.
void MainWindow::editHistoryLocation() {
    Session* session = m_controller->session();
    bool ok = false;
    const QString location = QInputDialog::getText(
        this, tr("History location"),
        tr("A SQLite file, or postgresql://user@host:port/dbname?sslmode=verify-full for a "
           "team's shared history (the password goes in ~/.pgpass). Empty: the default. "
           "Applies when DCR Console starts next; DCR_HISTORY_DB wins over it.\nNow: %1")
            .arg(session->historyLocation()),
        QLineEdit::Normal, session->historyLocationSetting(), &ok);
    if (!ok)
        return;
    if (auto saved = session->setHistoryLocationSetting(location); !saved) {
        showNotice({Notice::Level::Error, saved.error().message});
        return;
    }
    showNotice(
        {Notice::Level::Info, tr("History location saved; it applies from the next start.")});
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About DCR Console"),
                       tr("<h3>DCR Console %1</h3><p>Open Banking Dynamic Client Registration: "
                          "build, sign, lint, send and review "
                          "registration requests.</p><p>Qt %2 (built with %3)<br>%4</p>")
                           .arg(productVersion(), QString::fromLatin1(qVersion()),
                                QStringLiteral(QT_VERSION_STR), cryptoLibraryVersion()));
}

void MainWindow::setMode(Mode mode) {
    if (m_mode == mode)
        return;
    m_mode = mode;
    m_form->setReadOnly(mode == Mode::Inspecting);
    m_inspectBanner->setVisible(mode == Mode::Inspecting);
    m_ssa->setInspecting(mode == Mode::Inspecting);
    updateSendAction();
    emit modeChanged(mode);
}

void MainWindow::updateSendAction() {
    m_sendAction->setEnabled(m_mode == Mode::Composing && m_controller->canSend());
    m_cancelAction->setEnabled(m_controller->isSending());
}

void MainWindow::onProfileReady() {
    if (m_controller->isProfileReady()) {
        if (auto transport = m_controller->transport();
            transport && transport->hasClientIdentity()) {
            const Certificate& c = transport->clientCertificate;
            m_form->setSubjectDnChoices(
                {c.subjectDn(DnStyle::Rfc4514Oid), c.subjectDn(DnStyle::Rfc4514Names)});
        }
    }
    if (m_mode == Mode::Composing)
        setComposeRequest(m_controller->request());
    const auto& kit = m_controller->sandboxKit();
    if (kit && m_controller->currentProfile().embeddedSandbox && !m_ssa->statement())
        m_ssa->setSsaText(QString::fromLatin1(kit->softwareStatement()));
    updateSendAction();
    m_refresh->start();
}

// Read on the history reader's thread; the panel shows that it is loading meanwhile.
void MainWindow::refreshClients() {
    m_controller->refreshClients();
}

// The token itself is never shown: it stays in memory for the operation that asked for it.
void MainWindow::showTokenResult(const TokenResult& result) {
    if (!result.exchange.completed())
        showNotice({Notice::Level::Error,
                    tr("Token request failed: %1").arg(result.exchange.failure->message)});
    else if (!result.response.ok)
        showNotice({Notice::Level::Error, result.refusalText()});
    else
        showNotice({Notice::Level::Info,
                    tr("%1; the access token (%2) is kept in memory only.")
                        .arg(result.response.summary(), result.response.toJson(false)
                                                            .value(QStringLiteral("access_token"))
                                                            .toString())});
}

void MainWindow::setComposeRequest(const RegistrationRequest& request) {
    m_controller->setRequest(request);
    m_form->setRequest(request);
    m_form->setLifetime(m_controller->requestLifetime());
    m_refresh->start();
}

void MainWindow::refreshNow() {
    if (m_mode == Mode::Inspecting || !m_controller->isProfileReady())
        return;
    const auto preview = m_controller->preview();
    m_preflight->setCheckedAs(checkedAs(preview.format));
    m_form->setBodyFormat(preview.format);
    if (preview.token && preview.format == RequestBodyFormat::Json)
        m_preview->showJsonBody(*preview.token, m_controller->currentProfile().contentType);
    else if (preview.token)
        m_preview->showToken(*preview.token);
    else
        m_preview->showError(preview.token.error().message);
    m_preflight->showInspection(preview.inspection);
    if (preview.inspection.input.ssa)
        m_form->setSsaRedirectUris(preview.inspection.input.ssa->redirectUris());
}

Status MainWindow::send() {
    if (m_mode == Mode::Inspecting)
        return Error{ErrorKind::SessionNotReady,
                     tr("this is a received request shown read-only; go back to composing to "
                        "send")};
    m_refresh->stop();
    auto plan = m_controller->planSend(); // the one signature of this send
    if (!plan)
        return plan.error();
    // What the user confirms is the token that will go out.
    const RequestInspection inspection = m_controller->inspectPlan(*plan);
    m_preflight->setCheckedAs(checkedAs(plan->bodyFormat));
    if (plan->bodyFormat == RequestBodyFormat::Json)
        m_preview->showJsonBody(plan->body, plan->contentType, tr("Being sent:"));
    else
        m_preview->showToken(plan->requestJwt, tr("Being sent"));
    m_preflight->showInspection(inspection);
    int errors = 0;
    for (const auto& f : inspection.findings)
        errors += f.severity == Severity::Error;
    if (errors > 0 && !m_confirmSend(errors)) {
        refreshNow(); // declined: nothing is being sent
        return {};
    }
    // #25.2: the bank may hold a client from an earlier attempt whose answer was lost.
    return m_controller->send(*plan, [this](const Notice& lost) {
        showNotice(lost);
        const bool again = m_confirmRegisterAgain(lost.text);
        if (!again)
            refreshNow(); // declined: nothing is being sent
        return again;
    });
}

void MainWindow::fillFromSsa(const SoftwareStatement& ssa) {
    if (m_mode == Mode::Inspecting) // the button is off then; a received SSA is no template
        return;
    const RegistrationRequest filled = withClaimsFromSsa(m_controller->request(), ssa);
    leaveInspection();
    setComposeRequest(filled);
    m_tabs->setCurrentIndex(0);
    showNotice({Notice::Level::Info,
                tr("Filled software_id, iss, redirect URIs and scopes from the SSA of \"%1\".")
                    .arg(ssa.clientName())});
}

void MainWindow::importReceivedRequest(const QByteArray& jwt, const QString& source) {
    auto inspection = m_controller->startInspection(jwt);
    if (!inspection) // the inspection (if any) goes on as it was
        return showNotice(
            {Notice::Level::Error,
             tr("%1 is not a registration request: %2").arg(source, inspection.error().message)});
    if (m_mode == Mode::Composing)
        m_composeBackup = m_controller->request();
    m_refresh->stop();
    setMode(Mode::Inspecting);
    m_form->setBodyFormat(RequestBodyFormat::Jwt); // a received request is a JWT
    m_form->setRequest(inspection->input.request);
    m_ssa->setSsaText(inspection->input.request.softwareStatement());
    m_inspectBanner->startInspecting(source);
    showInspection();
    m_tabs->setCurrentIndex(0);
}

void MainWindow::showInspection() {
    if (m_mode != Mode::Inspecting)
        return;
    auto inspection = m_controller->inspection();
    if (!inspection) // the received bytes inspected once already: only a broken invariant
        return showNotice({Notice::Level::Error, inspection.error().message});
    m_preview->showToken(
        m_controller->receivedRequest(),
        tr("Received request (signature: %1)").arg(inspection->input.requestSignature.text()));
    m_preflight->setCheckedAs(
        tr("signed JWT body, %1").arg(specVersionName(m_controller->inspectionTarget().spec)));
    m_preflight->showInspection(*inspection);
    m_preflight->showBankChecks(m_controller->bankChecks(*inspection));
    m_inspectBanner->showFindingCount(static_cast<int>(inspection->findings.size()));
}

void MainWindow::leaveInspection() {
    if (m_mode != Mode::Inspecting)
        return;
    m_controller->endInspection();
    m_preflight->showBankChecks({}); // only a received request is checked as the bank
    setMode(Mode::Composing);
    setComposeRequest(m_composeBackup);
}

void MainWindow::showTab(const QString& name) {
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->tabText(i).remove(u'&').compare(name, Qt::CaseInsensitive) == 0)
            m_tabs->setCurrentIndex(i);
}

void MainWindow::showNotice(const Notice& notice) {
    m_message->showMessage(notice);
    statusBar()->showMessage(notice.text, NoticeMessageMs);
}

Status MainWindow::openClaimsFile(const QString& path) {
    auto bytes = readLocalFile(path);
    if (!bytes)
        return bytes.error();
    auto request = RegistrationRequest::fromJsonBytes(*bytes);
    if (!request)
        return Error{request.error().kind,
                     tr("%1 is not a claims file: %2")
                         .arg(QFileInfo(path).fileName(), request.error().message)};
    leaveInspection();
    setComposeRequest(*request);
    showRequestSsa();
    m_tabs->setCurrentIndex(0);
    showNotice({Notice::Level::Info,
                tr("Opened the claims of %1 in the form; iat, exp and jti are set when sending.")
                    .arg(QFileInfo(path).fileName())});
    return {};
}

Status MainWindow::saveClaimsFile(const QString& path) {
    // The same format dcrctl sign --claims reads; all or nothing.
    return writeFileAtomically(
        path, QJsonDocument(m_controller->request().claims()).toJson(QJsonDocument::Indented));
}

void MainWindow::saveClaimsDialog() {
    const RegistrationRequest& request = m_controller->request();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save claims"),
        suggestedFileName({request.softwareId(), QStringLiteral("claims")}, QStringLiteral("json")),
        tr("Claims JSON (*.json)"));
    if (path.isEmpty())
        return;
    if (auto ok = saveClaimsFile(path); !ok)
        showNotice({Notice::Level::Error, tr("Claims not saved: %1").arg(ok.error().message)});
    else
        showNotice({Notice::Level::Info, tr("Saved the claims to %1.").arg(path)});
}

void MainWindow::openFile(const QString& path) {
    m_message->dismiss(); // what this file holds, not what the last one did
    auto bytes = readLocalFile(path);
    if (!bytes) {
        showNotice({Notice::Level::Error, bytes.error().message});
        return;
    }
    const InputClassification input = classifyInput(*bytes);
    switch (input.kind) {
    case InputKind::ClaimsJson:
        if (auto ok = openClaimsFile(path); !ok)
            showNotice({Notice::Level::Error, ok.error().message});
        return;
    case InputKind::RegistrationRequest:
        importReceivedRequest(bytes->trimmed(), QFileInfo(path).fileName());
        return;
    case InputKind::SoftwareStatement:
        m_ssa->setSsaText(QString::fromLatin1(bytes->trimmed()));
        m_tabs->setCurrentWidget(m_ssa);
        return;
    case InputKind::Empty:
        showNotice({Notice::Level::Error, tr("%1 is empty.").arg(path)});
        return;
    case InputKind::Unrecognised:
        showNotice({Notice::Level::Error,
                    tr("%1 is not a JWT (%2), a claims file, a key or a certificate.")
                        .arg(QFileInfo(path).fileName(), input.reason)});
        return;
    case InputKind::KeyOrCertificate:
        break;
    }
    KeysDialog dialog(this);
    dialog.loadFile(path);
    dialog.exec();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            openFile(url.toLocalFile());
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (QSettings* s = m_controller->session()->settings()) {
        s->setValue(QStringLiteral("window/geometry"), saveGeometry());
        s->setValue(QStringLiteral("window/state"), saveState());
    }
    QMainWindow::closeEvent(event);
}

} // namespace dcr::ui
