#include "MainWindow.h"

#include "ClaimsForm.h"
#include "HistoryPanel.h"
#include "KeysDialog.h"
#include "PreflightPanel.h"
#include "ProfilesDialog.h"
#include "ResponseView.h"
#include "SsaViewer.h"
#include "TokenPreview.h"
#include "common/Version.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace dcr::ui {

MainWindow::MainWindow(ConsoleController* controller, QWidget* parent)
    : QMainWindow(parent)
    , m_controller(controller) {
    setWindowTitle(tr("DCR Console"));
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    m_confirmSend = [this](int errors) {
        return QMessageBox::warning(this, tr("Send with errors?"),
                                    tr("Preflight found %n error(s). The ASPSP will most likely "
                                       "reject this request. Send anyway?",
                                       nullptr, errors),
                                    QMessageBox::Yes | QMessageBox::No,
                                    QMessageBox::No) == QMessageBox::Yes;
    };

    m_form = new ClaimsForm;
    m_preview = new TokenPreview;
    m_preflight = new PreflightPanel;
    m_response = new ResponseView;
    m_history = new HistoryPanel;
    m_ssa = new SsaViewer(controller);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildSendBar());

    m_noticeBar = new QWidget(central);
    auto* noticeLayout = new QHBoxLayout(m_noticeBar);
    noticeLayout->setContentsMargins(8, 4, 4, 4);
    m_notice = new QLabel(m_noticeBar);
    m_notice->setObjectName(QStringLiteral("notice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* closeNotice = new QToolButton(m_noticeBar);
    closeNotice->setText(QStringLiteral("✕"));
    closeNotice->setAutoRaise(true);
    connect(closeNotice, &QToolButton::clicked, m_noticeBar, &QWidget::hide);
    noticeLayout->addWidget(m_notice, 1);
    noticeLayout->addWidget(closeNotice);
    m_noticeBar->hide();
    layout->addWidget(m_noticeBar);

    m_inspectBar = new QWidget(central);
    auto* inspectLayout = new QHBoxLayout(m_inspectBar);
    inspectLayout->setContentsMargins(8, 4, 4, 4);
    m_inspectLabel = new QLabel(m_inspectBar);
    auto* back = new QPushButton(tr("Back to composing"), m_inspectBar);
    back->setObjectName(QStringLiteral("backToComposing"));
    connect(back, &QPushButton::clicked, this, &MainWindow::leaveInspection);
    inspectLayout->addWidget(m_inspectLabel, 1);
    inspectLayout->addWidget(back);
    m_inspectBar->setStyleSheet(QStringLiteral("background: #fcf3cf; color: #7d6608"));
    m_inspectBar->hide();
    layout->addWidget(m_inspectBar);

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

    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(compose, tr("&Compose"));
    m_tabs->addTab(m_ssa, tr("&SSA"));
    m_tabs->addTab(m_response, tr("&Response"));
    m_tabs->addTab(m_history, tr("&History"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    buildMenus();

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(150); // re-sign after typing pauses, so typing never waits on crypto
    connect(m_refresh, &QTimer::timeout, this, &MainWindow::refreshNow);

    connect(m_form, &ClaimsForm::edited, this, [this](const RegistrationRequest& r) {
        if (m_inspecting)
            return;
        m_controller->setRequest(r);
    });
    connect(m_form, &ClaimsForm::lifetimeChanged, this, [this](int s) {
        m_controller->setRequestLifetime(s);
        m_refresh->start();
    });
    connect(m_controller, &ConsoleController::requestChanged, m_refresh,
            qOverload<>(&QTimer::start));
    connect(m_controller, &ConsoleController::signingKeyChanged, this,
            &MainWindow::onProfileChanged);
    connect(m_controller, &ConsoleController::profileChanged, this, &MainWindow::onProfileChanged);
    connect(m_controller, &ConsoleController::profilesChanged, this, [this] {
        const QSignalBlocker block(m_profiles);
        m_profiles->clear();
        for (const auto& p : m_controller->profiles())
            m_profiles->addItem(p.name);
        m_profiles->setCurrentText(m_controller->currentProfile().name);
    });
    connect(m_controller, &ConsoleController::notice, this, &MainWindow::showNotice);
    connect(m_controller, &ConsoleController::discoveryFetched, this, [this](const QString& s) {
        showNotice(s, s.contains(tr("failed")) || s.contains(tr("unusable")));
        m_form->setSupportedValues(m_controller->supportedValues());
    });
    connect(m_controller, &ConsoleController::sendStarted, this, [this] {
        m_send->setEnabled(false);
        m_cancel->setEnabled(true);
        m_progress->setRange(0, 0);
        m_progress->show();
        m_response->showSending(m_controller->endpoint().toString());
        m_tabs->setCurrentWidget(m_response);
        m_history->reload(true);
    });
    connect(m_controller, &ConsoleController::sendFinished, this,
            [this](const SubmissionResult& result) {
                m_send->setEnabled(true);
                m_cancel->setEnabled(false);
                m_progress->hide();
                m_response->showResult(result);
                m_history->reload(true);
                statusBar()->showMessage(
                    result.exchange.completed()
                        ? result.outcome.summary()
                        : tr("Not delivered: %1").arg(result.exchange.failure->message),
                    10000);
            });
    connect(m_preflight, &PreflightPanel::claimActivated, this, [this](const QString& claim) {
        m_tabs->setCurrentIndex(0);
        m_form->focusClaim(claim);
    });
    connect(m_ssa, &SsaViewer::fillFormRequested, this, &MainWindow::fillFromSsa);
    connect(m_history, &HistoryPanel::openInForm, this, [this](const SubmissionRecord& r) {
        leaveInspection();
        setComposeRequest(RegistrationRequest(r.requestClaims));
        m_tabs->setCurrentIndex(0);
        showNotice(tr("Opened the claims of history entry #%1 in the form.").arg(r.id), false);
    });
    connect(m_history, &HistoryPanel::sendAgain, this, [this](const SubmissionRecord& r) {
        leaveInspection();
        setComposeRequest(RegistrationRequest(r.requestClaims));
        onSend();
    });
    connect(m_history, &HistoryPanel::message, this, &MainWindow::showNotice);

    m_history->setStore(m_controller->history());
    emit m_controller->profilesChanged();
    onProfileChanged();
    m_form->setRequest(m_controller->request());
    refreshNow();
    const QSize available = screen() ? screen()->availableGeometry().size() : QSize(1280, 860);
    resize(qMin(1280, available.width()), qMin(860, available.height()));
    if (QSettings* s = m_controller->settings()) {
        restoreGeometry(s->value(QStringLiteral("window/geometry")).toByteArray());
        restoreState(s->value(QStringLiteral("window/state")).toByteArray());
    }
}

QWidget* MainWindow::buildSendBar() {
    auto* bar = new QWidget;
    auto* h = new QHBoxLayout(bar);
    h->setContentsMargins(0, 0, 0, 0);
    m_profiles = new QComboBox(bar);
    m_profiles->setObjectName(QStringLiteral("profileSelector"));
    m_profiles->setMinimumWidth(160);
    connect(m_profiles, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        if (!name.isEmpty() && name != m_controller->currentProfile().name)
            m_controller->selectProfile(name);
    });
    m_endpoint = new QLabel(bar);
    m_endpoint->setObjectName(QStringLiteral("endpoint"));
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keyStatus = new QLabel(bar);
    m_keyStatus->setObjectName(QStringLiteral("signingKeyStatus"));
    m_certStatus = new QLabel(bar);
    m_certStatus->setObjectName(QStringLiteral("transportStatus"));
    m_insecure = new QLabel(tr("  TLS VERIFICATION OFF  "), bar);
    m_insecure->setObjectName(QStringLiteral("insecureWarning"));
    m_insecure->setStyleSheet(
        QStringLiteral("background: #c0392b; color: white; font-weight: bold; border-radius: 3px"));
    m_insecure->hide();
    m_progress = new QProgressBar(bar);
    m_progress->setMaximumWidth(100);
    m_progress->hide();
    m_send = new QPushButton(tr("Send"), bar);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setToolTip(tr("Sign and send the request (Ctrl+Return)"));
    m_send->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), bar);
    m_cancel->setEnabled(false);
    connect(m_send, &QPushButton::clicked, this, &MainWindow::onSend);
    connect(m_cancel, &QPushButton::clicked, m_controller, &ConsoleController::cancelSend);
    // Long DNs and URLs must not force the window wider than the screen.
    for (QLabel* l : {m_endpoint, m_keyStatus, m_certStatus})
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* col = new QVBoxLayout;
    col->addWidget(m_endpoint);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_keyStatus, 2);
    statusRow->addWidget(m_certStatus, 3);
    col->addLayout(statusRow);
    h->addWidget(new QLabel(tr("Profile:"), bar));
    h->addWidget(m_profiles);
    h->addLayout(col, 1);
    h->addWidget(m_insecure);
    h->addWidget(m_progress);
    h->addWidget(m_send);
    h->addWidget(m_cancel);
    return bar;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* inspect = file->addAction(tr("&Inspect received request…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Registration request JWT"), {},
                                                          tr("JWT (*.jwt *.txt);;All files (*)"));
        if (!path.isEmpty())
            openDroppedFile(path);
    });
    inspect->setShortcut(QKeySequence::Open);
    file->addAction(tr("Load &signing key…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Request signing key"));
        if (path.isEmpty())
            return;
        if (auto ok = m_controller->loadSigningKey(path); !ok)
            showNotice(tr("Signing key not loaded: %1").arg(ok.error().message), true);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(
            tr("&Copy signed JWT"), this,
            [this] { QApplication::clipboard()->setText(QString::fromLatin1(m_preview->token())); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    edit->addAction(tr("&Find in history"), this,
                    [this] {
                        m_tabs->setCurrentWidget(m_history);
                        m_history->filterEdit()->setFocus();
                        m_history->filterEdit()->selectAll();
                    })
        ->setShortcut(QKeySequence::Find);
    edit->addAction(tr("&New request"), this,
                    [this] {
                        leaveInspection();
                        setComposeRequest(m_controller->defaultRequest());
                    })
        ->setShortcut(QKeySequence::New);

    QMenu* request = menuBar()->addMenu(tr("&Request"));
    QAction* send = request->addAction(tr("&Send"), this, &MainWindow::onSend);
    send->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    request->addAction(tr("Ca&ncel"), m_controller, &ConsoleController::cancelSend)
        ->setShortcut(Qt::Key_Escape);
    QMenu* alg = request->addMenu(tr("Signing &algorithm"));
    for (JwsAlgorithm a : asymmetricAlgorithms())
        alg->addAction(algorithmName(a), this, [this, a] { m_controller->setSigningAlgorithm(a); });

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Keys && certificates…"), this, [this] {
        KeysDialog dialog(this);
        dialog.exec();
    });
    tools->addAction(tr("&Profiles…"), this, [this] {
        ProfilesDialog dialog(m_controller, this);
        dialog.exec();
    });
    tools->addAction(tr("Fetch &discovery document"), m_controller,
                     &ConsoleController::fetchDiscovery);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About DCR Console"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About DCR Console"),
                       tr("<h3>DCR Console %1</h3><p>Open Banking Dynamic Client Registration: "
                          "build, sign, lint, send and review "
                          "registration requests.</p><p>Qt %2 (built with %3)<br>%4</p>")
                           .arg(productVersion(), QString::fromLatin1(qVersion()),
                                QStringLiteral(QT_VERSION_STR), cryptoLibraryVersion()));
}

