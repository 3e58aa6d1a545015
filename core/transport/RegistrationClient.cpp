#include "RegistrationClient.h"

#include "TlsPolicy.h"

#include <QCoreApplication>
#include <QTimer>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program (the context is the
// class's own, so its members' tr() and this file's free functions share it).
struct RegistrationClientTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::RegistrationClient)
};

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
            parts << RegistrationClientTr::tr(
                "unknown CA: the server's certificate is not issued by a "
                "trusted CA (add the ASPSP's CA bundle to the profile)");
            break;
        case QSslError::CertificateExpired:
            parts << RegistrationClientTr::tr("expired: the server's certificate has expired");
            break;
        case QSslError::CertificateNotYetValid:
            parts << RegistrationClientTr::tr(
                "not yet valid: the server's certificate is not valid yet (check the clock)");
            break;
        case QSslError::HostNameMismatch:
            parts << RegistrationClientTr::tr(
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

} // namespace

RegistrationClient::RegistrationClient(QObject* parent)
    : QObject(parent) {}

RegistrationClient::~RegistrationClient() {
    for (auto& p : m_pending)
        if (p.connection)
            p.connection->disconnect(this); // deleted with this client, its parent
}

qsizetype RegistrationClient::openConnections() const {
    qsizetype open = 0;
    for (const auto& p : m_pending)
        if (p.connection && p.connection->end() == HttpConnection::End::Running)
            ++open;
    return open;
}

QUrl RegistrationClient::clientUrl(const QUrl& endpoint, const QString& clientId) {
    QUrl url = endpoint;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + QString::fromLatin1(QUrl::toPercentEncoding(clientId)), QUrl::StrictMode);
    return url;
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
                  RegistrationClientTr::tr("\"%1\" is not an http(s) URL").arg(url.toString())};
        HttpExchange exchange = p.exchange;
        m_pending.remove(id);
        // Deliver asynchronously like every other result.
        QTimer::singleShot(0, this, [this, id, exchange] { emit finished(id, exchange); });
        return id;
    }

    auto* connection = new HttpConnection({method, url, headers, body}, p.settings, this);
    p.connection = connection;
    p.timer = new QTimer(connection);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, id] {
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        it->timedOut = true;
        if (it->probing)
            deliver(id); // the probe's late answer is then dropped
        else if (it->connection)
            it->connection->abort();
    });
    p.timer->start(p.settings.timeoutMs);
    connect(connection, &HttpConnection::finished, this, [this, id] { onConnectionFinished(id); });
    connection->start();
    return id;
}

void RegistrationClient::cancel(quint64 id) {
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    it->cancelled = true;
    if (it->probing)
        deliver(id);
    else if (it->connection)
        it->connection->abort();
}

