#include "ClientsPanel.h"

#include "MessageWidget.h"
#include "Tone.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dcr::ui {

namespace {

enum Column { ClientId, Status, AuthMethod, ConfigurationUrl, Registered, LastChecked, Count };

QString when(const QDateTime& t) {
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       : QString();
}

} // namespace

ClientsPanel::ClientsPanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("clientsPanel"));
    m_table = new QTableWidget(0, Count, this);
    m_table->setObjectName(QStringLiteral("clientsTable"));
    m_table->setHorizontalHeaderLabels({tr("client_id"), tr("Status"), tr("Auth method"),
                                        tr("Configuration URL"), tr("Registered"),
                                        tr("Last checked")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(ConfigurationUrl, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_status = new MessageWidget(this);
    m_status->setObjectName(QStringLiteral("clientsStatus"));

    auto button = [this](const QString& text, const char* name, const QString& tip) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(QString::fromLatin1(name));
        b->setToolTip(tip);
        return b;
    };
    auto* refresh =
        button(tr("Refresh"), "clientsRefresh", tr("Read the clients from the history"));
    m_get = button(tr("Get"), "clientGet", tr("Read the client's configuration from the ASPSP"));
    m_update = button(tr("Update from form"), "clientUpdate",
                      tr("Send the form's claims as the client's new configuration (PUT)"));
    m_delete = button(tr("Delete…"), "clientDelete", tr("Delete the client at the ASPSP"));
    m_token = button(tr("Get token"), "clientToken",
                     tr("Ask the token endpoint for a client_credentials access token"));
    connect(refresh, &QPushButton::clicked, this, &ClientsPanel::refreshRequested);
    connect(m_get, &QPushButton::clicked, this,
            [this] { emit operationRequested(RegistrationOperation::Read, selectedClientId()); });
    connect(m_update, &QPushButton::clicked, this,
            [this] { emit operationRequested(RegistrationOperation::Update, selectedClientId()); });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QString id = selectedClientId();
        if (m_confirmDelete(id))
            emit operationRequested(RegistrationOperation::Delete, id);
    });
    connect(m_token, &QPushButton::clicked, this,
            [this] { emit tokenRequested(selectedClientId()); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ClientsPanel::updateButtons);
    m_confirmDelete = [this](const QString& id) {
        return QMessageBox::question(
                   this, tr("Delete client?"),
                   tr("Delete client %1 at the ASPSP? It cannot be undone; the client's "
                      "credentials stop working.")
                       .arg(id),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    };

    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {refresh, m_get, m_update, m_delete, m_token})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    updateButtons();
}

void ClientsPanel::setLoading() {
    m_loading = true;
    m_status->showMessage(
        {Notice::Level::Info, tr("Reading the registered clients from the history…")});
}

void ClientsPanel::setClients(const QList<RegisteredClient>& clients) {
    m_loading = false;
    const QString selected = selectedClientId();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_table->setRowCount(0);
    for (const RegisteredClient& c : clients) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const QStringList cells{c.clientId,
                                describeClientStatus(c.evidence, now),
                                c.authMethod,
                                c.registrationClientUri.isEmpty()
                                    ? tr("(endpoint/client_id)")
                                    : c.registrationClientUri.toString(),
                                when(c.registered),
                                when(c.lastChecked)};
        for (int col = 0; col < Count; ++col)
            m_table->setItem(row, col, new QTableWidgetItem(cells.at(col)));
        if (c.evidence.historyId != 0)
            m_table->item(row, Status)
                ->setToolTip(tr("The bank's newest answer about this client: history #%1")
                                 .arg(c.evidence.historyId));
        if (c.status == RegisteredClient::Status::Deleted ||
            c.status == RegisteredClient::Status::Refused || isStale(c.evidence, now))
            for (int col = 0; col < Count; ++col)
                m_table->item(row, col)->setForeground(toneColour(Tone::Muted, m_table->palette()));
    }
    m_status->showMessage(
        {Notice::Level::Info, tr("%n registered client(s) in this profile's history.", nullptr,
                                 static_cast<int>(clients.size()))});
    selectClient(selected);
    if (selectedClientId().isEmpty() && m_table->rowCount() > 0)
        m_table->selectRow(m_table->rowCount() - 1); // the newest registration
    for (int col : {ClientId, Status, AuthMethod, Registered, LastChecked})
        m_table->resizeColumnToContents(col);
    updateButtons();
}

void ClientsPanel::showError(const QString& message) {
    m_loading = false;
    m_status->showMessage({Notice::Level::Error, message});
}

QString ClientsPanel::selectedClientId() const {
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return m_table->item(rows.first().row(), ClientId)->text();
}

void ClientsPanel::selectClient(const QString& clientId) {
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, ClientId)->text() == clientId)
            m_table->selectRow(row);
}

void ClientsPanel::updateButtons() {
    const bool any = !selectedClientId().isEmpty();
    for (QPushButton* b : {m_get, m_update, m_delete, m_token})
        b->setEnabled(any);
}

} // namespace dcr::ui
