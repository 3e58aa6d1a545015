#pragma once

#include "SandboxAspsp.h"

#include <QAbstractHttpServer>
#include <QSslConfiguration>

#include <memory>

namespace dcr {

// The sandbox over HTTPS on 127.0.0.1 only. Client certificates are asked for in every handshake
// and verified against the kit's CA; discovery and the JWKS answer without one, every other path
// needs a verified one (SandboxAspsp::needsClientCertificate). With mutual TLS everywhere the
// handshake itself fails without a verified certificate.
class SandboxServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    SandboxServer(const SandboxKit& kit, SandboxMode mode, QObject* parent = nullptr);

    // Listens on 127.0.0.1; port 0 picks an ephemeral port. Returns the port.
    Result<quint16> start(quint16 port = 0);
    QUrl baseUrl() const { return m_aspsp.baseUrl(); }
    SandboxAspsp& aspsp() { return m_aspsp; }
    // A careless ASPSP (dcr-sandbox serve --lax) accepts every request, and so every TLS client
    // too: no client certificate, or one from a CA it does not know, is let through (the
    // certificate is still asked for, so tls_client_auth tokens keep working).
    void setLax(bool lax);
    // dcr-sandbox serve --mtls-everywhere: the strict variant, no anonymous TLS client at all.
    void setMtlsEverywhere(bool everywhere);

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    void applyPeerVerifyMode();
    void respond(const QHttpServerRequest& request, QTcpSocket* socket,
                 const SandboxResponse& response);
    SandboxAspsp m_aspsp;
    QSslConfiguration m_tls;
};

} // namespace dcr