namespace {

bool isIdentityAlert(QSsl::AlertType type) {
    switch (type) {
    case QSsl::AlertType::CertificateRequired:
    case QSsl::AlertType::BadCertificate:
    case QSsl::AlertType::UnsupportedCertificate:
    case QSsl::AlertType::CertificateRevoked:
    case QSsl::AlertType::CertificateExpired:
    case QSsl::AlertType::CertificateUnknown:
    case QSsl::AlertType::UnknownCa:
    case QSsl::AlertType::AccessDenied:
        return true;
    default:
        return false;
    }
}

// The server refused our client identity: its alert names the certificate (or its absence).
// The error string is the fallback for a peer whose alert Qt did not report as a signal.
bool identityRefused(const HttpConnection& c) {
    if (const auto alert = c.alertReceived(); alert && isIdentityAlert(*alert))
        return true;
    const QString lower = c.errorString().toLower();
    for (const char* alert :
         {"alert certificate required", "alert bad certificate", "alert unknown ca",
          "alert certificate expired", "alert certificate unknown", "alert certificate revoked",
          "alert unsupported certificate", "alert access denied"})
        if (lower.contains(QLatin1String(alert)))
            return true;
    return false;
}

// handshake_failure (or insufficient_security) says only that the server gave up: in TLS 1.2 it
// is both "no cipher suite in common" and "you sent no client certificate" (#21.11).
bool ambiguousHandshakeFailure(const HttpConnection& c) {
    const auto alert = c.alertReceived();
    if (alert && (*alert == QSsl::AlertType::HandshakeFailure ||
                  *alert == QSsl::AlertType::InsufficientSecurity))
        return true;
    const QString lower = c.errorString().toLower();
    return lower.contains(QStringLiteral("alert handshake failure")) ||
           lower.contains(QStringLiteral("alert insufficient security"));
}

bool versionRefused(const HttpConnection& c) {
    if (c.alertReceived() == QSsl::AlertType::ProtocolVersion)
        return true;
    const QString lower = c.errorString().toLower();
    return lower.contains(QStringLiteral("alert protocol version")) ||
           lower.contains(QStringLiteral("unsupported protocol")) ||
           lower.contains(QStringLiteral("wrong version number")) ||
           lower.contains(QStringLiteral("no protocols available"));
}

bool isTlsSocketError(QAbstractSocket::SocketError e) {
    return e == QAbstractSocket::SslHandshakeFailedError ||
           e == QAbstractSocket::SslInternalError || e == QAbstractSocket::SslInvalidUserDataError;
}

QString identityRefusal(const TransportSettings& s) {
    return s.hasClientIdentity()
               ? RegistrationClientTr::tr("the server rejected the client certificate \"%1\"")
                     .arg(s.clientCertificate.subjectDn())
               : RegistrationClientTr::tr(
                     "the server requires a client certificate and none is configured");
}

bool needsProbe(const HttpConnection& c, const TransportSettings& s) {
    return c.end() == HttpConnection::End::SocketError &&
           c.request().url.scheme() == QStringLiteral("https") &&
           (c.sslErrors().isEmpty() || s.insecure) && !identityRefused(c) &&
           ambiguousHandshakeFailure(c);
}

} // namespace

Error RegistrationClient::classifyTlsFailure(const Pending& p, const HttpConnection& c,
                                             const std::optional<TlsProbe::Outcome>& probe) const {
    const QString errorString = c.errorString();
    if (!c.sslErrors().isEmpty() && !p.settings.insecure)
        return {ErrorKind::NetworkTls, RegistrationClientTr::tr("TLS handshake failed: %1")
                                           .arg(describeSslErrors(c.sslErrors()))};
    if (identityRefused(c))
        return {ErrorKind::NetworkTlsRefused,
                RegistrationClientTr::tr("TLS handshake failed: %1 (%2)")
                    .arg(identityRefusal(p.settings), errorString)};
    if (ambiguousHandshakeFailure(c)) {
        if (probe && probe->negotiated) {
            if (const auto why = tlspolicy::refusal(p.settings.tlsPolicy, probe->cipher))
                return {ErrorKind::NetworkTls,
                        RegistrationClientTr::tr("TLS policy: %1").arg(*why)};
            // It got as far as presenting its certificate, so version and suite were agreed:
            // what it refused afterwards is our identity.
            return {ErrorKind::NetworkTlsRefused,
                    RegistrationClientTr::tr(
                        "TLS handshake failed: %1: the server agreed a TLS version and "
                        "cipher suite%2 and gave up only after that "
                        "(handshake_failure; %3)")
                        .arg(identityRefusal(p.settings),
                             probe->cipher.isNull()
                                 ? QString()
                                 : QStringLiteral(" (%1)").arg(tlspolicy::describe(probe->cipher)),
                             errorString)};
        }
        if (probe)
            return {ErrorKind::NetworkTls,
                    RegistrationClientTr::tr(
                        "TLS handshake failed: no TLS version and cipher suite in "
                        "common: the server gave up (handshake_failure) before "
                        "presenting its certificate, so it offers only suites this "
                        "client refuses (such as NULL or export ciphers)%1 (%2)")
                        .arg(p.settings.tlsPolicy == TlsPolicy::Fapi
                                 ? RegistrationClientTr::tr(" or FAPI 1.0 Advanced §8.5 forbids")
                                 : QString(),
                             errorString)};
        return {ErrorKind::NetworkTls,
                RegistrationClientTr::tr(
                    "TLS handshake failed: the server gave up (handshake_failure): no "
                    "common cipher suite, or it wants a client certificate (%1)")
                    .arg(errorString)};
    }
    if (versionRefused(c))
        return {ErrorKind::NetworkTls,
                RegistrationClientTr::tr(
                    "TLS handshake failed: no TLS version in common: the server offers "
                    "only versions this client refuses (TLS 1.2 or later is required) "
                    "(%1)")
                    .arg(errorString)};
    if (c.socketError() == QAbstractSocket::RemoteHostClosedError) {
        // With TLS 1.3 the server checks the client certificate after the client considers the
        // handshake done, so a rejected certificate can show up as a close before any answer.
        if (c.encrypted() && c.firstByteMs() < 0)
            return {ErrorKind::NetworkTlsRefused,
                    RegistrationClientTr::tr(
                        "the server closed the TLS connection without answering: it %1 (%2)")
                        .arg(p.settings.hasClientIdentity()
                                 ? RegistrationClientTr::tr(
                                       "most likely rejected the client certificate \"%1\" "
                                       "(untrusted CA, expired, or revoked)")
                                       .arg(p.settings.clientCertificate.subjectDn())
                                 : RegistrationClientTr::tr(
                                       "most likely requires a client certificate and "
                                       "none is configured"),
                             errorString)};
        return {ErrorKind::NetworkTls,
                RegistrationClientTr::tr(
                    "TLS handshake failed: the server closed the connection during "
                    "the handshake (%1)")
                    .arg(errorString)};
    }
    return {ErrorKind::NetworkTls,
            RegistrationClientTr::tr("TLS handshake failed: %1").arg(errorString)};
}

