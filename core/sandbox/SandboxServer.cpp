#include "SandboxServer.h"

#include <QSslServer>

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>

namespace dcr {

namespace {

QByteArray methodName(QHttpServerRequest::Method m) {
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

} // namespace

SandboxServer::SandboxServer(const SandboxKit& kit, SandboxMode mode, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_aspsp(kit, mode) {
    QSslConfiguration& tls = m_tls;
    tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(kit.serverCertificate().toPem()));
    tls.setPrivateKey(QSslKey(kit.serverKey().privatePkcs8Pem(), QSsl::Rsa));
    tls.setCaCertificates({QSslCertificate(kit.caCertificate().toPem())});
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    applyPeerVerifyMode();
}

void SandboxServer::setLax(bool lax) {
    m_aspsp.setLax(lax);
    applyPeerVerifyMode();
}

void SandboxServer::setMtlsEverywhere(bool everywhere) {
    m_aspsp.setMtlsEverywhere(everywhere);
    applyPeerVerifyMode();
}

// QueryPeer asks for a certificate without requiring one and lets the handshake finish whatever
// its chain; what Qt found wrong with it is read per request (handleRequest), where the path
// decides. VerifyPeer fails the handshake instead.
void SandboxServer::applyPeerVerifyMode() {
    m_tls.setPeerVerifyMode(m_aspsp.mtlsEverywhere() && !m_aspsp.lax() ? QSslSocket::VerifyPeer
                                                                       : QSslSocket::QueryPeer);
    sslSetup(m_tls); // servers bound from now on
    // Qt 6.4 hands the configuration to a listening QSslServer when it binds it.
    for (QTcpServer* server : servers())
        if (auto* ssl = qobject_cast<QSslServer*>(server))
            ssl->setSslConfiguration(m_tls);
}

Result<quint16> SandboxServer::start(quint16 port) {
    const quint16 bound = listen(QHostAddress::LocalHost, port);
    if (bound == 0)
        return Error{ErrorKind::NetworkOther,
                     tr("cannot listen on 127.0.0.1:%1 (in use?)").arg(port)};
    QUrl base;
    base.setScheme(QStringLiteral("https"));
    base.setHost(QStringLiteral("localhost"));
    base.setPort(bound);
    m_aspsp.setBaseUrl(base);
    return bound;
}

bool SandboxServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
    SandboxRequest in;
    in.method = methodName(request.method());
    in.path = request.url().path();
    in.headers = request.headers();
    in.body = request.body();
    if (auto* ssl = qobject_cast<QSslSocket*>(socket)) {
        const QSslCertificate peer = ssl->peerCertificate();
        QStringList problems;
        for (const QSslError& e : ssl->sslHandshakeErrors())
            problems << e.errorString();
        // A careless ASPSP (--lax) takes the certificate whatever Qt found wrong with it.
        if (!peer.isNull() && !problems.isEmpty() && !m_aspsp.lax())
            in.clientCertificateRefused = problems.join(QStringLiteral("; "));
        else if (!peer.isNull())
            if (auto cert = Certificate::fromDer(peer.toDer()))
                in.clientCertificate = *cert;
    }
    respond(request, socket, m_aspsp.handle(in));
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) {
    respond(request, socket, m_aspsp.handle({"GET", request.url().path(), {}, {}, {}, {}}));
}

void SandboxServer::respond(const QHttpServerRequest& request, QTcpSocket* socket,
                            const SandboxResponse& response) {
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    responder.writeHeader("Content-Type", response.contentType);
    if (!response.wwwAuthenticate.isEmpty())
        responder.writeHeader("WWW-Authenticate", response.wwwAuthenticate);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder.writeBody(response.body);
}

} // namespace dcr
