#include "RegistrationClient.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QSet>
#include <QSslCipher>
#include <QTimer>

namespace dcr {

namespace {

// Distinct TLS identities kept with their connections before idle ones are let go.
constexpr qsizetype kMaxIdleManagers = 4;

QString describeSslErrors(const QList<QSslError>& errors) {
    QStringList parts;
    for (const auto& e : errors) {
        switch (e.error()) {
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
        case QSslError::UnableToVerifyFirstCertificate:
            parts << QStringLiteral("unknown CA: the server's certificate is not issued by a "
                                    "trusted CA (add the ASPSP's CA bundle to the profile)");
            break;
        case QSslError::CertificateExpired:
            parts << QStringLiteral("expired: the server's certificate has expired");
            break;
        case QSslError::CertificateNotYetValid:
            parts << QStringLiteral(
                "not yet valid: the server's certificate is not valid yet (check the clock)");
            break;
        case QSslError::HostNameMismatch:
            parts << QStringLiteral(
                "hostname mismatch: the server's certificate is not for this host name");
            break;
        default:
            parts << e.errorString();
            break;
        }
    }
    parts.removeDuplicates();
    return parts.join(QStringLiteral("; "));
}

// The system / environment proxy (http_proxy, https_proxy, no_proxy), except for loopback hosts:
// the local sandbox must not be sent to a proxy that happens to lack a no_proxy entry.
class SystemProxyExceptLoopback : public QNetworkProxyFactory {
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery& query) override {
        const QString host = query.peerHostName();
        const QHostAddress address(host);
        if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0 ||
            (!address.isNull() && address.isLoopback()))
            return {QNetworkProxy(QNetworkProxy::NoProxy)};
        return systemProxyForQuery(query);
    }
};

} // namespace

RegistrationClient::RegistrationClient(QObject* parent)
    : QObject(parent) {}

QNetworkAccessManager* RegistrationClient::managerFor(const TransportSettings& settings) {
    QCryptographicHash identity(QCryptographicHash::Sha256);
    identity.addData(settings.insecure ? "insecure\n" : "verify\n");
    identity.addData(settings.hasClientIdentity() ? settings.clientCertificate.toPem() : "none");
    for (const auto& c : settings.clientChain)
        identity.addData(c.toPem());
    identity.addData("ca\n");
    for (const auto& c : settings.extraCaCertificates)
        identity.addData(c.toPem());
    const QByteArray key = identity.result();
    if (!m_managers.contains(key) && m_managers.size() >= kMaxIdleManagers)
        dropIdleManagers();
    QNetworkAccessManager*& manager = m_managers[key];
    if (!manager) {
        manager = new QNetworkAccessManager(this);
        manager->setProxyFactory(new SystemProxyExceptLoopback); // the manager owns it
        manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    return manager;
}

RegistrationClient::~RegistrationClient() {
    for (auto& p : m_pending)
        if (p.reply) {
            p.reply->disconnect(this);
            p.reply->abort();
        }
}

QUrl RegistrationClient::clientUrl(const QUrl& endpoint, const QString& clientId) {
    QUrl url = endpoint;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + QString::fromLatin1(QUrl::toPercentEncoding(clientId)), QUrl::StrictMode);
    return url;
}

void RegistrationClient::dropIdleManagers() {
    // Each test run makes a fresh untrusted identity: without this, every run would leave a
    // manager (and its idle keep-alive connections) behind for the life of the console.
    QSet<QNetworkAccessManager*> busy;
    for (const auto& p : m_pending)
        if (p.reply)
            busy.insert(p.reply->manager());
    for (auto it = m_managers.begin(); it != m_managers.end();) {
        if (busy.contains(it.value())) {
            ++it;
            continue;
        }
        it.value()->deleteLater();
        it = m_managers.erase(it);
    }
}

quint64 RegistrationClient::registerClient(const QUrl& endpoint, const QByteArray& jwt,
                                           const QByteArray& contentType) {
    return send("POST", endpoint, {{"Content-Type", contentType}, {"Accept", "application/json"}},
                jwt);
}

quint64 RegistrationClient::getClient(const QUrl& endpoint, const QString& clientId,
                                      const QString& accessToken) {
    return send(
        "GET", clientUrl(endpoint, clientId),
        {{"Accept", "application/json"}, {"Authorization", "Bearer " + accessToken.toLatin1()}});
}

quint64 RegistrationClient::updateClient(const QUrl& endpoint, const QString& clientId,
                                         const QString& accessToken, const QByteArray& jwt,
                                         const QByteArray& contentType) {
    return send("PUT", clientUrl(endpoint, clientId),
                {{"Content-Type", contentType},
                 {"Accept", "application/json"},
                 {"Authorization", "Bearer " + accessToken.toLatin1()}},
                jwt);
}