std::optional<Error>
RegistrationClient::classifyFailure(const Pending& p, const HttpConnection& c,
                                    const std::optional<TlsProbe::Outcome>& probe) const {
    if (p.timedOut)
        return Error{
            ErrorKind::NetworkTimeout,
            RegistrationClientTr::tr(
                "no complete answer within %1 s (timeout); the ASPSP may still process the request")
                .arg(p.settings.timeoutMs / 1000.0)};
    if (p.cancelled || c.end() == HttpConnection::End::Aborted)
        return Error{ErrorKind::NetworkCancelled,
                     RegistrationClientTr::tr(
                         "cancelled by the user; the ASPSP may still process the request")};
    const HttpResponseParser& r = c.response();
    switch (c.end()) {
    case HttpConnection::End::Running:
    case HttpConnection::End::Complete:
    case HttpConnection::End::Aborted:
        return std::nullopt;
    case HttpConnection::End::PolicyRefused:
        return Error{ErrorKind::NetworkTls,
                     RegistrationClientTr::tr("TLS policy: %1").arg(c.policyRefusal())};
    case HttpConnection::End::ProtocolError:
        if (r.failure() == HttpResponseParser::Failure::HeaderTooLarge)
            return Error{ErrorKind::NetworkOversize, r.failureMessage()};
        if (r.failure() == HttpResponseParser::Failure::BodyTooLarge)
            return Error{ErrorKind::NetworkOversize,
                         RegistrationClientTr::tr(
                             "the response is larger than %1 bytes; the first %1 bytes are kept")
                             .arg(p.settings.maxResponseBytes)};
        return Error{ErrorKind::NetworkOther,
                     RegistrationClientTr::tr("the answer is not valid HTTP/1.1: %1")
                         .arg(r.failureMessage())};
    case HttpConnection::End::ClosedEarly:
        return Error{ErrorKind::NetworkReset,
                     RegistrationClientTr::tr(
                         "the connection was closed before the answer was complete (%1)")
                         .arg(c.errorString().isEmpty()
                                  ? RegistrationClientTr::tr("closed by the server")
                                  : c.errorString())};
    case HttpConnection::End::SocketError:
        break;
    }
    const bool https = c.request().url.scheme() == QStringLiteral("https");
    if (https && (isTlsSocketError(c.socketError()) || c.alertReceived() ||
                  c.socketError() == QAbstractSocket::RemoteHostClosedError))
        return classifyTlsFailure(p, c, probe);
    switch (c.socketError()) {
    case QAbstractSocket::HostNotFoundError:
        return Error{
            ErrorKind::NetworkDns,
            RegistrationClientTr::tr("host \"%1\" not found (DNS)").arg(p.exchange.url.host())};
    case QAbstractSocket::ConnectionRefusedError:
        return Error{
            ErrorKind::NetworkConnectionRefused,
            RegistrationClientTr::tr("connection refused by %1:%2 (is the server running?)")
                .arg(p.exchange.url.host())
                .arg(p.exchange.url.port(https ? 443 : 80))};
    case QAbstractSocket::SocketTimeoutError:
        return Error{ErrorKind::NetworkTimeout,
                     RegistrationClientTr::tr("the connection timed out")};
    case QAbstractSocket::RemoteHostClosedError:
        return Error{ErrorKind::NetworkReset,
                     RegistrationClientTr::tr("the connection was closed before any answer (%1)")
                         .arg(c.errorString())};
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return Error{ErrorKind::NetworkOther, RegistrationClientTr::tr("proxy %1:%2: %3")
                                                  .arg(c.proxy().hostName())
                                                  .arg(c.proxy().port())
                                                  .arg(c.errorString())};
    default:
        return Error{ErrorKind::NetworkOther, c.errorString()};
    }
}

