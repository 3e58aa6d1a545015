#include "HistoryPanel.h"

#include "JsonHighlighter.h"
#include "Tone.h"
#include "common/AtomicFile.h"
#include "common/SuggestedFileName.h"
#include "history/HistoryReader.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

namespace dcr::ui {

HistoryPanel::HistoryPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new HistoryTableModel(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* filters = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("historyFilter"));
    m_filter->setPlaceholderText(
        tr("Filter: software_id, client, URL, status, error text, note, tags (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_outcome = new QComboBox(this);
    m_outcome->setObjectName(QStringLiteral("historyOutcome"));
    m_outcome->addItem(tr("All outcomes"), QString());
    for (const char* o : {"accepted", "registered", "retrieved", "updated", "deleted", "error",
                          "unexpected", "transport", "interrupted", "sending"})
        m_outcome->addItem(QString::fromLatin1(o), QString::fromLatin1(o));
    // A shared history holds the whole team's submissions: who sent them is a filter.
    m_writer = new QLineEdit(this);
    m_writer->setObjectName(QStringLiteral("historyWriter"));
    m_writer->setPlaceholderText(tr("Sent by (login or login@host)"));
    m_writer->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("historyCount"));
    m_unshared = new QLabel(this);
    m_unshared->setObjectName(QStringLiteral("historyUnshared"));
    setTextTone(m_unshared, Tone::Caution);
    m_unshared->hide();
    m_connection = new QLabel(this);
    m_connection->setObjectName(QStringLiteral("historyConnection"));
    setTextTone(m_connection, Tone::Caution);
    m_connection->hide();
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_outcome);
    filters->addWidget(m_writer);
    filters->addWidget(m_count);
    filters->addWidget(m_connection);
    filters->addWidget(m_unshared);
    auto* debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(m_writer, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, &HistoryPanel::applyFilter);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &HistoryPanel::applyFilter);
    connect(m_model, &HistoryTableModel::pageLoaded, this, &HistoryPanel::onPageLoaded);
    connect(m_model, &HistoryTableModel::countChanged, this, &HistoryPanel::updateCount);
    connect(m_model, &HistoryTableModel::loadingChanged, this, &HistoryPanel::updateCount);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("historyTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HistoryPanel::showDetail);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryPanel::updateRecordActions);
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        if (m_shown)
            emit openInForm(*m_shown);
        else
            m_openWhenLoaded = true;
    });
    connect(m_model, &HistoryTableModel::loadFailed, this,
            [this](const QString& m) { emit message(tr("History: %1").arg(m), true); });

    auto* detailBox = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detailBox);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    auto* actions = new QHBoxLayout;
    auto button = [&](const QString& text, const QString& name, auto slot) {
        auto* b = new QPushButton(text, detailBox);
        b->setObjectName(name);
        connect(b, &QPushButton::clicked, this, slot);
        actions->addWidget(b);
        return b;
    };
    m_recordActions << button(tr("Open in form"), QStringLiteral("historyOpen"), [this] {
        if (m_shown)
            emit openInForm(*m_shown);
    });
    m_recordActions << button(tr("Send again"), QStringLiteral("historySendAgain"), [this] {
        if (m_shown)
            emit sendAgain(*m_shown);
    });
    m_selectionActions << button(tr("Export JSON…"), QStringLiteral("historyExportJson"), [this] {
        exportJson();
    }) << button(tr("Copy as curl"), QStringLiteral("historyCopyCurl"), [this] {
        copyCurl();
    }) << button(tr("Forget secrets"), QStringLiteral("historyForget"), [this] {
        forgetSecrets();
    }) << button(tr("Delete"), QStringLiteral("historyDelete"), [this] { deleteSelected(); });
    actions->addStretch();
    m_reveal = new QCheckBox(tr("Reveal secrets"), detailBox);
    connect(m_reveal, &QCheckBox::toggled, this, &HistoryPanel::renderDetail);
    actions->addWidget(m_reveal);
    auto* noteRow = new QHBoxLayout;
    m_note = new QLineEdit(detailBox);
    m_note->setObjectName(QStringLiteral("historyNote"));
    m_note->setPlaceholderText(tr("Note"));
    m_tags = new QLineEdit(detailBox);
    m_tags->setObjectName(QStringLiteral("historyTags"));
    m_tags->setPlaceholderText(tr("tags, comma-separated"));
    auto* save = new QPushButton(tr("Save note"), detailBox);
    save->setObjectName(QStringLiteral("historySaveNote"));
    connect(save, &QPushButton::clicked, this, &HistoryPanel::saveNote);
    connect(m_note, &QLineEdit::returnPressed, this, &HistoryPanel::saveNote);
    m_recordActions << save;
    noteRow->addWidget(m_note, 2);
    noteRow->addWidget(m_tags, 1);
    noteRow->addWidget(save);
    m_detail = new QPlainTextEdit(detailBox);
    m_detail->setObjectName(QStringLiteral("historyDetail"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new JsonHighlighter(m_detail->document());
    detailLayout->addLayout(actions);
    detailLayout->addLayout(noteRow);
    detailLayout->addWidget(m_detail);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(detailBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);
    updateRecordActions();
}

void HistoryPanel::setSession(Session* session) {
    m_session = session;
    m_model->setSession(session);
    auto showUnshared = [this](qint64 count) {
        m_unshared->setText(
            tr("%n submission(s) not yet shared", nullptr, static_cast<int>(count)));
        m_unshared->setToolTip(tr("Kept on this machine while the shared history is not "
                                  "connected, and uploaded once it is."));
        m_unshared->setVisible(count > 0);
    };
    connect(session, &Session::unsharedChanged, this, showUnshared);
    connect(session, &Session::historyConnectionChanged, this, [this] {
        showConnection();
        if (m_session->historyConnection() == HistoryStore::Connection::Connected)
            reload(); // the shared rows were not readable until now
    });
    if (HistoryReader* reader = session->historyReader())
        connect(reader, &HistoryReader::answered, this, &HistoryPanel::onAnswer);
    showUnshared(session->unsharedCount());
    showConnection();
    reload();
}

void HistoryPanel::showConnection() {
    QString text;
    switch (m_session->historyConnection()) {
    case HistoryStore::Connection::Connected:
        break;
    case HistoryStore::Connection::NotYetConnected:
        text = tr("Connecting to the shared history…");
        break;
    case HistoryStore::Connection::Unreachable:
        text = tr("Shared history unreachable");
        break;
    case HistoryStore::Connection::LoginRefused:
        text = tr("Login to the shared history refused");
        break;
    }
    m_connection->setText(text);
    m_connection->setToolTip(m_session->historyConnectionProblem());
    m_connection->setVisible(!text.isEmpty());
}

void HistoryPanel::onAnswer(const HistoryAnswer& answer) {
    if (answer.ticket == 0)
        return;
    if (answer.ticket == m_detailTicket)
        onRecordAnswer(answer);
    else if (answer.ticket == m_curlTicket)
        onCurlAnswer(answer);
    else if (answer.ticket == m_exportTicket)
        onExportAnswer(answer);
}

void HistoryPanel::reload(bool selectNewest) {
    m_reselectId = !selectNewest && m_view->currentIndex().isValid()
                       ? m_model->record(m_view->currentIndex().row()).id
                       : 0;
    m_model->reload();
}

// The model's first page arrived (queries run off the GUI thread): select what was selected.
void HistoryPanel::onPageLoaded() {
    updateCount();
    int row = 0;
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (m_model->record(i).id == m_reselectId)
            row = i;
    if (m_model->rowCount() > 0)
        selectRow(row);
    else
        showDetail(); // nothing matches: no entry's detail, note or actions are left from before
    m_view->resizeColumnsToContents();
    m_view->horizontalHeader()->setStretchLastSection(true);
}

void HistoryPanel::showMatching(const QString& text, qint64 selectId) {
    {
        const QSignalBlocker block(m_filter); // no debounced second query
        m_filter->setText(text);
    }
    applyFilter();
    m_reselectId = selectId;
}

void HistoryPanel::applyFilter() {
    HistoryQuery q;
    q.text = m_filter->text();
    q.outcome = m_outcome->currentData().toString();
    q.writer = m_writer->text().trimmed();
    m_reselectId = 0;
    m_model->setQuery(q);
}

void HistoryPanel::updateCount() {
    m_count->setText(m_model->isLoading() ? tr("Loading…")
                                          : tr("%n submission(s)", nullptr,
                                               static_cast<int>(m_model->totalCount())));
}

void HistoryPanel::selectRow(int row) {
    m_view->selectRow(row);
    m_view->setCurrentIndex(m_model->index(row, 0));
}

QList<qint64> HistoryPanel::selectedIds() const {
    QList<qint64> ids;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        if (i.row() < m_model->rowCount())
            ids << m_model->record(i.row()).id;
    if (ids.isEmpty() && m_view->currentIndex().isValid() &&
        m_view->currentIndex().row() < m_model->rowCount())
        ids << m_model->record(m_view->currentIndex().row()).id;
    return ids;
}

// The entry is read on the history reader's thread; a newer selection supersedes the request.
void HistoryPanel::showDetail() {
    m_shown.reset();
    m_openWhenLoaded = false;
    updateRecordActions();
    // Not the previous entry's note and tags beside the next entry while it loads.
    m_note->clear();
    m_tags->clear();
    const QModelIndex index = m_view->currentIndex();
    HistoryReader* reader = m_session ? m_session->historyReader() : nullptr;
    if (!index.isValid() || !reader) {
        m_detailTicket = 0;
        m_detail->clear();
        return;
    }
    const qint64 id = m_model->record(index.row()).id;
    m_detail->setPlainText(tr("Loading history entry #%1…").arg(id));
    m_detailTicket = reader->requestRecord(HistoryLane::Record, id);
}

void HistoryPanel::onRecordAnswer(const HistoryAnswer& answer) {
    m_detailTicket = 0;
    if (!answer.record()) {
        const QString why = answer.error() ? answer.error()->message : tr("no answer");
        m_detail->setPlainText(tr("This history entry could not be read: %1").arg(why));
        emit message(tr("History: the entry could not be read: %1").arg(why), true);
        return;
    }
    m_shown = *answer.record();
    renderDetail();
    m_note->setText(m_shown->note);
    m_tags->setText(m_shown->tags.join(QStringLiteral(", ")));
    updateRecordActions();
    if (std::exchange(m_openWhenLoaded, false))
        emit openInForm(*m_shown);
}

void HistoryPanel::renderDetail() {
    if (!m_shown)
        return;
    // #21.15: a row sent without checking the ASPSP's certificate says so before anything else.
    const QString insecure = m_shown->tlsVerificationOff
                                 ? tr("// TLS VERIFICATION OFF: the ASPSP's certificate was not "
                                      "verified for this request (INSECURE)\n")
                                 : QString();
    m_detail->setPlainText(
        insecure +
        QString::fromUtf8(
            QJsonDocument(m_shown->toJson(m_reveal->isChecked())).toJson(QJsonDocument::Indented)));
}

void HistoryPanel::updateRecordActions() {
    for (QPushButton* b : m_recordActions)
        b->setEnabled(m_shown.has_value());
    const bool selected = !selectedIds().isEmpty();
    for (QPushButton* b : m_selectionActions)
        b->setEnabled(selected);
}

// The export runs on the history reader's thread; the file is written when it answers.
void HistoryPanel::exportJson() {
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty() || !m_session || !m_session->historyReader())
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %n submission(s)", nullptr, static_cast<int>(ids.size())),
        proposedExportName(ids), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    m_exportPath = path;
    m_exportCount = static_cast<int>(ids.size());
    m_exportTicket = m_session->historyReader()->requestExportJson(HistoryLane::Export, ids, false);
    emit message(tr("Exporting %n submission(s)…", nullptr, m_exportCount), false);
}

