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

// A row of a registration whose answer was lost holds its history id here (0: a client's row).
constexpr int LostHistoryIdRole = Qt::UserRole + 1;

// The table's columns; a struct scope, since a unity build shares this file's names with the
// rest of dcr_ui (an unscoped `Status` here would hide dcr::Status there).
struct Column {
    enum : int { ClientId, Status, AuthMethod, ConfigurationUrl, Registered, LastChecked, Count };
};

QString when(const QDateTime& t) {
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       : QString();
}

} // namespace

ClientsPanel::ClientsPanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("clientsPanel"));
    m_table = new QTableWidget(0, Column::Count, this);
    m_table->setObjectName(QStringLiteral("clientsTable"));
    m_table->setHorizontalHeaderLabels({tr("client_id"), tr("Status"), tr("Auth method"),
                                        tr("Configuration URL"), tr("Registered"),
                                        tr("Last checked")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(Column::ConfigurationUrl,
                                                      QHeaderView::Stretch);
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

void ClientsPanel::addClientRow(const RegisteredClient& c, const QDateTime& now) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const QStringList cells{c.clientId,
                            describeClientStatus(c.evidence, now),
                            c.authMethod,
                            c.registrationClientUri.isEmpty() ? tr("(endpoint/client_id)")
                                                              : c.registrationClientUri.toString(),
                            when(c.registered),
                            when(c.lastChecked)};
    for (int col = 0; col < Column::Count; ++col)
        m_table->setItem(row, col, new QTableWidgetItem(cells.at(col)));
    if (c.evidence.historyId != 0)
        m_table->item(row, Column::Status)
            ->setToolTip(tr("The bank's newest answer about this client: history #%1")
                             .arg(c.evidence.historyId));
    if (c.status == RegisteredClient::Status::Deleted ||
        c.status == RegisteredClient::Status::Refused || isStale(c.evidence, now))
        for (int col = 0; col < Column::Count; ++col)
            m_table->item(row, col)->setForeground(toneColour(Tone::Muted, m_table->palette()));
}

void ClientsPanel::addLostRow(const LostRegistration& lost) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const QStringList cells{tr("(answer lost)"), describeLostRegistration(lost),
                            QString(),           lost.url,
                            when(lost.at),       QString()};
    for (int col = 0; col < Column::Count; ++col) {
        auto* item = new QTableWidgetItem(cells.at(col));
        item->setData(LostHistoryIdRole, lost.historyId);
        item->setToolTip(lostRegistrationAdvice(lost));
        item->setForeground(toneColour(Tone::Warning, m_table->palette()));
        m_table->setItem(row, col, item);
    }
}

void ClientsPanel::setClients(const QList<RegisteredClient>& clients,
                              const QList<LostRegistration>& lost) {
    m_loading = false;
    const QString selected = selectedClientId();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_table->setRowCount(0);
    for (const RegisteredClient& c : clients)
        addClientRow(c, now);
    for (const LostRegistration& l : lost)
        addLostRow(l);
    const QString count = tr("%n registered client(s) in this profile's history.", nullptr,
                             static_cast<int>(clients.size()));
    if (lost.isEmpty())
        m_status->showMessage({Notice::Level::Info, count});
    else // the newest lost attempt and what can be done about it
        m_status->showMessage(
            {Notice::Level::Warning,
             tr("%1 %n registration(s) got no answer; the bank may hold a client for them. %2",
                nullptr, static_cast<int>(lost.size()))
                 .arg(count, lostRegistrationAdvice(lost.last()))});
    selectClient(selected);
    if (selectedClientId().isEmpty() && !clients.isEmpty())
        m_table->selectRow(static_cast<int>(clients.size()) - 1); // the newest registration
    for (int col : {Column::ClientId, Column::Status, Column::AuthMethod, Column::Registered,
                    Column::LastChecked})
        m_table->resizeColumnToContents(col);
    updateButtons();
}

void ClientsPanel::showError(const QString& message) {
    m_loading = false;
    m_status->showMessage({Notice::Level::Error, message});
}

QString ClientsPanel::selectedClientId() const {
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || isLostRow(rows.first().row()))
        return {};
    return m_table->item(rows.first().row(), Column::ClientId)->text();
}

void ClientsPanel::selectClient(const QString& clientId) {
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (!isLostRow(row) && m_table->item(row, Column::ClientId)->text() == clientId)
            m_table->selectRow(row);
}

bool ClientsPanel::isLostRow(int row) const {
    return m_table->item(row, Column::ClientId)->data(LostHistoryIdRole).toLongLong() != 0;
}

void ClientsPanel::updateButtons() {
    const bool any = !selectedClientId().isEmpty();
    for (QPushButton* b : {m_get, m_update, m_delete, m_token})
        b->setEnabled(any);
}

} // namespace dcr::ui
