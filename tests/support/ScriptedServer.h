#pragma once

// A deliberately misbehaving HTTP(S) server on 127.0.0.1 for transport tests: it reads the request
// headers and then does exactly one scripted thing.

#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <memory>

namespace dcr::test {

class ScriptedServer : public QObject {
    Q_OBJECT
public:
    enum class Behaviour { NeverAnswer, ResetMidBody, Oversize, Html502, Ok, Redirect, Custom };
    // Custom: the responder gets the socket and the whole request (headers and body) and writes
    // whatever the test scripts: a hostile bank's garbage, endless headers, odd Content-Types.
    using Responder = std::function<void(QTcpSocket* socket, const QByteArray& request)>;

    explicit ScriptedServer(Behaviour behaviour, const QSslConfiguration* tls = nullptr)
        : m_behaviour(behaviour) {
        if (tls) {
            auto* ssl = new QSslServer(this);
            ssl->setSslConfiguration(*tls);
            m_server = ssl;
        } else {
            m_server = new QTcpServer(this);
        }
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &ScriptedServer::accept);
        m_server->listen(QHostAddress::LocalHost, 0);
    }

    // A server that answers every request with exactly these bytes (a whole HTTP response, status
    // line included) and then closes the connection.
    static std::unique_ptr<ScriptedServer> answering(const QByteArray& rawResponse,
                                                     const QSslConfiguration* tls = nullptr) {
        auto server = std::make_unique<ScriptedServer>(Behaviour::Custom, tls);
        server->setResponder([rawResponse](QTcpSocket* socket, const QByteArray&) {
            socket->write(rawResponse);
            socket->disconnectFromHost();
        });
        return server;
    }

    // A whole HTTP response that closes the connection: the status ("201 Created"), the body's
    // Content-Type and Content-Length, and the body. What a scripted bank writes.
    static QByteArray httpResponse(const QByteArray& status, const QByteArray& contentType,
                                   const QByteArray& body) {
        return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType +
               "\r\nContent-Length: " + QByteArray::number(body.size()) +
               "\r\nConnection: close\r\n\r\n" + body;
    }
    static QByteArray jsonResponse(const QByteArray& status, const QByteArray& body) {
        return httpResponse(status, "application/json", body);
    }

    void setResponder(Responder responder) { m_responder = std::move(responder); }

    quint16 port() const { return m_server->serverPort(); }
    // The raw requests received so far (headers and whatever body arrived).
    QList<QByteArray> receivedRequests() const { return m_buffer.values(); }

private:
    void accept() {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
        }
    }

    void onRead(QTcpSocket* socket) {
        m_buffer[socket] += socket->readAll();
        if (!m_buffer[socket].contains("\r\n\r\n") || m_answered.contains(socket) ||
            !bodyComplete(m_buffer[socket]))
            return;
        m_answered.insert(socket);
        switch (m_behaviour) {
        case Behaviour::Custom:
            if (m_responder)
                m_responder(socket, m_buffer[socket]);
            break;
        case Behaviour::NeverAnswer:
            break;
        case Behaviour::ResetMidBody:
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                          "1000\r\n\r\n{\"client_id\":\"par");
            socket->flush();
            socket->abort();
            break;
        case Behaviour::Oversize: {
            const qint64 size = 6 * 1024 * 1024;
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(size) + "\r\n\r\n");
            socket->write(QByteArray(size, 'x'));
            break;
        }
        case Behaviour::Html502:
            socket->write(httpResponse("502 Bad Gateway", "text/html",
                                       "<html><body><h1>502 Bad Gateway</h1></body></html>"));
            socket->disconnectFromHost();
            break;
        case Behaviour::Redirect:
            socket->write("HTTP/1.1 302 Found\r\nLocation: "
                          "https://elsewhere.example/register\r\nContent-Length: 0\r\nConnection: "
                          "close\r\n\r\n");
            socket->disconnectFromHost();
            break;
        case Behaviour::Ok:
            socket->write(jsonResponse("200 OK", "{\"message\":\"ok\"}"));
            socket->disconnectFromHost();
            break;
        }
    }

    // Whether the body its Content-Length announces has arrived: a recorded request is whole
    // (bodies may come in a later read than the headers).
    static bool bodyComplete(const QByteArray& raw) {
        const qsizetype end = raw.indexOf("\r\n\r\n");
        for (const QByteArray& line : raw.left(end).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
                return raw.size() - (end + 4) >= line.mid(colon + 1).trimmed().toLongLong();
        }
        return true;
    }

    Behaviour m_behaviour;
    Responder m_responder;
    QTcpServer* m_server = nullptr;
    QHash<QTcpSocket*, QByteArray> m_buffer;
    QSet<QTcpSocket*> m_answered;
};

} // namespace dcr::test
