#include "KeysDialog.h"

#include "SubjectDnPanel.h"

#include "jose/KeyReport.h"
#include "jose/Pkcs11Uri.h"
#include "jose/TokenReport.h"
#include "transport/TransportSettings.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QInputDialog>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dcr::ui {

KeysDialog::KeysDialog(QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Keys & certificates"));
    resize(820, 760);
    auto* layout = new QVBoxLayout(this);
    auto* open = new QPushButton(tr("Open key, certificate or .p12…"), this);
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("keyDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(
        tr("Nothing loaded. Keys stay in memory and are never written by DCR Console."));
    m_subjectDn = new SubjectDnPanel(this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open key or certificate"), {},
                                         tr("Keys and certificates (*.pem *.crt *.cer *.der *.key "
                                            "*.p12 *.pfx *.json *.jwk *.jwks);;All files (*)"));
        if (!path.isEmpty())
            loadFile(path);
    });
    auto* token = new QPushButton(tr("List a hardware token (pkcs11: URI)…"), this);
    token->setObjectName(QStringLiteral("openToken"));
    connect(token, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString uri = QInputDialog::getText(
            this, tr("Hardware token"),
            tr("RFC 7512 URI of the token, e.g. pkcs11:token=LABEL (module: $DCR_PKCS11_MODULE, "
               "else the p11-kit proxy; or add ?module-path=/path/to/module.so):"),
            QLineEdit::Normal, QStringLiteral("pkcs11:"), &ok);
        if (ok && !uri.trimmed().isEmpty())
            loadToken(uri.trimmed());
    });
    layout->addWidget(open);
    layout->addWidget(token);
    layout->addWidget(m_details, 1);
    layout->addWidget(m_subjectDn);
    layout->addWidget(buttons);
}

void KeysDialog::loadFile(const QString& path) {
    m_subjectDn->clear();
    auto bytes = readLocalFile(path);
    if (!bytes) {
        m_details->setPlainText(bytes.error().toString());
        return;
    }
    auto material = keyloader::load(*bytes);
    if (!material && (material.error().kind == ErrorKind::KeyPassphraseRequired ||
                      material.error().kind == ErrorKind::KeyWrongPassphrase)) {
        bool ok = false;
        const QString passphrase = QInputDialog::getText(
            this, tr("Passphrase"), tr("Passphrase for %1 (kept in memory only):").arg(path),
            QLineEdit::Password, {}, &ok);
        if (ok)
            material = keyloader::load(*bytes, passphrase.toUtf8());
    }
    if (!material) {
        m_details->setPlainText(tr("%1\n\n%2").arg(path, material.error().toString()));
        return;
    }
    m_details->setPlainText(tr("File:        %1\n").arg(path) +
                            keyReportText(*material, QDateTime::currentDateTimeUtc()));
    if (!material->certificates.isEmpty())
        m_subjectDn->setCertificate(material->leaf());
}

void KeysDialog::showTransportCertificate(const Certificate& certificate, const QString& profile) {
    KeyMaterial material;
    material.format = tr("transport certificate");
    material.certificates = {certificate};
    m_details->setPlainText(tr("Profile:     %1\n").arg(profile) +
                            keyReportText(material, QDateTime::currentDateTimeUtc()));
    m_subjectDn->setCertificate(certificate);
}

void KeysDialog::loadToken(const QString& uri, const QString& pkcs11Module) {
    m_subjectDn->clear();
    auto entries = inspectToken(uri, pkcs11Module);
    if (!entries) {
        m_details->setPlainText(entries.error().toString());
        return;
    }
    m_details->setPlainText(tr("Token:       %1\n").arg(withoutPinValue(uri)) +
                            tokenReportText(*entries, QDateTime::currentDateTimeUtc()));
}

QString KeysDialog::detailsText() const {
    return m_details->toPlainText();
}

} // namespace dcr::ui
