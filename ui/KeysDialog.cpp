#include "KeysDialog.h"

#include "jose/Jwk.h"
#include "jose/KeyMaterial.h"
#include "transport/TransportSettings.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QInputDialog>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dcr::ui {

KeysDialog::KeysDialog(QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Keys & certificates"));
    resize(760, 520);
    auto* layout = new QVBoxLayout(this);
    auto* open = new QPushButton(tr("Open key, certificate or .p12…"), this);
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("keyDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(
        tr("Nothing loaded. Keys stay in memory and are never written by DCR Console."));
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
    layout->addWidget(open);
    layout->addWidget(m_details, 1);
    layout->addWidget(buttons);
}

void KeysDialog::loadFile(const QString& path) {
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
    QStringList lines{tr("File:        %1").arg(path),
                      tr("Format:      %1%2")
                          .arg(material->format,
                               material->hasPrivateKey() ? tr(" (with private key)") : QString())};
    if (!material->publicKey.isNull()) {
        QJsonObject jwk = jwk::fromPublicKey(material->publicKey);
        jwk.insert(QStringLiteral("kid"), jwk::thumbprint(material->publicKey));
        lines << tr("Key:         %1").arg(material->publicKey.description())
              << tr("Thumbprint:  %1  (RFC 7638, default kid)")
                     .arg(jwk::thumbprint(material->publicKey))
              << tr("Public JWK:  %1")
                     .arg(QString::fromUtf8(QJsonDocument(jwk).toJson(QJsonDocument::Compact)));
    }
    for (const auto& c : material->certificates) {
        lines << QString() << tr("Certificate: %1").arg(c.subjectDn())
              << tr("  subject (OpenSSL names): %1").arg(c.subjectDn(DnStyle::Rfc4514Names))
              << tr("  issuer:   %1").arg(c.issuerDn()) << tr("  serial:   %1").arg(c.serialHex())
              << tr("  valid:    %1 .. %2%3")
                     .arg(c.notBefore().toString(Qt::ISODate), c.notAfter().toString(Qt::ISODate),
                          c.isValidAt(QDateTime::currentDateTimeUtc()) ? QString()
                                                                       : tr("  — NOT VALID NOW"))
              << tr("  key:      %1").arg(c.keyDescription())
              << tr("  SANs:     %1").arg(c.subjectAltNames().join(QStringLiteral(", ")))
              << tr("  usage:    %1")
                     .arg((c.keyUsage() + c.extendedKeyUsage()).join(QStringLiteral(", ")))
              << tr("  SHA-256:  %1").arg(c.sha256Fingerprint());
    }
    for (const auto& w : material->warnings)
        lines << tr("Warning: %1").arg(w);
    m_details->setPlainText(lines.join(u'\n'));
}

QString KeysDialog::detailsText() const {
    return m_details->toPlainText();
}

} // namespace dcr::ui