void MainWindow::onProfileChanged() {
    const Profile& p = m_controller->currentProfile();
    {
        const QSignalBlocker block(m_profiles);
        m_profiles->setCurrentText(p.name);
    }
    m_endpoint->setText(
        tr("POST %1   (%2)")
            .arg(m_controller->endpoint().toString(), QString::fromLatin1(p.contentType)));
    m_insecure->setVisible(p.insecure);
    if (m_controller->signingKey().isNull()) {
        m_keyStatus->setText(tr("No signing key"));
        m_keyStatus->setStyleSheet(QStringLiteral("color: #c0392b"));
    } else {
        m_keyStatus->setText(tr("Signing: %1, %2, kid %3")
                                 .arg(m_controller->signingKey().description(),
                                      algorithmName(m_controller->signingAlgorithm()),
                                      m_controller->signingKid().left(16) + QStringLiteral("…")));
        m_keyStatus->setStyleSheet(QString());
    }
    auto transport = m_controller->transport();
    if (!transport) {
        m_certStatus->setText(tr("Transport: %1").arg(transport.error().message));
        m_certStatus->setStyleSheet(QStringLiteral("color: #c0392b"));
    } else if (!transport->hasClientIdentity()) {
        m_certStatus->setText(tr("Transport: no client certificate"));
        m_certStatus->setStyleSheet(QStringLiteral("color: #d35400"));
    } else {
        const Certificate& c = transport->clientCertificate;
        const bool valid = c.isValidAt(QDateTime::currentDateTimeUtc());
        // Expiry first: a narrow window clips the label on the right, and the full subject is in
        // the tooltip anyway.
        m_certStatus->setText(tr("Transport: expires %1%2, %3")
                                  .arg(c.notAfter().toString(QStringLiteral("yyyy-MM-dd")),
                                       valid ? QString() : tr(" — NOT VALID"),
                                       c.subjectDn().left(60)));
        m_certStatus->setStyleSheet(valid ? QString()
                                          : QStringLiteral("color: #c0392b; font-weight: bold"));
        m_certStatus->setToolTip(
            tr("%1\nissued by %2\nvalid %3 .. %4\nSHA-256 %5")
                .arg(c.subjectDn(), c.issuerDn(), c.notBefore().toString(Qt::ISODate),
                     c.notAfter().toString(Qt::ISODate), c.sha256Fingerprint()));
        m_form->setSubjectDnChoices(
            {c.subjectDn(DnStyle::Rfc4514Oid), c.subjectDn(DnStyle::Rfc4514Names)});
    }
    if (!m_inspecting && (m_controller->request().claims().isEmpty() || p.embeddedSandbox))
        setComposeRequest(m_controller->request().claims().isEmpty()
                              ? m_controller->defaultRequest()
                              : m_controller->request());
    if (m_controller->sandboxKit() && p.embeddedSandbox && m_ssa->statement() == std::nullopt) {
        m_ssa->setSsaText(QString::fromLatin1(m_controller->sandboxKit()->softwareStatement()));
        m_ssa->verifyWith(
            VerificationKey::fromJwks(JwkSet::single(m_controller->sandboxKit()->directoryKey(),
                                                     m_controller->sandboxKit()->directoryKid())));
    }
    m_refresh->start();
}

