#include "KeysDialog.h"

#include "jose/KeyReport.h"
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
    m_details->setPlainText(tr("File:        %1\n").arg(path) +
                            keyReportText(*material, QDateTime::currentDateTimeUtc()));
}

QString KeysDialog::detailsText() const {
    return m_details->toPlainText();
}

} // namespace dcr::ui
