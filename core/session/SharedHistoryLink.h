#pragma once

#include "common/Notice.h"
#include "common/Result.h"
#include "history/HistoryStore.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QTimer;

namespace dcr {

struct HistoryAnswer;
class HistoryReader;

// A shared (PostgreSQL) history's link to its server, as the session last learnt it: the reader
// thread probes the server (a connect to a silent host waits connect_timeout there, never on the
// caller's thread), the session's own store reconnects when a probe was answered, and the user is
// told when the state changes. A refused login is tried again less and less often: each try is a
// failed authentication in the server's log and may count towards a lockout of the account.
class SharedHistoryLink : public QObject {
    Q_OBJECT
public:
    using Connection = HistoryStore::Connection;

    // How often a server that is away is probed (and the outbox retried while it is reachable).
    static constexpr int ShareRetryMs = 15000;
    // The longest wait between two probes while the login is refused.
    static constexpr int MaxLoginRetryMs = 5 * 60 * 1000;
    // A probe unanswered for this long (the reader answers every request: this is a guard) no
    // longer holds the next one back.
    static constexpr int ProbeAnswerMs = 60000;

    // What the link works with: the session's store (is its server away, reconnect it, its own
    // idea of the connection) and a probe of the server off this thread (HistoryReader's), whose
    // answer comes back through onProbeAnswered(). Tests give stand-ins.
    struct Ports {
        std::function<bool()> serverUnreachable;
        std::function<Status()> reconnect;
        std::function<Connection()> storeConnection;
        std::function<void()> requestProbe;
    };
    // The ports of a real store and reader (both must outlive the link).
    static Ports of(HistoryStore& store, HistoryReader& reader);

    // A monotonic clock in milliseconds; tests turn it by hand instead of waiting.
    using Clock = std::function<qint64()>;
    static Clock steadyClock();

    // initial: the store's state when it was opened; location: as it may be shown.
    SharedHistoryLink(Ports ports, Connection initial, QString problem, QString location,
                      QObject* parent = nullptr);

    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Starts the retry timer (every retryMs) and probes at once when not yet connected.
    void start(int retryMs = ShareRetryMs);

    Connection connection() const { return m_connection; }
    // Why it is not connected, as the user should read it (empty when connected).
    QString problem() const { return m_problem; }
    // While the login is refused: how long after the last refusal the next probe waits (it
    // doubles with each refusal, from the retry interval up to MaxLoginRetryMs). 0 otherwise.
    int loginRetryMs() const { return m_loginRetryMs; }

    // What the retry timer does: probe a server that is away (unless a refused login is still
    // waiting out its back-off), or say that the outbox may be retried.
    void retry();
    // A reader's answer; those of other lanes are ignored.
    void onProbeAnswered(const dcr::HistoryAnswer& answer);

signals:
    // The server answered a probe and the session's store is connected (reconnected: this
    // answer made the connection). Emitted before the state becomes Connected, so that what
    // waited for the server (the outbox) is shared before the views hear of the connection.
    void serverAnswered(bool reconnected);
    // The state is Connected after a probe's answer: the history may hold rows the views lack.
    void connectedAfterProbe();
    // The server is believed reachable and the retry interval passed: time to retry the outbox.
    void outboxRetryDue();
    void connectionChanged();
    // What the user should read: the server was found away, refused the login, or is back.
    void notice(const dcr::Notice& notice);

private:
    void probe();
    void setConnection(Connection connection, const QString& problem);
    bool waitingAfterRefusal() const;

    Ports m_ports;
    Connection m_connection;
    QString m_problem;
    QString m_location;
    Clock m_clock;
    QTimer* m_timer = nullptr;
    int m_retryMs = ShareRetryMs;
    int m_loginRetryMs = 0;
    std::optional<qint64> m_probeStarted; // a probe is in flight since then
    std::optional<qint64> m_loginRefusedAt;
};

} // namespace dcr