void MainWindow::setComposeRequest(const RegistrationRequest& request) {
    m_controller->setRequest(request);
    m_form->setRequest(request);
    m_form->setLifetime(m_controller->requestLifetime());
    m_refresh->start();
}

void MainWindow::refreshNow() {
    if (m_inspecting)
        return;
    if (auto token = m_controller->signedToken())
        m_preview->showToken(*token);
    else
        m_preview->showError(token.error().message);
    const auto inspection = m_controller->inspect();
    m_preflight->showFindings(inspection.findings);
    if (inspection.input.ssa)
        m_form->setSsaRedirectUris(inspection.input.ssa->redirectUris());
}

void MainWindow::onSend() {
    if (m_inspecting) {
        showNotice(tr("This is a received request shown read-only; go back to composing to send."),
                   true);
        return;
    }
    m_refresh->stop();
    refreshNow();
    int errors = 0;
    for (const auto& f : m_preflight->findings())
        errors += f.severity == Severity::Error;
    if (errors > 0 && !m_confirmSend(errors))
        return;
    if (auto ok = m_controller->send(); !ok)
        showNotice(tr("Not sent: %1").arg(ok.error().message), true);
}

void MainWindow::fillFromSsa(const SoftwareStatement& ssa) {
    RegistrationRequest r = m_controller->request();
    r.setString(QStringLiteral("software_statement"), QString::fromLatin1(ssa.jws().compact()));
    r.setString(QStringLiteral("software_id"), ssa.softwareId());
    r.setString(QStringLiteral("iss"), ssa.softwareId());
    r.setStringList(QStringLiteral("redirect_uris"), ssa.redirectUris());
    QStringList scopes{QStringLiteral("openid")};
    const QStringList roles = ssa.roles();
    if (roles.contains(QStringLiteral("AISP")))
        scopes << QStringLiteral("accounts");
    if (roles.contains(QStringLiteral("PISP")))
        scopes << QStringLiteral("payments");
    if (roles.contains(QStringLiteral("CBPII")))
        scopes << QStringLiteral("fundsconfirmations");
    r.setString(QStringLiteral("scope"), scopes.join(u' '));
    leaveInspection();
    setComposeRequest(r);
    m_tabs->setCurrentIndex(0);
    showNotice(tr("Filled software_id, iss, redirect URIs and scopes from the SSA of \"%1\".")
                   .arg(ssa.clientName()),
               false);
}

