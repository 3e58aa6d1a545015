#pragma once

#include <QWidget>

class QAbstractButton;
class QAction;
class QComboBox;
class QLabel;
class QProgressBar;

namespace dcr::ui {

class ConsoleController;

// The strip above the tabs: profile selector, endpoint, signing key and transport certificate
// status, the TLS-verification-off banner, progress, and the Send / Cancel actions' buttons.
class SendBar : public QWidget {
    Q_OBJECT
public:
    SendBar(ConsoleController* controller, QAction* send, QAction* cancel,
            QWidget* parent = nullptr);
    // Reads the controller's profile, key and certificate again.
    void refresh();
    QAbstractButton* sendButton() const { return m_sendButton; }
    QComboBox* profileSelector() const { return m_profiles; }

private:
    void fillProfiles();
    void showTransportStatus();

    ConsoleController* m_controller;
    QComboBox* m_profiles;
    QLabel* m_endpoint;
    QLabel* m_keyStatus;
    QLabel* m_certStatus;
    QLabel* m_insecure;
    QProgressBar* m_progress;
    QAbstractButton* m_sendButton;
};

} // namespace dcr::ui