quint64 RegistrationClient::deleteClient(const QUrl& endpoint, const QString& clientId,
                                         const QString& accessToken) {
    return send(
        "DELETE", clientUrl(endpoint, clientId),
        {{"Accept", "application/json"}, {"Authorization", "Bearer " + accessToken.toLatin1()}});
}

quint64 RegistrationClient::refuse(const QByteArray& method, const QUrl& url,
                                   const HeaderList& headers, const QByteArray& body,
                                   const Error& why) {
    const quint64 id = m_nextId++;
    HttpExchange exchange;
    exchange.method = method;
    exchange.url = url;
    exchange.requestHeaders = headers;
    exchange.requestBody = body;
    exchange.started = QDateTime::currentDateTimeUtc();
    exchange.insecure = m_settings.insecure;
    exchange.failure = why;
    // Delivered asynchronously like every other result.
    QTimer::singleShot(0, this, [this, id, exchange] { emit finished(id, exchange); });
    return id;
}

quint64 RegistrationClient::send(const QByteArray& method, const QUrl& url,
                                 const HeaderList& headers, const QByteArray& body) {
    const quint64 id = m_nextId++;
    Pending& p = m_pending[id];
    p.exchange.method = method;
    p.exchange.url = url;
    p.exchange.requestHeaders = headers;
    p.exchange.requestBody = body;
    p.exchange.started = QDateTime::currentDateTimeUtc();
    p.settings = m_settings; // this request keeps the settings it was sent with
    p.exchange.insecure = p.settings.insecure;
    p.clock.start();

    if (!url.isValid() ||
        (url.scheme() != QStringLiteral("https") && url.scheme() != QStringLiteral("http")) ||
        url.host().isEmpty()) {
        p.exchange.failure =
            Error{ErrorKind::NetworkOther,
                  QStringLiteral("\"%1\" is not an http(s) URL").arg(url.toString())};
        HttpExchange exchange = p.exchange;
        m_pending.remove(id);
        // Deliver asynchronously like every other result.
        QTimer::singleShot(0, this, [this, id, exchange] { emit finished(id, exchange); });
        return id;
    }

    QNetworkRequest request(url);
    for (const auto& [k, v] : headers)
        request.setRawHeader(k, v);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (url.scheme() == QStringLiteral("https"))
        request.setSslConfiguration(p.settings.sslConfiguration());

    QNetworkReply* reply = managerFor(p.settings)->sendCustomRequest(request, method, body);
    p.reply = reply;
    p.timer = new QTimer(reply);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, id] {
        auto it = m_pending.find(id);
        if (it != m_pending.end() && it->reply) {
            it->timedOut = true;
            it->reply->abort();
        }
    });
    p.timer->start(p.settings.timeoutMs);
    connect(reply, &QNetworkReply::readyRead, this, [this, id] { onReadyRead(id); });
    connect(reply, &QNetworkReply::sslErrors, this, [this, id](const QList<QSslError>& errors) {
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        it->sslErrors << errors;
        if (it->settings.insecure && it->reply)
            it->reply->ignoreSslErrors(errors);
    });
    connect(reply, &QNetworkReply::finished, this, [this, id] { onFinished(id); });
    return id;
}

void RegistrationClient::cancel(quint64 id) {
    auto it = m_pending.find(id);
    if (it != m_pending.end() && it->reply) {
        it->cancelled = true;
        it->reply->abort();
    }
}

void RegistrationClient::onReadyRead(quint64 id) {
    auto it = m_pending.find(id);
    if (it == m_pending.end() || !it->reply)
        return;
    if (!it->reply->isOpen())
        return;
    if (it->exchange.firstByteMs < 0)
        it->exchange.firstByteMs = it->clock.elapsed();
    const qint64 room = it->settings.maxResponseBytes - it->exchange.responseBody.size();
    it->exchange.responseBody += it->reply->read(qMax<qint64>(room, 0));
    if (it->reply->bytesAvailable() > 0 &&
        it->exchange.responseBody.size() >= it->settings.maxResponseBytes) {
        it->exchange.truncated = true;
        it->oversize = true;
        it->reply->abort();
    }
}

