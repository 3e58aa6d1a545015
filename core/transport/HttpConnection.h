#pragma once

#include "HttpResponseParser.h"
#include "TransportSettings.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSsl>
#include <QSslCipher>
#include <QSslError>
#include <QUrl>

#include <optional>

class QTcpSocket;

namespace dcr {

// One HTTP/1.1 request over its own connection (TCP, or TLS with the transport settings), read
// with HttpResponseParser's caps. The connection is closed after the answer: every request
// presents exactly the client identity it was planned with, and nothing idles afterwards.
// finished() follows exactly once, also after abort().
class HttpConnection : public QObject {
    Q_OBJECT
public:
    struct Request {
        QByteArray method;
        QUrl url;
        HeaderList headers;
        QByteArray body;
    };
    enum class End {
        Running,
        Complete,      // a whole answer was read
        SocketError,   // the connection or the TLS handshake failed (socketError())
        ProtocolError, // the answer broke a cap or HTTP framing (response().failure())
        ClosedEarly,   // the server closed after part of an answer
        PolicyRefused, // the negotiated TLS suite is not allowed (policyRefusal()); nothing sent
        Aborted,       // abort() was called
    };

    HttpConnection(Request request, TransportSettings settings, QObject* parent = nullptr);
    ~HttpConnection() override;

    void start();
    void abort();

    End end() const { return m_end; }
    const Request& request() const { return m_request; }
    const HttpResponseParser& response() const { return m_parser; }
    HttpResponseParser& response() { return m_parser; }
    QAbstractSocket::SocketError socketError() const { return m_socketError; }
    QString errorString() const { return m_errorString; }
    const QList<QSslError>& sslErrors() const { return m_sslErrors; }
    // The last TLS alert the server sent us, if any.
    std::optional<QSsl::AlertType> alertReceived() const { return m_alert; }
    bool encrypted() const { return m_encrypted; }
    bool requestSent() const { return m_requestSent; }
    qint64 firstByteMs() const { return m_firstByteMs; }
    QSslCipher cipher() const { return m_cipher; }
    // The protocol in use ("TLSv1.3"); QSslCipher's own is the one that defined the suite.
    QString protocolName() const { return m_protocolName; }
    QStringList peerChain() const { return m_peerChain; }
    QString policyRefusal() const { return m_policyRefusal; }
    QString tlsWarning() const { return m_tlsWarning; }
    QNetworkProxy proxy() const { return m_proxy; }

    // The system / environment proxy (http_proxy, https_proxy, no_proxy) for a URL, except for
    // loopback hosts: the local sandbox must not go to a proxy that lacks a no_proxy entry.
    static QNetworkProxy proxyFor(const QUrl& url);

signals:
    void finished();

private:
    void onEncrypted();
    void onReadyRead();
    void onError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void writeRequest();
    void drain();
    void finish(End end);
    QByteArray requestBytes() const;

    Request m_request;
    TransportSettings m_settings;
    HttpResponseParser m_parser;
    QPointer<QTcpSocket> m_socket;
    QNetworkProxy m_proxy;
    QElapsedTimer m_clock;
    End m_end = End::Running;
    QAbstractSocket::SocketError m_socketError = QAbstractSocket::UnknownSocketError;
    QString m_errorString;
    QList<QSslError> m_sslErrors;
    std::optional<QSsl::AlertType> m_alert;
    bool m_encrypted = false;
    bool m_requestSent = false;
    qint64 m_firstByteMs = -1;
    QSslCipher m_cipher;
    QString m_protocolName;
    QStringList m_peerChain;
    QString m_policyRefusal;
    QString m_tlsWarning;
};

} // namespace dcr