QString HistoryPanel::proposedExportName(const QList<qint64>& ids) const {
    // One entry is named by its number, several by how many.
    const QString what = ids.size() == 1 ? QStringLiteral("entry-%1").arg(ids.first())
                                         : QStringLiteral("%1-entries").arg(ids.size());
    return suggestedFileName(
        {QStringLiteral("dcr-history"), what, fileNameDate(QDateTime::currentDateTimeUtc().date())},
        QStringLiteral("json"));
}

void HistoryPanel::onExportAnswer(const HistoryAnswer& answer) {
    m_exportTicket = 0;
    if (!answer.exported()) {
        emit message(answer.error() ? answer.error()->message : tr("the export failed"), true);
        return;
    }
    // 0600 whatever the umask: an export holds requests and answers.
    if (auto written = writeFileAtomically(m_exportPath, *answer.exported()); !written) {
        emit message(tr("Could not write the export: %1").arg(written.error().message), true);
        return;
    }
    emit message(tr("Exported %n submission(s) to %1 (secrets masked).", nullptr, m_exportCount)
                     .arg(m_exportPath),
                 false);
}

// The curl commands are made on the history reader's thread; the clipboard gets them then.
void HistoryPanel::copyCurl() {
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty() || !m_session || !m_session->historyReader())
        return;
    m_curlTicket = m_session->historyReader()->requestExportCurl(HistoryLane::Curl, ids);
    emit message(tr("Preparing the curl command(s) for %n submission(s)…", nullptr,
                    static_cast<int>(ids.size())),
                 false);
}

