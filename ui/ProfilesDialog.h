#pragma once

#include "history/TeamProfile.h"
#include "transport/Profile.h"

#include <QDialog>

class QAction;
class QCheckBox;
class QLabel;
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

    // Team history only (disabled otherwise, with a tooltip that says why): the shown profile to
    // the team, and a published one as a new local profile (never over an existing one).
    QAction* publishAction() const { return m_publishAction; }
    QAction* importAction() const { return m_importAction; }
    // What the last team action said (published, imported, or why not).
    QLabel* teamStatus() const { return m_teamStatus; }

private:
    void load(const QString& name);
    void display(const Profile& p);
    void startNewProfile();
    void deselectProfile();
    // A new, unsaved profile with an ecosystem preset's choices (EcosystemPreset id).
    void newFromPreset(const QString& presetId);
    Profile collect() const;
    void publishShown();
    // Asks which published profile to import (and, when a local one has its name, under which
    // name), then saves it through the controller.
    void chooseImport();
    void showTeamStatus(const QString& text, bool problem);

    ConsoleController* m_controller;
    QListWidget* m_list;
    QLineEdit *m_name, *m_url, *m_discovery, *m_aud, *m_cert, *m_key, *m_ca, *m_signingKey,
        *m_pkcs11Module, *m_kid, *m_directoryIssuer, *m_tokenUrl, *m_tokenScope, *m_tokenOrigins;
    QComboBox *m_contentType, *m_bodyFormat, *m_spec, *m_lifecycle, *m_tokenAuth;
    Profile m_loaded; // what the dialog does not show is kept as it was
    QSpinBox* m_timeout;
    QCheckBox* m_insecure;
    bool m_embedded = false;
    QAction* m_publishAction;
    QAction* m_importAction;
    QLabel* m_teamStatus;
    QList<TeamProfile> m_team; // as the reader thread last answered
    bool m_importWanted = false;
};

} // namespace dcr::ui
