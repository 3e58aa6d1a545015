#pragma once

#include "AppPaths.h"
#include "SharedHistoryLink.h"
#include "common/Notice.h"
#include "history/HistoryStore.h"

#include <QObject>

#include <memory>
#include <optional>

namespace dcr {

class HistoryReader;

// The history as a session holds it: the store it writes to and the reader thread the views query,
// both opened once; for a shared history, the link to its server and the outbox of submissions not
// yet shared; the rows found interrupted, and dcrctl's old history, imported once it can be.
class SessionHistory : public QObject {
    Q_OBJECT
public:
    explicit SessionHistory(QObject* parent = nullptr);
    ~SessionHistory() override;

    // Opens paths.historyDb (a file or postgresql:// URL). Without a history the session refuses
    // to send; notices say why. connectInBackground: a shared history's first connection is made
    // by the reader thread (see Session::setConnectHistoryInBackground); shareRetryMs: how often
    // its server is probed while away, and the outbox retried.
    void open(const AppPaths& paths, bool connectInBackground, int shareRetryMs, Notices& notices,
              const WriterIdentity& writer = {});

    // Null when the history could not be opened (or before open()).
    HistoryStore* store() const { return m_store.get(); }
    HistoryReader* reader() const { return m_reader; }
    // As the session last learnt it; always Connected on SQLite.
    HistoryStore::Connection connection() const;
    QString connectionProblem() const;
    int loginRetryMs() const { return m_link ? m_link->loginRetryMs() : 0; }

    qint64 unsharedCount() const { return m_store ? m_store->unsharedCount() : 0; }
    // Tries to upload the outbox now; returns what is still not shared.
    qint64 shareOutbox();
    // A submission finished: the outbox may hold one more (or one less).
    void noteUnsharedChange();

signals:
    void changed();
    void unsharedChanged(qint64 count);
    void connectionChanged();
    void notice(const dcr::Notice& notice);

private:
    void watch(Notices& notices);
    void onServerAnswered(bool reconnected);
    void importLegacyHistory(Notices& notices);
    std::optional<Notice> newlyInterrupted();

    QString m_historyDb; // as given (a URL may hold a password)
    QString m_location;  // as it may be shown
    QString m_legacyCliHistoryDb;
    int m_shareRetryMs = SharedHistoryLink::ShareRetryMs;
    std::unique_ptr<HistoryStore> m_store;
    HistoryReader* m_reader = nullptr;
    SharedHistoryLink* m_link = nullptr; // a shared history only
    qint64 m_unshared = 0;
    // The rows swept "interrupted" so far that the user was told of (at open, and on the first
    // connection of a shared history opened without connecting).
    int m_interruptedReported = 0;
    bool m_importAfterConnect = false; // the old dcrctl history waits for the first connection
};

} // namespace dcr