void HistoryPanel::onCurlAnswer(const HistoryAnswer& answer) {
    m_curlTicket = 0;
    if (!answer.curl()) {
        emit message(answer.error() ? answer.error()->message : tr("the curl export failed"), true);
        return;
    }
    QApplication::clipboard()->setText(*answer.curl());
    emit message(tr("curl command copied; set DCR_TRANSPORT_CERT, DCR_TRANSPORT_KEY and "
                    "DCR_CA_BUNDLE before running it."),
                 false);
}

void HistoryPanel::deleteSelected() {
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty() || !m_session)
        return;
    if (QMessageBox::question(this, tr("Delete"),
                              tr("Delete %n submission(s) from the history? This cannot be undone.",
                                 nullptr, static_cast<int>(ids.size()))) != QMessageBox::Yes)
        return;
    if (auto ok = m_session->removeHistory(ids); !ok)
        emit message(ok.error().message, true);
    reload();
}

void HistoryPanel::forgetSecrets() {
    if (auto ok = m_session ? m_session->forgetHistorySecrets(selectedIds()) : Status(); !ok)
        emit message(ok.error().message, true);
    else
        emit message(tr("Secrets blanked in the selected submissions."), false);
    showDetail();
}

void HistoryPanel::saveNote() {
    if (!m_shown)
        return;
    QStringList tags;
    for (const QString& t : m_tags->text().split(u',', Qt::SkipEmptyParts))
        tags << t.trimmed();
    if (auto ok = m_session->setHistoryNote(m_shown->id, m_note->text(), tags); !ok) {
        emit message(ok.error().message, true);
        return;
    }
    m_shown->note = m_note->text();
    m_shown->tags = tags;
    emit message(tr("Note saved for #%1.").arg(m_shown->id), false);
}

} // namespace dcr::ui
