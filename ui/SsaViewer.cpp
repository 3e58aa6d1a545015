#include "SsaViewer.h"

#include "ConsoleController.h"
#include "JsonText.h"
#include "Tone.h"
#include "transport/TransportSettings.h"

#include "common/JsonInteger.h"

#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dcr::ui {

namespace {

void addJson(QTreeWidgetItem* parent, const QString& key, const QJsonValue& value) {
    auto* item = new QTreeWidgetItem(parent, {key});
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            addJson(item, it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            addJson(item, QStringLiteral("[%1]").arg(i), a.at(i));
    } else {
        QString text = value.isString() ? value.toString() : compactJsonText(value);
        if ((key == QStringLiteral("iat") || key == QStringLiteral("exp")) && jsonInteger(value)) {
            const QDateTime t = QDateTime::fromSecsSinceEpoch(*jsonInteger(value), Qt::UTC);
            text += QStringLiteral("  (%1 UTC, %2 local)")
                        .arg(t.toString(Qt::ISODate),
                             t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        }
        item->setText(1, text);
    }
}

} // namespace

SsaViewer::SsaViewer(ConsoleController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    auto* paste = new QPushButton(tr("Paste"), this);
    auto* open = new QPushButton(tr("Open…"), this);
    m_fill = new QPushButton(tr("Fill form from SSA"), this);
    m_fill->setObjectName(QStringLiteral("fillFromSsa"));
    auto* verifyFile = new QPushButton(tr("Verify with JWKS/key file…"), this);
    auto* verifyUrl = new QPushButton(tr("Verify with JWKS URL…"), this);
    auto* verifySecret = new QPushButton(tr("Verify with shared secret…"), this);
    verifySecret->setObjectName(QStringLiteral("verifyWithSecret"));
    for (auto* b : {paste, open, m_fill, verifyFile, verifyUrl, verifySecret})
        buttons->addWidget(b);
    buttons->addStretch();
    connect(paste, &QPushButton::clicked, this,
            [this] { setSsaText(QApplication::clipboard()->text()); });
    connect(open, &QPushButton::clicked, this, &SsaViewer::openFile);
    connect(m_fill, &QPushButton::clicked, this, [this] {
        if (m_ssa)
            emit fillFormRequested(*m_ssa);
    });
    connect(verifyFile, &QPushButton::clicked, this, &SsaViewer::verifyFromFile);
    connect(verifyUrl, &QPushButton::clicked, this, &SsaViewer::verifyFromUrl);
    connect(verifySecret, &QPushButton::clicked, this, &SsaViewer::verifyFromSecret);
    connect(m_controller, &ConsoleController::ssaVerificationChanged, this,
            &SsaViewer::showVerdict);

    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("ssaInput"));
    m_input->setPlaceholderText(
        tr("Paste, open or drop a Software Statement Assertion (JWT) here"));
    m_input->setMaximumHeight(70);
    connect(m_input, &QPlainTextEdit::textChanged, this, &SsaViewer::decode);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("ssaError"));
    setTextTone(m_error, Tone::Error);
    m_error->setWordWrap(true);
    m_badge = new QLabel(this);
    m_badge->setObjectName(QStringLiteral("ssaBadge"));
    m_signature = new QLabel(this);
    m_signature->setObjectName(QStringLiteral("ssaSignature"));
    m_signature->setWordWrap(true);
    auto* summaryBox = new QWidget(this);
    m_summary = new QFormLayout(summaryBox);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("ssaTree"));
    m_tree->setHeaderLabels({tr("Claim"), tr("Value")});
    m_tree->setColumnWidth(0, 260);
    layout->addLayout(buttons);
    layout->addWidget(m_input);
    layout->addWidget(m_error);
    auto* badges = new QHBoxLayout;
    badges->addWidget(m_badge);
    badges->addWidget(m_signature, 1);
    layout->addLayout(badges);
    layout->addWidget(summaryBox);
    layout->addWidget(m_tree, 1);
    decode();
}