void MainWindow::importReceivedRequest(const QByteArray& jwt, const QString& source) {
    auto inspection = m_controller->inspectReceived(jwt, std::nullopt);
    if (!inspection) {
        showNotice(
            tr("%1 is not a registration request: %2").arg(source, inspection.error().message),
            true);
        return;
    }
    if (!m_inspecting)
        m_composeBackup = m_controller->request();
    m_inspecting = true;
    m_form->setRequest(inspection->input.request);
    m_form->setReadOnly(true);
    m_preview->showToken(
        inspection->jws->compact(),
        tr("Received request (signature %1)")
            .arg(inspection->input.requestSignature.state == SignatureCheck::State::Verified
                     ? tr("verified")
                     : tr("not verified")));
    m_preflight->showFindings(inspection->findings);
    m_ssa->setSsaText(inspection->input.request.softwareStatement());
    m_inspectLabel->setText(
        tr("Inspecting a received request from %1 (read-only): %n preflight finding(s).", nullptr,
           static_cast<int>(inspection->findings.size()))
            .arg(source));
    m_inspectBar->show();
    m_tabs->setCurrentIndex(0);
}

void MainWindow::leaveInspection() {
    if (!m_inspecting)
        return;
    m_inspecting = false;
    m_inspectBar->hide();
    m_form->setReadOnly(false);
    setComposeRequest(m_composeBackup);
}

