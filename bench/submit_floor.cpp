// The Qt floor of `dcrctl submit` (#26): the same mutual-TLS POST with nothing but
// QCoreApplication and QSslSocket, as a process of its own. bench_submit runs it beside curl:
// whatever it costs above curl is Qt's share (its libraries, the TLS backend plugin and its
// initialisation, the event loop), which no change in dcrctl can remove.
//   bench_submit_floor URL CERT KEY CACERT BODY   (exit 0: HTTP 200 read in full)
#include <QCoreApplication>
#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QUrl>

#include <cstdio>

namespace {

QByteArray readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

// The whole answer is in when the headers ended and Content-Length bytes followed.
bool answerComplete(const QByteArray& answer) {
    const qsizetype headersEnd = answer.indexOf("\r\n\r\n");
    if (headersEnd < 0)
        return false;
    const QByteArray headers = answer.left(headersEnd).toLower();
    const qsizetype at = headers.indexOf("\r\ncontent-length:");
    if (at < 0)
        return false;
    const qsizetype lineEnd = headers.indexOf("\r\n", at + 2);
    const qsizetype start = at + qsizetype(sizeof("\r\ncontent-length:") - 1);
    const qint64 length =
        headers.mid(start, (lineEnd < 0 ? headers.size() : lineEnd) - start).trimmed().toLongLong();
    return answer.size() >= headersEnd + 4 + length;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 6) {
        std::fprintf(stderr, "usage: bench_submit_floor URL CERT KEY CACERT BODY\n");
        return 2;
    }
    const QUrl url(args.at(1));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    tls.setLocalCertificate(QSslCertificate(readFile(args.at(2))));
    tls.setPrivateKey(QSslKey(readFile(args.at(3)), QSsl::Rsa));
    tls.setCaCertificates(QSslCertificate::fromData(readFile(args.at(4))));
    const QByteArray body = readFile(args.at(5));

    QSslSocket socket;
    socket.setSslConfiguration(tls);
    QByteArray answer;
    QObject::connect(&socket, &QSslSocket::encrypted, [&] {
        socket.write("POST " + url.path(QUrl::FullyEncoded).toLatin1() +
                     " HTTP/1.1\r\nHost: " + url.authority(QUrl::FullyEncoded).toLatin1() +
                     "\r\nContent-Type: application/jwt\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    });
    QObject::connect(&socket, &QSslSocket::readyRead, [&] {
        answer += socket.readAll();
        if (answerComplete(answer))
            app.quit();
    });
    QObject::connect(&socket, &QSslSocket::errorOccurred, [&] {
        std::fprintf(stderr, "%s\n", qPrintable(socket.errorString()));
        app.exit(3);
    });
    socket.connectToHostEncrypted(url.host(), static_cast<quint16>(url.port(443)));
    if (const int rc = app.exec(); rc != 0)
        return rc;
    if (!answer.startsWith("HTTP/1.1 200")) {
        std::fprintf(stderr, "%s\n", answer.left(300).constData());
        return 1;
    }
    return 0;
}