void RegistrationClient::onConnectionFinished(quint64 id) {
    auto it = m_pending.find(id);
    if (it == m_pending.end() || !it->connection)
        return;
    HttpConnection& c = *it->connection;
    HttpExchange& ex = it->exchange;
    HttpResponseParser& r = c.response();
    ex.status = r.status();
    ex.reason = r.reason();
    ex.responseHeaders = r.headers();
    ex.responseBody = r.takeBody();
    ex.truncated = r.truncated();
    ex.firstByteMs = c.firstByteMs();
    if (!c.cipher().isNull()) {
        ex.tlsCipher = c.cipher().name();
        ex.tlsProtocol = c.protocolName();
        ex.peerChain = c.peerChain();
    }
    ex.tlsWarning = c.tlsWarning();
    if (!it->timedOut && !it->cancelled && needsProbe(c, it->settings)) {
        // Why did the server give up? Ask it again, with no identity and the default suites,
        // how far it gets: nothing of the request is sent.
        it->probing = true;
        QSslConfiguration tls = it->settings.sslConfiguration();
        tls.setCiphers(QSslConfiguration::defaultConfiguration().ciphers());
        const QUrl& url = ex.url;
        TlsProbe::run(url.host(), url.port(443), tls, c.proxy(),
                      qMax<int>(1000, it->settings.timeoutMs - it->clock.elapsed()), this,
                      [this, id](const TlsProbe::Outcome& outcome) {
                          auto it = m_pending.find(id);
                          if (it == m_pending.end() || !it->probing || !it->connection)
                              return;
                          it->probing = false;
                          it->exchange.failure = classifyFailure(*it, *it->connection, outcome);
                          deliver(id);
                      });
        return;
    }
    ex.failure = classifyFailure(*it, c, std::nullopt);
    deliver(id);
}

void RegistrationClient::deliver(quint64 id) {
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending p = std::move(*it);
    m_pending.erase(it);
    HttpExchange& ex = p.exchange;
    ex.elapsedMs = p.clock.elapsed();
    if (p.probing && p.connection) // timed out or cancelled while the probe was out
        ex.failure = classifyFailure(p, *p.connection, std::nullopt);
    if (p.connection)
        p.connection->deleteLater();
    emit finished(id, ex);
}

} // namespace dcr
