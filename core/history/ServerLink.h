#pragma once

#include "HistoryConnection.h"
#include "HistoryLocation.h"
#include "HistoryOptions.h"
#include "common/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace dcr {

class SqlHistory;

// Whether a shared history's server can be used now, and getting it back when it went away:
// connecting (and, once connected, migrating the schema and marking this user's stale rows
// interrupted), noticing a lost connection, and not trying an away server again before
// HistoryOptions::offlineRetryMs has passed on the options' clock (nor at all by itself without
// reconnectInline: the owner probes from another thread).
class ServerLink {
    Q_DECLARE_TR_FUNCTIONS(ServerLink)
public:
    ServerLink(SqlHistory& server, HistoryLocation location, HistoryOptions options,
               WriterIdentity writer);

    HistoryConnection state() const { return m_state; }
    // Why it is not connected, as the user should read it (empty when connected).
    QString problem() const { return m_problem; }
    bool isDown() const { return m_state != HistoryConnection::Connected; }

    // Opened without connecting: writes go to the outbox until connect() succeeds.
    void startUnconnected();
    // Connects now (and prepares the schema once); an error says why not.
    Status connect();
    // The server's connection ready to use: connected again first when it is time to try.
    Result<QSqlDatabase> ready();
    // After a failed statement: was it the server going away? Then the connection is dropped
    // (the next ready() reconnects when it is time) and writes go to the outbox meanwhile.
    void noteFailure();

    // What the user is told when a shared history is unreachable or refuses the login (problem:
    // why, as problem() says it); the same words at open and later, in every program.
    static QString outageNotice(HistoryConnection state, const QString& problem);

private:
    void wentDown(HistoryConnection state, const QString& problem);

    SqlHistory& m_server;
    HistoryLocation m_location;
    HistoryOptions m_options;
    WriterIdentity m_writer;
    HistoryConnection m_state = HistoryConnection::Connected;
    QString m_problem;
    bool m_schemaReady = false;
    qint64 m_retryAfterMs = 0; // on the options' clock
};

} // namespace dcr