void MainWindow::showTab(const QString& name) {
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->tabText(i).remove(u'&').compare(name, Qt::CaseInsensitive) == 0)
            m_tabs->setCurrentIndex(i);
}

void MainWindow::showNotice(const QString& message, bool isError) {
    m_notice->setText(message);
    m_noticeBar->setStyleSheet(isError ? QStringLiteral("background: #fadbd8; color: #78281f")
                                       : QStringLiteral("background: #d6eaf8; color: #1b4f72"));
    m_noticeBar->show();
    statusBar()->showMessage(message, 8000);
}

void MainWindow::openDroppedFile(const QString& path) {
    auto bytes = readLocalFile(path);
    if (!bytes) {
        showNotice(bytes.error().message, true);
        return;
    }
    const QByteArray trimmed = bytes->trimmed();
    if (trimmed.startsWith("eyJ") && trimmed.count('.') == 2) {
        auto jws = Jws::parse(trimmed);
        if (jws && jws->claims().contains(QStringLiteral("software_statement"))) {
            importReceivedRequest(trimmed, QFileInfo(path).fileName());
            return;
        }
        m_ssa->setSsaText(QString::fromLatin1(trimmed));
        m_tabs->setCurrentWidget(m_ssa);
        return;
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
            openDroppedFile(url.toLocalFile());
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (QSettings* s = m_controller->settings()) {
        s->setValue(QStringLiteral("window/geometry"), saveGeometry());
        s->setValue(QStringLiteral("window/state"), saveState());
    }
    QMainWindow::closeEvent(event);
}

} // namespace dcr::ui
