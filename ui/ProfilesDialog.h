#pragma once

#include "transport/Profile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace dcr::ui {

class ConsoleController;

// Edits everything a profile holds. Paths only: a profile never stores a key or passphrase.
class ProfilesDialog : public QDialog {
    Q_OBJECT
public:
    ProfilesDialog(ConsoleController* controller, QWidget* parent = nullptr);

private:
    void load(const QString& name);
    void display(const Profile& p);
    void startNewProfile();
    void deselectProfile();
    // A new, unsaved profile with an ecosystem preset's choices (EcosystemPreset id).
    void newFromPreset(const QString& presetId);
    Profile collect() const;

    ConsoleController* m_controller;
    QListWidget* m_list;
    QLineEdit *m_name, *m_url, *m_discovery, *m_aud, *m_cert, *m_key, *m_ca, *m_signingKey,
        *m_pkcs11Module, *m_kid, *m_directoryIssuer, *m_tokenUrl, *m_tokenScope, *m_tokenOrigins;
    QComboBox *m_contentType, *m_bodyFormat, *m_spec, *m_lifecycle, *m_tokenAuth;
    Profile m_loaded; // what the dialog does not show is kept as it was
    QSpinBox* m_timeout;
    QCheckBox* m_insecure;
    bool m_embedded = false;
};

} // namespace dcr::ui
