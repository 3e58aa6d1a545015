#pragma once

#include "HttpExchange.h"
#include "TransportSettings.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslError>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace dcr {

// Sends DCR requests over QNetworkAccessManager, asynchronously: every call returns an id at once
// and finished(id, exchange) follows exactly once, with the response or a classified failure.
// No nested event loops. Redirects are reported, not followed.
class RegistrationClient : public QObject {
    Q_OBJECT
public:
    explicit RegistrationClient(QObject* parent = nullptr);
    ~RegistrationClient() override;

    // How many TLS identities keep a connection pool now (idle ones beyond a few are let go).
    qsizetype connectionPools() const { return m_managers.size(); }

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
        QPointer<QNetworkReply> reply;
        HttpExchange exchange;
        TransportSettings settings;
        QElapsedTimer clock;
        QTimer* timer = nullptr;
        QList<QSslError> sslErrors;
        bool timedOut = false;
        bool cancelled = false;
        bool oversize = false;
    };

    void onReadyRead(quint64 id);
    void onFinished(quint64 id);
    Error classifyFailure(const Pending& p, int networkError, const QString& errorString) const;
    static QUrl clientUrl(const QUrl& endpoint, const QString& clientId);

    // One manager per TLS identity (client certificate, trusted CAs, insecure): Qt reuses an
    // open connection by host and port only, so a request planned without a certificate (or
    // with another one) would otherwise ride on a connection authenticated with the previous
    // one, and the server would never see what the request was planned to present.
    QNetworkAccessManager* managerFor(const TransportSettings& settings);
    void dropIdleManagers();
    QHash<QByteArray, QNetworkAccessManager*> m_managers;
    TransportSettings m_settings;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextId = 1;
};

} // namespace dcr
