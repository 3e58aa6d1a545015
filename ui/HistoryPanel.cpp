#include "HistoryPanel.h"

#include "JsonHighlighter.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

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
    m_unshared->setStyleSheet(QStringLiteral("color: #b9770e"));
    m_unshared->hide();
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_outcome);
    filters->addWidget(m_writer);
    filters->addWidget(m_count);
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
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        if (auto r = currentRecord())
            emit openInForm(*r);
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
    button(tr("Open in form"), QStringLiteral("historyOpen"), [this] {
        if (auto r = currentRecord())
            emit openInForm(*r);
    });
    button(tr("Send again"), QStringLiteral("historySendAgain"), [this] {
        if (auto r = currentRecord())
            emit sendAgain(*r);
    });
    button(tr("Export JSON…"), QStringLiteral("historyExportJson"), [this] { exportJson(); });
    button(tr("Copy as curl"), QStringLiteral("historyCopyCurl"), [this] { copyCurl(); });
    button(tr("Forget secrets"), QStringLiteral("historyForget"), [this] { forgetSecrets(); });
    button(tr("Delete"), QStringLiteral("historyDelete"), [this] { deleteSelected(); });
    actions->addStretch();
    m_reveal = new QCheckBox(tr("Reveal secrets"), detailBox);
    connect(m_reveal, &QCheckBox::toggled, this, &HistoryPanel::showDetail);
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
}

void HistoryPanel::setSession(Session* session) {
    m_session = session;
    m_model->setSession(session);
    auto showUnshared = [this](qint64 count) {
        m_unshared->setText(
            tr("%n submission(s) not yet shared", nullptr, static_cast<int>(count)));
        m_unshared->setToolTip(tr("The shared history is unreachable; these are kept on this "
                                  "machine and uploaded when it returns."));
        m_unshared->setVisible(count > 0);
    };
    connect(session, &Session::unsharedChanged, this, showUnshared);
    if (HistoryReader* reader = session->historyReader())
        connect(reader, &HistoryReader::answered, this, &HistoryPanel::onExportAnswer);
    showUnshared(session->unsharedCount());
    reload();
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

std::optional<SubmissionRecord> HistoryPanel::currentRecord() const {
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid() || !m_session)
        return std::nullopt;
    auto r = m_session->historyRecord(m_model->record(index.row()).id);
    if (!r)
        return std::nullopt;
    return *r;
}

QList<qint64> HistoryPanel::selectedIds() const {
    QList<qint64> ids;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        ids << m_model->record(i.row()).id;
    if (ids.isEmpty() && m_view->currentIndex().isValid())
        ids << m_model->record(m_view->currentIndex().row()).id;
    return ids;
}

void HistoryPanel::showDetail() {
    auto r = currentRecord();
    if (!r) {
        m_detail->clear();
        return;
    }
    m_detail->setPlainText(QString::fromUtf8(
        QJsonDocument(r->toJson(m_reveal->isChecked())).toJson(QJsonDocument::Indented)));
    m_note->setText(r->note);
    m_tags->setText(r->tags.join(QStringLiteral(", ")));
}

// The export runs on the history reader's thread; the file is written when it answers.
void HistoryPanel::exportJson() {
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty() || !m_session || !m_session->historyReader())
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %n submission(s)", nullptr, static_cast<int>(ids.size())),
        QStringLiteral("dcr-history.json"), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    m_exportPath = path;
    m_exportCount = static_cast<int>(ids.size());
    m_exportTicket =
        m_session->historyReader()->requestExportJson(QStringLiteral("export"), ids, false);
    emit message(tr("Exporting %n submission(s)…", nullptr, m_exportCount), false);
}

void HistoryPanel::onExportAnswer(const HistoryAnswer& answer) {
    if (answer.ticket != m_exportTicket)
        return;
    m_exportTicket = 0;
    if (answer.error || !answer.exported) {
        emit message(answer.error ? answer.error->message : tr("the export failed"), true);
        return;
    }
    QSaveFile file(m_exportPath);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(*answer.exported) != answer.exported->size() || !file.commit()) {
        emit message(tr("Could not write %1: %2").arg(m_exportPath, file.errorString()), true);
        return;
    }
    emit message(tr("Exported %n submission(s) to %1 (secrets masked).", nullptr, m_exportCount)
                     .arg(m_exportPath),
                 false);
}

void HistoryPanel::copyCurl() {
    auto curl = m_session ? m_session->exportHistoryCurl(selectedIds())
                          : Result<QString>(ErrorKind::StorageUnavailable, tr("no history"));
    if (!curl) {
        emit message(curl.error().message, true);
        return;
    }
    QApplication::clipboard()->setText(*curl);
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
    auto r = currentRecord();
    if (!r)
        return;
    QStringList tags;
    for (const QString& t : m_tags->text().split(u',', Qt::SkipEmptyParts))
        tags << t.trimmed();
    if (auto ok = m_session->setHistoryNote(r->id, m_note->text(), tags); !ok)
        emit message(ok.error().message, true);
    else
        emit message(tr("Note saved for #%1.").arg(r->id), false);
}

} // namespace dcr::ui