void SsaViewer::setSsaText(const QString& jwt) {
    m_input->setPlainText(jwt.trimmed());
}

void SsaViewer::setSummaryRow(const QString& label, const QString& value) {
    auto* l = new QLabel(value, this);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    m_summary->addRow(label, l);
}

void SsaViewer::decode() {
    while (m_summary->rowCount() > 0)
        m_summary->removeRow(0);
    m_tree->clear();
    m_ssa.reset();
    updateFillButton();
    const QString text = m_input->toPlainText().trimmed();
    if (text.isEmpty()) {
        m_error->clear();
        m_badge->clear();
        m_signature->clear();
        return;
    }
    auto ssa = SoftwareStatement::decode(text.toLatin1());
    if (!ssa) {
        m_error->setText(ssa.error().message);
        m_badge->clear();
        m_signature->clear();
        return;
    }
    m_error->clear();
    m_ssa = *ssa;
    updateFillButton();
    const QString env =
        ssa->environment().isEmpty() ? tr("unknown environment") : ssa->environment();
    const bool production = env.compare(QStringLiteral("production"), Qt::CaseInsensitive) == 0 &&
                            ssa->mode().compare(QStringLiteral("live"), Qt::CaseInsensitive) == 0;
    m_badge->setText(
        QStringLiteral(" %1 / %2 ").arg(env, ssa->mode().isEmpty() ? tr("no mode") : ssa->mode()));
    setBadgeTone(m_badge, production ? Tone::Error : Tone::Info);
    showVerdict();

    setSummaryRow(tr("Client"),
                  QStringLiteral("%1 — %2").arg(ssa->clientName(), ssa->clientDescription()));
    setSummaryRow(tr("software_id"),
                  ssa->softwareId() + (ssa->softwareClientId().isEmpty()
                                           ? QString()
                                           : tr("   (client id %1)").arg(ssa->softwareClientId())));
    setSummaryRow(
        tr("Organisation"),
        QStringLiteral("%1 (%2), status %3").arg(ssa->orgName(), ssa->orgId(), ssa->orgStatus()));
    setSummaryRow(tr("Roles"), ssa->roles().join(QStringLiteral(", ")));
    QStringList authorities;
    for (const auto& c : ssa->competentAuthorityClaims()) {
        QStringList auths;
        for (const auto& a : c.authorisations)
            auths << QStringLiteral("%1: %2").arg(a.memberState, a.roles.join(u'/'));
        authorities << QStringLiteral("%1 %2 (%3) — %4")
                           .arg(c.authorityId, c.registrationId, c.status,
                                auths.join(QStringLiteral("; ")));
    }
    setSummaryRow(tr("Competent authority"), authorities.join(u'\n'));
    QStringList contacts;
    for (const auto& c : ssa->orgContacts())
        contacts << QStringLiteral("%1: %2 <%3> %4").arg(c.type, c.name, c.email, c.phone);
    setSummaryRow(tr("Contacts"), contacts.join(u'\n'));
    setSummaryRow(tr("Redirect URIs"), ssa->redirectUris().join(u'\n'));
    setSummaryRow(tr("JWKS endpoints"),
                  QStringList{ssa->softwareJwksEndpoint(), ssa->orgJwksEndpoint()}.join(u'\n'));
    if (auto iat = ssa->issuedAt())
        setSummaryRow(tr("Issued"),
                      tr("%1 UTC  (%2 local) by %3")
                          .arg(iat->toString(Qt::ISODate),
                               iat->toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                               ssa->iss()));

    auto* header = new QTreeWidgetItem(m_tree, {tr("header")});
    for (auto it = ssa->header().begin(); it != ssa->header().end(); ++it)
        addJson(header, it.key(), it.value());
    auto* claims = new QTreeWidgetItem(m_tree, {tr("claims")});
    for (auto it = ssa->claims().begin(); it != ssa->claims().end(); ++it)
        addJson(claims, it.key(), it.value());
    header->setExpanded(true);
    claims->setExpanded(true);
}

