#include "SessionHistory.h"

#include "LegacyImport.h"

#include "history/HistoryReader.h"

namespace dcr {

SessionHistory::SessionHistory(QObject* parent)
    : QObject(parent) {}

SessionHistory::~SessionHistory() = default;

void SessionHistory::open(const AppPaths& paths, bool connectInBackground, int shareRetryMs,
                          Notices& notices, const WriterIdentity& writer) {
    m_historyDb = paths.historyDb;
    m_location = HistoryLocation::redacted(paths.historyDb);
    m_legacyCliHistoryDb = paths.legacyCliHistoryDb;
    m_shareRetryMs = shareRetryMs;
    HistoryOptions options;
    options.localPath = paths.localHistoryDb;
    options.writer = writer; // empty: this process
    // Once a shared server is away, only the reader thread tries it again (see watch()).
    options.reconnectInline = false;
    options.connectAtOpen = !connectInBackground;
    auto store = HistoryStore::open(paths.historyDb, options);
    if (!store) {
        notices << Notice{Notice::Level::Error,
                          tr("The history at %1 is unavailable, so sending is disabled: %2")
                              .arg(m_location, store.error().message)};
        return;
    }
    m_store = std::move(store.value());
    m_reader = new HistoryReader(paths.historyDb, options, this);
    if (!m_store->recoveryNotice().isEmpty())
        notices << Notice{Notice::Level::Error, m_store->recoveryNotice()};
    if (auto n = newlyInterrupted())
        notices << *n;
    // Not connected yet: the import waits for the connection rather than failing now.
    m_importAfterConnect = m_store->connection() == HistoryStore::Connection::NotYetConnected;
    if (!m_importAfterConnect)
        importLegacyHistory(notices);
    if (m_store->isShared())
        watch(notices);
}

// The link probes the server from the reader thread and reconnects the store; the outbox is
// shared whenever the server answers (and every retry interval while it is reachable).
void SessionHistory::watch(Notices& notices) {
    shareOutbox();
    m_link =
        new SharedHistoryLink(SharedHistoryLink::of(*m_store, *m_reader), m_store->connection(),
                              m_store->connectionProblem(), m_location, this);
    connect(m_reader, &HistoryReader::answered, m_link, &SharedHistoryLink::onProbeAnswered);
    connect(m_link, &SharedHistoryLink::outboxRetryDue, this, [this] {
        if (m_unshared > 0)
            shareOutbox();
    });
    connect(m_link, &SharedHistoryLink::serverAnswered, this, &SessionHistory::onServerAnswered);
    connect(m_link, &SharedHistoryLink::connectedAfterProbe, this, &SessionHistory::changed);
    connect(m_link, &SharedHistoryLink::connectionChanged, this,
            &SessionHistory::connectionChanged);
    connect(m_link, &SharedHistoryLink::notice, this, &SessionHistory::notice);
    m_link->start(m_shareRetryMs);
    if (m_unshared > 0)
        notices << Notice{Notice::Level::Warning,
                          m_link->connection() == HistoryStore::Connection::LoginRefused
                              ? tr("%n submission(s) not yet shared: they are kept on this "
                                   "machine until the login to the shared history at %1 works.",
                                   nullptr, static_cast<int>(m_unshared))
                                    .arg(m_location)
                              : tr("%n submission(s) not yet shared: they are kept on this "
                                   "machine until the shared history at %1 is reachable.",
                                   nullptr, static_cast<int>(m_unshared))
                                    .arg(m_location)};
}

void SessionHistory::onServerAnswered(bool reconnected) {
    // The first successful connection swept this user's stale rows on the server (after any
    // number of failed probes).
    if (reconnected)
        if (auto n = newlyInterrupted())
            emit notice(*n);
    if (m_importAfterConnect) {
        m_importAfterConnect = false;
        Notices imported;
        importLegacyHistory(imported);
        for (const Notice& n : imported)
            emit notice(n);
    }
    // Uploaded before the views hear of the connection, so that they read the whole history.
    shareOutbox();
}

HistoryStore::Connection SessionHistory::connection() const {
    if (m_link)
        return m_link->connection();
    return m_store ? m_store->connection() : HistoryStore::Connection::Connected;
}

QString SessionHistory::connectionProblem() const {
    if (m_link)
        return m_link->problem();
    return m_store ? m_store->connectionProblem() : QString();
}

std::optional<Notice> SessionHistory::newlyInterrupted() {
    const int total = m_store ? m_store->interruptedOnOpen() : 0;
    const int fresh = total - m_interruptedReported;
    m_interruptedReported = total;
    if (fresh <= 0)
        return std::nullopt;
    return Notice{Notice::Level::Warning,
                  tr("%n submission(s) were still being sent when DCR Console last stopped; they "
                     "are kept as \"interrupted\".",
                     nullptr, fresh)};
}

void SessionHistory::importLegacyHistory(Notices& notices) {
    if (LegacyImport::history(m_legacyCliHistoryDb, m_historyDb, *m_store, notices))
        emit changed();
}

qint64 SessionHistory::shareOutbox() {
    if (!m_store)
        return 0;
    auto shared = m_store->shareOutbox();
    if (shared && *shared > 0)
        emit changed();
    noteUnsharedChange();
    return m_unshared;
}

void SessionHistory::noteUnsharedChange() {
    const qint64 now = unsharedCount();
    if (now == m_unshared)
        return;
    m_unshared = now;
    emit unsharedChanged(now);
}

} // namespace dcr
