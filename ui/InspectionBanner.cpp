#include "InspectionBanner.h"

#include "ConsoleController.h"
#include "Tone.h"

#include <QComboBox>
#include <QDropEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace dcr::ui {

InspectionBanner::InspectionBanner(ConsoleController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    setObjectName(QStringLiteral("inspectBar"));
    setAutoFillBackground(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->setSpacing(2);

    auto* top = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("inspectSummary"));
    auto* back = new QPushButton(tr("Back to composing"), this);
    back->setObjectName(QStringLiteral("backToComposing"));
    connect(back, &QPushButton::clicked, this, &InspectionBanner::backToComposing);
    top->addWidget(m_summary, 1);
    top->addWidget(back);

    auto* choice = new QHBoxLayout;
    auto* specLabel = new QLabel(tr("Check &against:"), this);
    m_spec = new QComboBox(this);
    m_spec->setObjectName(QStringLiteral("checkAgainstSpec"));
    m_spec->setToolTip(tr("The contract the received request is checked against"));
    for (SpecVersion spec : allSpecVersions())
        m_spec->addItem(specVersionName(spec), static_cast<int>(spec));
    specLabel->setBuddy(m_spec);
    connect(m_spec, &QComboBox::activated, this, &InspectionBanner::chooseSpec);
    auto* bankLabel = new QLabel(tr("Bank &id (aud):"), this);
    m_bankId = new QLineEdit(this);
    m_bankId->setObjectName(QStringLiteral("checkAgainstBankId"));
    m_bankId->setPlaceholderText(tr("optional; without it aud is not compared"));
    m_bankId->setClearButtonEnabled(true);
    m_bankId->setMinimumWidth(fontMetrics().averageCharWidth() * 28);
    bankLabel->setBuddy(m_bankId);
    connect(m_bankId, &QLineEdit::textEdited, this, &InspectionBanner::setBankId);
    m_target = new QLabel(this);
    m_target->setObjectName(QStringLiteral("checkAgainstTarget"));
    m_target->setWordWrap(true);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    choice->addWidget(specLabel);
    choice->addWidget(m_spec);
    choice->addSpacing(12);
    choice->addWidget(bankLabel);
    choice->addWidget(m_bankId);
    choice->addSpacing(12);
    m_compareCertificate = new QPushButton(tr("Compare with &certificate…"), this);
    m_compareCertificate->setObjectName(QStringLiteral("compareWithCertificate"));
    m_compareCertificate->setToolTip(
        tr("Choose the TPP's transport certificate, or drop it here: the request's subject DN is "
           "compared with its subject by meaning (As the bank)"));
    connect(m_compareCertificate, &QPushButton::clicked, this,
            &InspectionBanner::chooseCertificate);
    // The button is also where a certificate is dropped: a drop anywhere else in the window opens
    // the file as a new request, key or SSA.
    m_compareCertificate->setAcceptDrops(true);
    m_compareCertificate->installEventFilter(this);
    choice->addWidget(m_compareCertificate);
    m_fetchJwks = new QPushButton(tr("Fetch software_&jwks_endpoint"), this);
    m_fetchJwks->setObjectName(QStringLiteral("fetchSoftwareJwks"));
    m_fetchJwks->setToolTip(
        tr("Fetch the SSA's software_jwks_endpoint (https only) and check the request's signature "
           "against it (As the bank); opening a request never fetches it"));
    // A refusal or a failed fetch comes back as a notice.
    connect(m_fetchJwks, &QPushButton::clicked, this,
            [this] { (void)m_controller->fetchSoftwareJwks(); });
    choice->addWidget(m_fetchJwks);
    choice->addStretch();

    layout->addLayout(top);
    layout->addLayout(choice);
    layout->addWidget(m_target);
    setBarTone(this, Tone::Caution);
}

void InspectionBanner::startInspecting(const QString& source) {
    m_source = source;
    const QSignalBlocker blockSpec(m_spec);
    m_bankId->setText(m_controller->inspectionTarget().bankId);
    showTarget();
}

void InspectionBanner::showFindingCount(int findings) {
    m_summary->setText(
        tr("Inspecting a received request from %1 (read-only): %n preflight finding(s).", nullptr,
           findings)
            .arg(m_source));
    showTarget();
}

QString InspectionBanner::summary() const {
    return m_summary->text();
}

QString InspectionBanner::targetText() const {
    return m_target->text();
}

void InspectionBanner::chooseSpec(int index) {
    InspectionTarget target = m_controller->inspectionTarget();
    target.spec = static_cast<SpecVersion>(m_spec->itemData(index).toInt());
    target.guessedFrom.clear(); // chosen by a person now, no longer a guess
    m_controller->setInspectionTarget(target);
}

void InspectionBanner::setBankId(const QString& id) {
    InspectionTarget target = m_controller->inspectionTarget();
    target.bankId = id.trimmed();
    m_controller->setInspectionTarget(target);
}

void InspectionBanner::chooseCertificate() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Transport certificate"), {},
        tr("Certificates (*.pem *.crt *.cer *.der *.p12 *.pfx);;All files (*)"));
    if (path.isEmpty())
        return;
    // A file without a certificate is refused in a notice; the target stays as it was.
    (void)m_controller->useTransportCertificate(path);
}

namespace {

// The one local file a drag carries, or empty.
QString droppedFile(const QMimeData* mime) {
    if (!mime || mime->urls().size() != 1 || !mime->urls().first().isLocalFile())
        return {};
    return mime->urls().first().toLocalFile();
}

} // namespace

bool InspectionBanner::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_compareCertificate)
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
        auto* drag = static_cast<QDragMoveEvent*>(event);
        if (droppedFile(drag->mimeData()).isEmpty())
            return false;
        drag->acceptProposedAction();
        return true;
    }
    if (event->type() == QEvent::Drop) {
        auto* drop = static_cast<QDropEvent*>(event);
        const QString path = droppedFile(drop->mimeData());
        if (path.isEmpty())
            return false;
        drop->acceptProposedAction();
        // A file without a certificate is refused in a notice; the target stays as it was.
        (void)m_controller->useTransportCertificate(path);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void InspectionBanner::showTarget() {
    const InspectionTarget& target = m_controller->inspectionTarget();
    const QSignalBlocker blockSpec(m_spec);
    m_spec->setCurrentIndex(m_spec->findData(static_cast<int>(target.spec)));
    m_target->setText(target.describe());
    setTextTone(m_target, target.isGuess() ? Tone::Warning : Tone::Normal);
}

} // namespace dcr::ui
