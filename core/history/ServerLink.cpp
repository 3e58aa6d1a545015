#include "ServerLink.h"

#include "PostgresConnectFailure.h"
#include "SqlHistory.h"

#include <QSqlError>
#include <QSqlQuery>

namespace dcr {

ServerLink::ServerLink(SqlHistory& server, HistoryLocation location, HistoryOptions options,
                       WriterIdentity writer)
    : m_server(server)
    , m_location(std::move(location))
    , m_options(std::move(options))
    , m_writer(std::move(writer)) {}

QString ServerLink::outageNotice(HistoryConnection state, const QString& problem) {
    return state == HistoryConnection::LoginRefused
               ? tr("Login to the shared history refused: %1. Submissions are kept on this "
                    "machine and shared once the login works.")
                     .arg(problem)
               : tr("The shared history is unreachable (%1). Submissions are kept on this machine "
                    "and shared when it returns.")
                     .arg(problem);
}

void ServerLink::startUnconnected() {
    m_state = HistoryConnection::NotYetConnected;
    m_problem = tr("not connected to the shared history at %1 yet").arg(m_location.display());
}

void ServerLink::wentDown(HistoryConnection state, const QString& problem) {
    m_state = state;
    m_problem = problem;
    m_retryAfterMs = m_options.clockOrSystem().nowMs() + m_options.offlineRetryMs;
}

Status ServerLink::connect() {
    QSqlDatabase db = m_server.database();
    if (!db.isOpen() && !db.open()) {
        const auto failure = PostgresConnectFailure::classify(db.lastError().text());
        const Error error = failure.toError(m_location);
        wentDown(failure.loginRefused() ? HistoryConnection::LoginRefused
                                        : HistoryConnection::Unreachable,
                 error.message);
        return error;
    }
    m_state = HistoryConnection::Connected;
    m_problem.clear();
    if (m_schemaReady)
        return {};
    // The schema is part of being connected: a server that cannot take it is not usable.
    if (auto ok = m_server.migrate(); !ok) {
        db.close();
        return ok;
    }
    if (m_options.sweepInterrupted)
        if (auto ok = m_server.markInterrupted(m_writer); !ok)
            return ok;
    m_schemaReady = true;
    return {};
}

Result<QSqlDatabase> ServerLink::ready() {
    QSqlDatabase db = m_server.database();
    if (db.isOpen() && m_schemaReady)
        return db;
    if (isDown() &&
        (!m_options.reconnectInline || m_options.clockOrSystem().nowMs() < m_retryAfterMs)) {
        if (m_state == HistoryConnection::LoginRefused)
            return Error{ErrorKind::StorageLoginRefused, m_problem};
        return Error{ErrorKind::StorageUnavailable,
                     m_state == HistoryConnection::NotYetConnected
                         ? m_problem
                         : tr("the shared history at %1 is unreachable; trying again in a few "
                              "seconds")
                               .arg(m_location.display())};
    }
    if (auto ok = connect(); !ok)
        return ok.error();
    return m_server.database();
}

void ServerLink::noteFailure() {
    // Already known to be away: the retry time stays, or constant sending would postpone it.
    if (isDown())
        return;
    QSqlDatabase db = m_server.database();
    if (db.isOpen()) {
        QSqlQuery probe(db);
        if (probe.exec(QStringLiteral("SELECT 1")))
            return;
    }
    db.close();
    m_schemaReady = false;
    wentDown(HistoryConnection::Unreachable,
             tr("the connection to the shared history at %1 was lost").arg(m_location.display()));
}

} // namespace dcr