QString SsaViewer::signatureStatus() const {
    return m_signature->text();
}

void SsaViewer::verifyWith(const VerificationKey& key) {
    m_controller->setSsaVerificationKey(key); // showVerdict follows (ssaVerificationChanged)
}

// The controller's verdict, in its own words (SignatureVerdict::text), as preflight shows it.
void SsaViewer::showVerdict() {
    if (!m_ssa || !m_ssa->hasJws())
        return;
    const SignatureVerdict verdict = m_controller->ssaVerdict(m_ssa->jws());
    m_signature->setText(
        tr("%1 signature (kid %2): %3")
            .arg(algorithmName(m_ssa->jws().algorithm()), m_ssa->jws().kid(), verdict.text()));
    if (verdict.isValid())
        setTextTone(m_signature, Tone::Success, true);
    else if (verdict.isInvalid())
        setTextTone(m_signature, Tone::Error, true);
    else
        setTextTone(m_signature, Tone::Warning);
}

void SsaViewer::setInspecting(bool inspecting) {
    m_inspecting = inspecting;
    updateFillButton();
}

void SsaViewer::updateFillButton() {
    m_fill->setEnabled(m_ssa.has_value() && !m_inspecting);
    m_fill->setToolTip(m_inspecting
                           ? tr("Off while inspecting a received request: its SSA is not composed "
                                "from. Go back to composing to fill the form from an SSA.")
                           : tr("Takes software_id (also as iss), redirect URIs and scopes fitting "
                                "the roles into the request"));
}

void SsaViewer::openFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open SSA"), {},
                                                      tr("JWT (*.jwt *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    auto bytes = readLocalFile(path);
    if (!bytes) {
        m_error->setText(bytes.error().message);
        return;
    }
    setSsaText(QString::fromLatin1(*bytes));
}

void SsaViewer::verifyFromFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("JWKS, public key or certificate"));
    if (path.isEmpty())
        return;
    auto bytes = readLocalFile(path);
    auto key = bytes ? VerificationKey::fromFile(*bytes) : Result<VerificationKey>(bytes.error());
    if (!key) {
        m_signature->setText(tr("Cannot use %1: %2").arg(path, key.error().message));
        return;
    }
    verifyWith(*key);
}

void SsaViewer::verifyFromSecret() {
    bool ok = false;
    const QString secret = QInputDialog::getText(
        this, tr("Shared secret"), tr("HS256 secret of the SSA's issuer (kept in memory only):"),
        QLineEdit::Password, {}, &ok);
    if (ok && !secret.isEmpty())
        verifyWith(VerificationKey::fromSecret(secret.toUtf8()));
}

void SsaViewer::verifyFromUrl() {
    bool ok = false;
    const QString url = QInputDialog::getText(
        this, tr("JWKS URL"), tr("JWKS URL (fetched over the profile's TLS settings):"),
        QLineEdit::Normal, m_ssa ? m_ssa->softwareJwksEndpoint() : QString(), &ok);
    if (!ok || url.isEmpty())
        return;
    m_signature->setText(tr("Fetching %1 …").arg(url));
    m_controller->fetchJwks(QUrl(url), [this](const Result<JwkSet>& jwks) {
        if (!jwks) {
            m_signature->setText(jwks.error().message);
            return;
        }
        verifyWith(VerificationKey::fromJwks(*jwks));
    });
}

void SsaViewer::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText())
        event->acceptProposedAction();
}

void SsaViewer::dropEvent(QDropEvent* event) {
    if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty()) {
        auto bytes = readLocalFile(event->mimeData()->urls().first().toLocalFile());
        if (bytes)
            setSsaText(QString::fromLatin1(*bytes));
        else
            m_error->setText(bytes.error().message);
    } else {
        setSsaText(event->mimeData()->text());
    }
    event->acceptProposedAction();
}

} // namespace dcr::ui
