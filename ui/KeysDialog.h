#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace dcr::ui {

// Load a key, certificate or .p12 (or list a hardware token) and read it: type, public JWK,
// thumbprint, subject DN variants.
class KeysDialog : public QDialog {
    Q_OBJECT
public:
    explicit KeysDialog(QWidget* parent = nullptr);
    void loadFile(const QString& path);
    // Lists what the tokens matching a pkcs11: URI hold (no PIN needed): each key's and
    // certificate's URI, the private key URI a profile names, public JWK and thumbprint.
    void loadToken(const QString& uri, const QString& pkcs11Module = {});
    QString detailsText() const;

private:
    QPlainTextEdit* m_details;
};

} // namespace dcr::ui
