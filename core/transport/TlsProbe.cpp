#include "TlsProbe.h"

#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

namespace dcr {

TlsProbe::TlsProbe(std::function<void(const Outcome&)> done, QObject* context)
    : QObject(context)
    , m_done(std::move(done)) {}

void TlsProbe::run(const QString& host, quint16 port, QSslConfiguration tls,
                   const QNetworkProxy& proxy, int timeoutMs, QObject* context,
                   std::function<void(const Outcome&)> done) {
    auto* probe = new TlsProbe(std::move(done), context);
    // No identity, and no trusted CA: verifying the server's certificate always fails, which
    // (with the interrupt switched on) stops the handshake right after the server presented it.
    tls.setLocalCertificateChain({});
    tls.setLocalCertificate(QSslCertificate());
    tls.setPrivateKey(QSslKey());
    tls.setCaCertificates({});
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    tls.setHandshakeMustInterruptOnError(true);
    probe->m_socket = new QSslSocket(probe);
    probe->m_socket->setSslConfiguration(tls);
    probe->m_socket->setProxy(proxy);
    // The server presented its certificate: version and suite are agreed. The handshake goes on
    // (still without an identity) only to learn the suite, which OpenSSL names once it is done.
    connect(
        probe->m_socket, &QSslSocket::handshakeInterruptedOnError, probe,
        [probe](const QSslError&) {
            probe->m_presented = true;
            probe->m_socket->ignoreSslErrors();
            probe->m_socket->continueInterruptedHandshake();
        },
        Qt::DirectConnection);
    connect(probe->m_socket, &QSslSocket::sslErrors, probe,
            [probe] { probe->m_socket->ignoreSslErrors(); });
    connect(probe->m_socket, &QSslSocket::encrypted, probe, [probe] { probe->conclude(true); });
    connect(probe->m_socket, &QSslSocket::alertReceived, probe,
            [probe](QSsl::AlertLevel, QSsl::AlertType type, const QString&) {
                if (type != QSsl::AlertType::CloseNotify)
                    probe->m_outcome.alert = type;
            });
    connect(probe->m_socket, &QSslSocket::errorOccurred, probe,
            [probe] { probe->conclude(false, probe->m_socket->errorString()); });
    probe->m_timer = new QTimer(probe);
    probe->m_timer->setSingleShot(true);
    connect(probe->m_timer, &QTimer::timeout, probe,
            [probe] { probe->conclude(false, tr("no answer to the handshake")); });
    probe->m_timer->start(timeoutMs);
    probe->m_socket->connectToHostEncrypted(host, port);
}

void TlsProbe::conclude(bool negotiated, const QString& error) {
    if (m_concluded)
        return;
    m_concluded = true;
    m_outcome.negotiated = negotiated || m_presented;
    m_outcome.error = error;
    if (negotiated) // the handshake completed: the suite is known
        m_outcome.cipher = m_socket->sessionCipher();
    m_socket->disconnect(this);
    m_timer->stop();
    // Closed and reported from the event loop: handshakeInterruptedOnError comes from inside
    // OpenSSL's verify callback, where the connection must not be torn down.
    QTimer::singleShot(0, this, [this] {
        m_socket->abort();
        const auto done = std::move(m_done);
        const Outcome outcome = m_outcome;
        deleteLater();
        done(outcome);
    });
}

} // namespace dcr
