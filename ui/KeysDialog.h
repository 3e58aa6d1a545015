#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace dcr::ui {

// Load a key, certificate or .p12 and read it: type, public JWK, thumbprint, subject DN variants.
class KeysDialog : public QDialog {
    Q_OBJECT
public:
    explicit KeysDialog(QWidget* parent = nullptr);
    void loadFile(const QString& path);
    QString detailsText() const;

private:
    QPlainTextEdit* m_details;
};

} // namespace dcr::ui
