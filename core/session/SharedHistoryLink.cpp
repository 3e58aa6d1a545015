#include "SharedHistoryLink.h"

#include "history/HistoryReader.h"

#include <QTimer>

#include <algorithm>
#include <chrono>

namespace dcr {

SharedHistoryLink::Ports SharedHistoryLink::of(HistoryStore& store, HistoryReader& reader) {
    Ports ports;
    ports.serverUnreachable = [&store] { return store.serverUnreachable(); };
    ports.reconnect = [&store] { return store.reconnect(); };
    ports.storeConnection = [&store] { return store.connection(); };
    ports.requestProbe = [&reader] { reader.requestProbe(HistoryLane::Probe); };
    return ports;
}

SharedHistoryLink::Clock SharedHistoryLink::steadyClock() {
    return [] {
        return static_cast<qint64>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now().time_since_epoch())
                                       .count());
    };
}

SharedHistoryLink::SharedHistoryLink(Ports ports, Connection initial, QString problem,
                                     QString location, QObject* parent)
    : QObject(parent)
    , m_ports(std::move(ports))
    , m_connection(initial)
    , m_problem(std::move(problem))
    , m_location(std::move(location))
    , m_clock(steadyClock()) {}

// A connect to a silent host waits connect_timeout: the reader thread probes (at once when the
// console opened without connecting, then every retry interval while the server is not
// connected), and the store reconnects (quickly, then) when the server answered.
void SharedHistoryLink::start(int retryMs) {
    m_retryMs = retryMs;
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &SharedHistoryLink::retry);
    }
    m_timer->start(m_retryMs);
    if (m_connection == Connection::NotYetConnected)
        probe();
}

bool SharedHistoryLink::waitingAfterRefusal() const {
    return m_connection == Connection::LoginRefused && m_loginRefusedAt &&
           m_clock() - *m_loginRefusedAt < m_loginRetryMs;
}

void SharedHistoryLink::retry() {
    if (!m_ports.serverUnreachable()) {
        emit outboxRetryDue();
        return;
    }
    if (!waitingAfterRefusal())
        probe();
}

// One probe at a time: a newer one supersedes the one in flight in the reader's lane, so on a
// server slower to answer than the retry interval (a scram login under load) no answer would ever
// arrive.
void SharedHistoryLink::probe() {
    const qint64 now = m_clock();
    if (m_probeStarted && now - *m_probeStarted < ProbeAnswerMs)
        return;
    m_probeStarted = now;
    m_ports.requestProbe();
}

void SharedHistoryLink::onProbeAnswered(const HistoryAnswer& a) {
    if (a.lane != HistoryLane::Probe)
        return;
    m_probeStarted.reset();
    const Error* error = a.error();
    const bool loginRefused = error && error->kind == ErrorKind::StorageLoginRefused;
    if (loginRefused) {
        m_loginRetryMs = std::clamp(2 * m_loginRetryMs, m_retryMs, MaxLoginRetryMs);
        m_loginRefusedAt = m_clock();
    } else {
        m_loginRetryMs = 0;
    }
    if (error) {
        setConnection(loginRefused ? Connection::LoginRefused : Connection::Unreachable,
                      error->message);
        return;
    }
    bool reconnected = false;
    if (m_ports.serverUnreachable()) {
        if (auto ok = m_ports.reconnect(); !ok) {
            // The server answered the probe, yet this connection failed (the schema, say): it
            // is not usable, whatever the store's own connection says.
            const Connection store = m_ports.storeConnection();
            setConnection(store == Connection::Connected ? Connection::Unreachable : store,
                          ok.error().message);
            return;
        }
        reconnected = true;
    }
    emit serverAnswered(reconnected);
    setConnection(Connection::Connected, {});
    emit connectedAfterProbe();
}

void SharedHistoryLink::setConnection(Connection connection, const QString& problem) {
    if (connection == m_connection && problem == m_problem)
        return;
    const Connection before = m_connection;
    m_connection = connection;
    m_problem = problem;
    emit connectionChanged();
    if (connection == before)
        return; // the same state in other words (a refused port, then a timeout): no new notice
    switch (connection) {
    case Connection::LoginRefused:
        emit notice({Notice::Level::Error, HistoryStore::outageNotice(connection, problem)});
        break;
    case Connection::Unreachable:
        emit notice({Notice::Level::Warning, HistoryStore::outageNotice(connection, problem)});
        break;
    case Connection::Connected:
        if (before != Connection::NotYetConnected)
            emit notice({Notice::Level::Info,
                         tr("Connected to the shared history at %1.").arg(m_location)});
        break;
    case Connection::NotYetConnected:
        break;
    }
}

} // namespace dcr
