#include "HttpConnection.h"

#include "TlsPolicy.h"
#include "common/Version.h"

#include <QHostAddress>
#include <QNetworkProxyFactory>
#include <QSslSocket>
#include <QTcpSocket>

namespace dcr {

namespace {

// What one read takes from the socket, and what the socket may buffer: with the parser's caps,
// the memory one connection can hold whatever the server sends.
constexpr qint64 kReadChunk = 64 * 1024;
constexpr qint64 kSocketBuffer = 256 * 1024;

bool isHeader(const QByteArray& name, const char* wanted) {
    return name.compare(wanted, Qt::CaseInsensitive) == 0;
}

} // namespace

HttpConnection::HttpConnection(Request request, TransportSettings settings, QObject* parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_settings(std::move(settings))
    , m_parser(m_settings.maxHeaderBytes, m_settings.maxResponseBytes, m_request.method == "HEAD") {
}

HttpConnection::~HttpConnection() {
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QNetworkProxy HttpConnection::proxyFor(const QUrl& url) {
    const QString host = url.host();
    const QHostAddress address(host);
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0 ||
        (!address.isNull() && address.isLoopback()))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    // A socket can only go through a proxy that tunnels (HTTP CONNECT, SOCKS5).
    for (const QNetworkProxy& p :
         QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(url)))
        if (p.type() == QNetworkProxy::NoProxy ||
            p.capabilities().testFlag(QNetworkProxy::TunnelingCapability))
            return p;
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

void HttpConnection::start() {
    m_clock.start();
    const QUrl& url = m_request.url;
    const bool tls = url.scheme() == QStringLiteral("https");
    m_proxy = proxyFor(url);
    QTcpSocket* socket = nullptr;
    if (tls) {
        auto* ssl = new QSslSocket(this);
        ssl->setSslConfiguration(m_settings.sslConfiguration());
        connect(ssl, &QSslSocket::encrypted, this, &HttpConnection::onEncrypted);
        connect(ssl, &QSslSocket::sslErrors, this, [this, ssl](const QList<QSslError>& errors) {
            m_sslErrors << errors;
            if (m_settings.insecure)
                ssl->ignoreSslErrors(errors);
        });
        connect(ssl, &QSslSocket::alertReceived, this,
                [this](QSsl::AlertLevel, QSsl::AlertType type, const QString&) {
                    if (type != QSsl::AlertType::CloseNotify)
                        m_alert = type;
                });
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, &HttpConnection::writeRequest);
    }
    m_socket = socket;
    socket->setProxy(m_proxy);
    socket->setReadBufferSize(kSocketBuffer);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::errorOccurred, this, &HttpConnection::onError);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    if (tls)
        static_cast<QSslSocket*>(socket)->connectToHostEncrypted(url.host(), url.port(443));
    else
        socket->connectToHost(url.host(), url.port(80));
}

void HttpConnection::abort() {
    finish(End::Aborted);
}

void HttpConnection::onEncrypted() {
    auto* ssl = qobject_cast<QSslSocket*>(m_socket.data());
    if (!ssl || m_end != End::Running)
        return;
    m_encrypted = true;
    m_cipher = ssl->sessionCipher();
    switch (ssl->sessionProtocol()) {
    case QSsl::TlsV1_2:
        m_protocolName = QStringLiteral("TLSv1.2");
        break;
    case QSsl::TlsV1_3:
        m_protocolName = QStringLiteral("TLSv1.3");
        break;
    default:
        m_protocolName = m_cipher.protocolString();
        break;
    }
    for (const auto& c : ssl->peerCertificateChain())
        m_peerChain << c.subjectDisplayName();
    // Checked before a byte of the request leaves: a suite the policy forbids carries nothing.
    if (const auto why = tlspolicy::refusal(m_settings.tlsPolicy, m_cipher)) {
        m_policyRefusal = *why;
        finish(End::PolicyRefused);
        return;
    }
    if (const auto warn = tlspolicy::warning(m_settings.tlsPolicy, m_cipher))
        m_tlsWarning = *warn;
    writeRequest();
}

QByteArray HttpConnection::requestBytes() const {
    const QUrl& url = m_request.url;
    QByteArray target =
        url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (!target.startsWith('/'))
        target.prepend('/');
    QByteArray out = m_request.method + ' ' + target + " HTTP/1.1\r\n";
    bool host = false, agent = false;
    for (const auto& [name, value] : m_request.headers) {
        // Framing is ours: a caller's Content-Length or Connection could only contradict it.
        if (isHeader(name, "content-length") || isHeader(name, "connection") ||
            isHeader(name, "transfer-encoding"))
            continue;
        host = host || isHeader(name, "host");
        agent = agent || isHeader(name, "user-agent");
        out += name + ": " + value + "\r\n";
    }
    if (!host)
        out +=
            "Host: " + url.adjusted(QUrl::RemoveUserInfo).authority(QUrl::FullyEncoded).toLatin1() +
            "\r\n";
    if (!agent)
        out += "User-Agent: dcr-console/" + productVersion().toLatin1() + "\r\n";
    const QByteArray& method = m_request.method;
    if (!m_request.body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
        out += "Content-Length: " + QByteArray::number(m_request.body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    return out + m_request.body;
}

void HttpConnection::writeRequest() {
    if (!m_socket || m_end != End::Running || m_requestSent)
        return;
    m_requestSent = true;
    m_socket->write(requestBytes());
}

void HttpConnection::drain() {
    while (m_socket && m_end == End::Running && m_socket->bytesAvailable() > 0) {
        const QByteArray chunk = m_socket->read(kReadChunk);
        if (chunk.isEmpty())
            break;
        if (m_firstByteMs < 0)
            m_firstByteMs = m_clock.elapsed();
        m_parser.feed(chunk);
        if (m_parser.state() == HttpResponseParser::State::Done)
            finish(End::Complete);
        else if (m_parser.state() == HttpResponseParser::State::Failed)
            finish(End::ProtocolError); // stops at once: the rest is never read
    }
}

void HttpConnection::onReadyRead() {
    drain();
}

void HttpConnection::onError(QAbstractSocket::SocketError error) {
    if (m_end != End::Running)
        return;
    drain();
    if (m_end != End::Running)
        return;
    m_socketError = error;
    m_errorString = m_socket ? m_socket->errorString() : QString();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onDisconnected();
        return;
    }
    finish(End::SocketError);
}

void HttpConnection::onDisconnected() {
    if (m_end != End::Running)
        return;
    drain();
    if (m_end != End::Running)
        return;
    m_parser.closed();
    if (m_parser.state() == HttpResponseParser::State::Done)
        finish(End::Complete);
    else if (m_parser.anythingReceived())
        finish(End::ClosedEarly);
    else {
        m_socketError = QAbstractSocket::RemoteHostClosedError;
        if (m_errorString.isEmpty())
            m_errorString = tr("the remote host closed the connection");
        finish(End::SocketError);
    }
}

void HttpConnection::finish(End end) {
    if (m_end != End::Running)
        return;
    m_end = end;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    // Queued: the owner may delete this connection in its slot, and start() must never report
    // before the caller has its id.
    QMetaObject::invokeMethod(this, &HttpConnection::finished, Qt::QueuedConnection);
}

} // namespace dcr
