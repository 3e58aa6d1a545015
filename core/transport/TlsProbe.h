#pragma once

#include <QNetworkProxy>
#include <QObject>
#include <QSsl>
#include <QSslCipher>
#include <QSslConfiguration>

#include <functional>
#include <optional>

class QSslSocket;
class QTimer;

namespace dcr {

// A TLS handshake that stops as soon as the server has presented its certificate, i.e. once the
// server has agreed a protocol version and cipher suite with us: it presents no client identity
// and sends no application data. Used to tell why a handshake failed when the server's alert
// alone cannot say (a handshake_failure alert means "no common suite" as well as "you sent no
// client certificate" in TLS 1.2), and to name the suite a server would have chosen.
class TlsProbe : public QObject {
    Q_OBJECT
public:
    struct Outcome {
        bool negotiated = false; // the server presented its certificate
        QSslCipher cipher; // what it chose, when the handshake completed (null when the server
                           // gave up later, e.g. for want of a client certificate)
        std::optional<QSsl::AlertType> alert;
        QString error; // why not, otherwise
    };

    // done runs once, on this thread; the probe deletes itself afterwards.
    static void run(const QString& host, quint16 port, QSslConfiguration tls,
                    const QNetworkProxy& proxy, int timeoutMs, QObject* context,
                    std::function<void(const Outcome&)> done);

private:
    TlsProbe(std::function<void(const Outcome&)> done, QObject* context);
    void conclude(bool negotiated, const QString& error = {});

    std::function<void(const Outcome&)> m_done;
    QSslSocket* m_socket = nullptr;
    QTimer* m_timer = nullptr;
    Outcome m_outcome;
    bool m_concluded = false;
    bool m_presented = false; // the server presented its certificate
};

} // namespace dcr