Error RegistrationClient::classifyFailure(const Pending& p, int networkError,
                                          const QString& errorString) const {
    if (p.timedOut)
        return {
            ErrorKind::NetworkTimeout,
            QStringLiteral(
                "no complete answer within %1 s (timeout); the ASPSP may still process the request")
                .arg(p.settings.timeoutMs / 1000.0)};
    if (p.cancelled)
        return {ErrorKind::NetworkCancelled,
                QStringLiteral("cancelled by the user; the ASPSP may still process the request")};
    if (p.oversize)
        return {ErrorKind::NetworkOversize,
                QStringLiteral("the response is larger than %1 bytes; the first %1 bytes are kept")
                    .arg(p.settings.maxResponseBytes)};
    const QString lower = errorString.toLower();
    if (!p.sslErrors.isEmpty() && !p.settings.insecure)
        return {ErrorKind::NetworkTls,
                QStringLiteral("TLS handshake failed: %1").arg(describeSslErrors(p.sslErrors))};
    if (lower.contains(QStringLiteral("alert certificate required")) ||
        lower.contains(QStringLiteral("alert bad certificate")) ||
        lower.contains(QStringLiteral("alert unknown ca")) ||
        lower.contains(QStringLiteral("alert certificate expired")) ||
        lower.contains(QStringLiteral("alert certificate unknown")) ||
        lower.contains(QStringLiteral("alert handshake failure"))) {
        QString why =
            p.settings.hasClientIdentity()
                ? QStringLiteral("the server rejected the client certificate \"%1\"")
                      .arg(p.settings.clientCertificate.subjectDn())
                : QStringLiteral("the server requires a client certificate and none is configured");
        return {ErrorKind::NetworkTlsRefused,
                QStringLiteral("TLS handshake failed: %1 (%2)").arg(why, errorString)};
    }
    switch (networkError) {
    case QNetworkReply::HostNotFoundError:
        return {ErrorKind::NetworkDns,
                QStringLiteral("host \"%1\" not found (DNS)").arg(p.exchange.url.host())};
    case QNetworkReply::ConnectionRefusedError:
        return {ErrorKind::NetworkConnectionRefused,
                QStringLiteral("connection refused by %1:%2 (is the server running?)")
                    .arg(p.exchange.url.host())
                    .arg(p.exchange.url.port(443))};
    case QNetworkReply::SslHandshakeFailedError:
        return {ErrorKind::NetworkTls, QStringLiteral("TLS handshake failed: %1").arg(errorString)};
    case QNetworkReply::TimeoutError:
        return {ErrorKind::NetworkTimeout, QStringLiteral("the connection timed out")};
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ProxyConnectionClosedError:
        // With TLS 1.3 the server checks the client certificate after the client considers the
        // handshake done, so a rejected certificate shows up as a close before any answer.
        if (p.exchange.status == 0 && p.exchange.firstByteMs < 0 &&
            p.exchange.url.scheme() == QStringLiteral("https"))
            return {
                ErrorKind::NetworkTlsRefused,
                QStringLiteral("the server closed the TLS connection without answering: it %1 (%2)")
                    .arg(p.settings.hasClientIdentity()
                             ? QStringLiteral("most likely rejected the client certificate \"%1\" "
                                              "(untrusted CA, expired, or revoked)")
                                   .arg(p.settings.clientCertificate.subjectDn())
                             : QStringLiteral("most likely requires a client certificate and none "
                                              "is configured"),
                         errorString)};
        return {ErrorKind::NetworkReset,
                QStringLiteral("the connection was closed before the answer was complete (%1)")
                    .arg(errorString)};
    case QNetworkReply::OperationCanceledError:
        return {ErrorKind::NetworkCancelled, QStringLiteral("cancelled")};
    default:
        if (lower.contains(QStringLiteral("ssl")) || lower.contains(QStringLiteral("tls")) ||
            lower.contains(QStringLiteral("handshake")))
            return {ErrorKind::NetworkTls, QStringLiteral("TLS failure: %1").arg(errorString)};
        return {ErrorKind::NetworkOther, errorString};
    }
}

void RegistrationClient::onFinished(quint64 id) {
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending p = std::move(*it);
    m_pending.erase(it);
    QNetworkReply* reply = p.reply;
    if (!reply)
        return;
    HttpExchange& ex = p.exchange;
    ex.elapsedMs = p.clock.elapsed();
    if (!p.oversize && reply->isOpen()) {
        const qint64 room = p.settings.maxResponseBytes - ex.responseBody.size();
        ex.responseBody += reply->read(qMax<qint64>(room, 0));
        if (reply->bytesAvailable() > 0)
            ex.truncated = true;
    }
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid()) {
        ex.status = status.toInt();
        ex.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        for (const auto& pair : reply->rawHeaderPairs())
            ex.responseHeaders << pair;
    }
    const QSslConfiguration tls = reply->sslConfiguration();
    if (!tls.sessionCipher().isNull()) {
        ex.tlsCipher = tls.sessionCipher().name();
        ex.tlsProtocol = tls.sessionCipher().protocolString();
        for (const auto& c : tls.peerCertificateChain())
            ex.peerChain << c.subjectDisplayName();
    }
    const auto error = reply->error();
    // An HTTP error status is an answer, not a transport failure.
    const bool httpAnswer = ex.status != 0 && error >= QNetworkReply::ContentAccessDenied &&
                            error != QNetworkReply::ProtocolFailure;
    if (error != QNetworkReply::NoError && !httpAnswer)
        ex.failure = classifyFailure(p, error, reply->errorString());
    else if (p.timedOut || p.oversize)
        ex.failure = classifyFailure(p, error, reply->errorString());
    reply->deleteLater();
    emit finished(id, ex);
}

} // namespace dcr
