#pragma once

#include "HttpConnection.h"
#include "HttpExchange.h"
#include "TlsProbe.h"
#include "TransportSettings.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

class QTimer;

namespace dcr {

// Sends DCR requests, asynchronously: every call returns an id at once and finished(id, exchange)
// follows exactly once, with the response or a classified failure. No nested event loops.
// Redirects are reported, not followed. Each request has its own HttpConnection (HTTP/1.1 read
// with caps on the header section and the body); QNetworkAccessManager is not used because Qt
// 6.4 buffers response headers without limit and reports nothing until they end (#21.6).
class RegistrationClient : public QObject {
    Q_OBJECT
public:
    explicit RegistrationClient(QObject* parent = nullptr);
    ~RegistrationClient() override;

    // Connections open now: one per request in flight; none idle afterwards.
    qsizetype openConnections() const;

    void setTransport(const TransportSettings& settings) { m_settings = settings; }
    const TransportSettings& transport() const { return m_settings; }

    quint64 send(const QByteArray& method, const QUrl& url, const HeaderList& headers,
                 const QByteArray& body = {});
    // A request decided against before it left (a bearer token to an origin it may not go to):
    // nothing touches the network, and finished(id, exchange) follows like any other, with `why`
    // as the exchange's failure, so the attempt is recorded and reported as every failure is.
    quint64 refuse(const QByteArray& method, const QUrl& url, const HeaderList& headers,
                   const QByteArray& body, const Error& why);

    // POST the signed JWT (Content-Type application/jwt by default, or application/jose).
    quint64 registerClient(const QUrl& endpoint, const QByteArray& jwt,
                           const QByteArray& contentType = "application/jwt");
    quint64 getClient(const QUrl& endpoint, const QString& clientId, const QString& accessToken);
    quint64 updateClient(const QUrl& endpoint, const QString& clientId, const QString& accessToken,
                         const QByteArray& jwt, const QByteArray& contentType = "application/jwt");
    quint64 deleteClient(const QUrl& endpoint, const QString& clientId, const QString& accessToken);

    void cancel(quint64 id);
    int pendingCount() const { return static_cast<int>(m_pending.size()); }

signals:
    void finished(quint64 id, const dcr::HttpExchange& exchange);

private:
    struct Pending {
        QPointer<HttpConnection> connection;
        HttpExchange exchange;
        TransportSettings settings;
        QElapsedTimer clock;
        QTimer* timer = nullptr;
        bool timedOut = false;
        bool cancelled = false;
        bool probing = false; // a TlsProbe is finding out why the handshake failed
    };

    void onConnectionFinished(quint64 id);
    void deliver(quint64 id);
    // Why the connection ended without an answer; nullopt when it needs a TlsProbe first.
    std::optional<Error> classifyFailure(const Pending& p, const HttpConnection& c,
                                         const std::optional<TlsProbe::Outcome>& probe) const;
    Error classifyTlsFailure(const Pending& p, const HttpConnection& c,
                             const std::optional<TlsProbe::Outcome>& probe) const;
    static QUrl clientUrl(const QUrl& endpoint, const QString& clientId);

    TransportSettings m_settings;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextId = 1;
};

} // namespace dcr
