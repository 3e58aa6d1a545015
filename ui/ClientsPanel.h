#pragma once

#include "registration/RegistrationOutcome.h"
#include "session/LostRegistrations.h"
#include "session/RegisteredClient.h"

#include <QWidget>

#include <functional>

class QPushButton;
class QTableWidget;

namespace dcr::ui {

class MessageWidget;

// The clients the selected profile registered, as its history tells (client_id, status with the
// date and kind of the bank's newest answer, "not checked since …" when that is old, auth
// method, configuration URL, when registered and last checked), with the lifecycle commands:
// read, update from the form, delete (after confirmation) and get a client_credentials token.
// It shows and asks; the controller does the work.
class ClientsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ClientsPanel(QWidget* parent = nullptr);
    // lost: registrations whose answer was lost (LostRegistrations.h), listed after the clients as
    // "answer lost" with what can be done; they name no client, so no command applies to them.
    void setClients(const QList<RegisteredClient>& clients,
                    const QList<LostRegistration>& lost = {});
    // While the history is read (on the reader thread): the rows shown stay, the status says so.
    void setLoading();
    bool isLoading() const { return m_loading; }
    void showError(const QString& message);
    MessageWidget* status() const { return m_status; }
    QTableWidget* table() const { return m_table; }
    QString selectedClientId() const;
    void selectClient(const QString& clientId);
    // Asked before a delete; default is a question box.
    void setDeleteConfirmation(std::function<bool(const QString& clientId)> confirm) {
        m_confirmDelete = std::move(confirm);
    }

signals:
    void operationRequested(dcr::RegistrationOperation operation, const QString& clientId);
    void tokenRequested(const QString& clientId);
    void refreshRequested();

private:
    void updateButtons();
    void addClientRow(const RegisteredClient& client, const QDateTime& now);
    void addLostRow(const LostRegistration& lost);
    bool isLostRow(int row) const;

    QTableWidget* m_table;
    MessageWidget* m_status; // typed: loading and counts are Info, a failed read an Error
    bool m_loading = false;
    QPushButton* m_get;
    QPushButton* m_update;
    QPushButton* m_delete;
    QPushButton* m_token;
    std::function<bool(const QString&)> m_confirmDelete;
};

} // namespace dcr::ui
