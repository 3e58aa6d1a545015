#include "SendBar.h"

#include "ConsoleController.h"
#include "Tone.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace dcr::ui {

namespace {

QToolButton* actionButton(QAction* action, QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setMinimumWidth(72);
    return button;
}

} // namespace

SendBar::SendBar(ConsoleController* controller, QAction* send, QAction* cancel, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    setObjectName(QStringLiteral("sendBar"));
    auto* h = new QHBoxLayout(this);
    h->setContentsMargins(0, 0, 0, 0);
    m_profiles = new QComboBox(this);
    m_profiles->setObjectName(QStringLiteral("profileSelector"));
    m_profiles->setMinimumWidth(160);
    connect(m_profiles, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        if (!name.isEmpty() && name != m_controller->currentProfile().name)
            m_controller->selectProfile(name);
    });
    m_endpoint = new QLabel(this);
    m_endpoint->setObjectName(QStringLiteral("endpoint"));
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keyStatus = new QLabel(this);
    m_keyStatus->setObjectName(QStringLiteral("signingKeyStatus"));
    m_certStatus = new QLabel(this);
    m_certStatus->setObjectName(QStringLiteral("transportStatus"));
    m_insecure = new QLabel(tr("  TLS VERIFICATION OFF  "), this);
    m_insecure->setObjectName(QStringLiteral("insecureWarning"));
    setBadgeTone(m_insecure, Tone::Error);
    m_insecure->hide();
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(100);
    m_progress->setRange(0, 0);
    m_progress->hide();
    m_sendButton = actionButton(send, this);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    auto* cancelButton = actionButton(cancel, this);
    cancelButton->setObjectName(QStringLiteral("cancelButton"));
    // Long DNs and URLs must not force the window wider than the screen.
    for (QLabel* l : {m_endpoint, m_keyStatus, m_certStatus})
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* col = new QVBoxLayout;
    col->addWidget(m_endpoint);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_keyStatus, 2);
    statusRow->addWidget(m_certStatus, 3);
    col->addLayout(statusRow);
    h->addWidget(new QLabel(tr("Profile:"), this));
    h->addWidget(m_profiles);
    h->addLayout(col, 1);
    h->addWidget(m_insecure);
    h->addWidget(m_progress);
    h->addWidget(m_sendButton);
    h->addWidget(cancelButton);

    connect(m_controller, &ConsoleController::profilesChanged, this, &SendBar::fillProfiles);
    connect(m_controller, &ConsoleController::profileChanged, this, &SendBar::refresh);
    connect(m_controller, &ConsoleController::signingKeyChanged, this, &SendBar::refresh);
    // A send may have unlocked the signing key (its status never asks for the passphrase itself).
    connect(m_controller, &ConsoleController::sendFinished, this, &SendBar::refresh);
    // Busy from the moment Send is pressed (the history is checked first), until the answer.
    connect(m_controller, &ConsoleController::sendStateChanged, m_progress,
            [this](ConsoleController::SendState state) {
                m_progress->setVisible(state != ConsoleController::SendState::Idle);
            });
    fillProfiles();
    refresh();
}

void SendBar::fillProfiles() {
    const QSignalBlocker block(m_profiles);
    m_profiles->clear();
    for (const auto& p : m_controller->profiles())
        m_profiles->addItem(p.name);
    m_profiles->setCurrentText(m_controller->currentProfile().name);
}

void SendBar::refresh() {
    const Profile& p = m_controller->currentProfile();
    {
        const QSignalBlocker block(m_profiles);
        m_profiles->setCurrentText(p.name);
    }
    m_insecure->setVisible(p.insecure);
    if (!m_controller->isProfileReady()) {
        m_endpoint->setText(tr("Preparing profile \"%1\" …").arg(p.name));
        m_keyStatus->clear();
        m_certStatus->clear();
        return;
    }
    const bool json = m_controller->bodyFormat() == RequestBodyFormat::Json;
    m_endpoint->setText(tr("POST %1   (%2, %3)")
                            .arg(m_controller->endpoint().toString(),
                                 QString::fromLatin1(p.contentType),
                                 json ? tr("JSON body") : tr("signed JWT body")));
    if (json) {
        m_keyStatus->setText(tr("Not signed: JSON body (RFC 7591)"));
        setTextTone(m_keyStatus, Tone::Normal);
        m_keyStatus->setToolTip(tr("A JSON registration body carries the metadata as it is; "
                                   "no request signing key is needed."));
    } else if (auto signing = m_controller->signingSetup(KeyPrompt::Never)) { // never asks
        m_keyStatus->setText(tr("Signing: %1, %2, kid %3")
                                 .arg(signing->key.description(), algorithmName(signing->alg),
                                      signing->kid.left(16) + QStringLiteral("…")));
        setTextTone(m_keyStatus, Tone::Normal);
        m_keyStatus->setToolTip(signing->source);
    } else {
        m_keyStatus->setText(signing.error().kind == ErrorKind::KeyPassphraseRequired
                                 ? tr("Signing key locked (unlocked when sending)")
                                 : tr("No signing key"));
        setTextTone(m_keyStatus, Tone::Error);
        m_keyStatus->setToolTip(signing.error().message);
    }
    showTransportStatus();
}

void SendBar::showTransportStatus() {
    auto transport = m_controller->transport();
    if (!transport) {
        m_certStatus->setText(tr("Transport: %1").arg(transport.error().message));
        setTextTone(m_certStatus, Tone::Error);
        return;
    }
    if (!transport->hasClientIdentity()) {
        m_certStatus->setText(tr("Transport: no client certificate"));
        setTextTone(m_certStatus, Tone::Warning);
        return;
    }
    const Certificate& c = transport->clientCertificate;
    const bool valid = c.isValidAt(QDateTime::currentDateTimeUtc());
    // Expiry first: a narrow window clips the label on the right, and the full subject is in the
    // tooltip anyway.
    m_certStatus->setText(tr("Transport: expires %1%2, %3")
                              .arg(c.notAfter().toString(QStringLiteral("yyyy-MM-dd")),
                                   valid ? QString() : tr(" — NOT VALID"), c.subjectDn().left(60)));
    setTextTone(m_certStatus, valid ? Tone::Normal : Tone::Error, !valid);
    m_certStatus->setToolTip(tr("%1\nissued by %2\nvalid %3 .. %4\nSHA-256 %5")
                                 .arg(c.subjectDn(), c.issuerDn(),
                                      c.notBefore().toString(Qt::ISODate),
                                      c.notAfter().toString(Qt::ISODate), c.sha256Fingerprint()));
}

} // namespace dcr::ui
