#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace dcr {
class Certificate;
}

namespace dcr::ui {

class SubjectDnPanel;

// Load a key, certificate or .p12 (or list a hardware token) and read it: type, public JWK,
// thumbprint; and a certificate's subject DN in each dialect, compared with a pasted DN
// (SubjectDnPanel).
class KeysDialog : public QDialog {
    Q_OBJECT
public:
    explicit KeysDialog(QWidget* parent = nullptr);
    void loadFile(const QString& path);
    // The profile's transport certificate, already loaded by the session (the dialog then opens
    // on the certificate requests go with, and its subject DN).
    void showTransportCertificate(const Certificate& certificate, const QString& profile);
    // Lists what the tokens matching a pkcs11: URI hold (no PIN needed): each key's and
    // certificate's URI, the private key URI a profile names, public JWK and thumbprint.
    void loadToken(const QString& uri, const QString& pkcs11Module = {});
    QString detailsText() const;
    SubjectDnPanel* subjectDnPanel() const { return m_subjectDn; }

private:
    QPlainTextEdit* m_details;
    SubjectDnPanel* m_subjectDn;
};

} // namespace dcr::ui
