// Issue #24 item 3: `dcr-sandbox serve` as a bank serves it: discovery and the JWKS to any TLS
// client, registration, token and client paths only over mutual TLS; --mtls-everywhere refuses an
// anonymous TLS client on every path. The TLS clients are curl and `openssl s_client`, nobody
// here wrote them (the UK conformance tool fetches discovery anonymously, as curl does here).
#include "TestSupport.h"
#include "jose/JwsAlgorithm.h"
#include "sandbox/SandboxKit.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

// A running `dcr-sandbox serve`, stopped (by its own pid) when the test ends.
class SandboxProcess {
public:
    SandboxProcess(const QString& kitDir, const QStringList& flags) {
        m_port = startSandboxProcess(m_proc, QStringLiteral(SANDBOX_PATH), kitDir,
                                     QStringLiteral("obie"), flags);
    }
    ~SandboxProcess() {
        m_proc.terminate();
        if (!m_proc.waitForFinished(10000)) {
            m_proc.kill();
            m_proc.waitForFinished();
        }
    }
    quint16 port() const { return m_port; }
    QString url(const QString& path) const {
        return QStringLiteral("https://localhost:%1%2").arg(m_port).arg(path);
    }

private:
    QProcess m_proc;
    quint16 m_port = 0;
};

} // namespace

class TestSandboxMtls : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;

    QString kitFile(const QString& name) const { return m_kit->path(name); }
    QString file(const QString& name) const { return m_dir.filePath(name); }

    // curl with the kit's CA and, when given, a client certificate; prints the body, then the
    // status on a line of its own. The exit code is curl's (0: an HTTP answer came back).
    ProcessResult curl(const QString& url, const QStringList& identity,
                       const QStringList& extra = {}) const {
        return run(QStringLiteral("curl"),
                   QStringList{"-s", "--noproxy", "*", "--max-time", "20", "-w", "\n%{http_code}",
                               "--cacert", kitFile(QStringLiteral("ca.pem"))} +
                       identity + extra + QStringList{url});
    }
    QStringList kitIdentity() const {
        return {"--cert", kitFile(QStringLiteral("tpp-transport.pem")), "--key",
                kitFile(QStringLiteral("tpp-transport-key.pem"))};
    }
    QStringList postJwt(const QByteArray& jwt) const {
        writeFile(file(QStringLiteral("request.jwt")), jwt);
        return {"-H", "Content-Type: application/jwt", "--data-binary",
                "@" + file(QStringLiteral("request.jwt"))};
    }
    QByteArray signedDemo() const {
        return *m_kit->demoRequest(QDateTime::currentDateTimeUtc())
                    .sign(m_kit->tppSigningKey(),
                          {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}});
    }
    static int status(const ProcessResult& r) {
        return r.out.mid(r.out.lastIndexOf('\n') + 1).toInt();
    }
    static QJsonObject body(const ProcessResult& r) {
        return QJsonDocument::fromJson(r.out.left(r.out.lastIndexOf('\n'))).object();
    }
    // openssl s_client without a client certificate: one HTTP/1.0 GET, what came back. The
    // server keeps the connection open, so s_client is stopped once the whole answer is in
    // (its Content-Length), or when it ends by itself (a failed handshake).
    ProcessResult sClientGet(quint16 port, const QString& path) const {
        QProcess p;
        p.start(QStringLiteral("openssl"),
                {"s_client", "-connect", QStringLiteral("127.0.0.1:%1").arg(port), "-servername",
                 "localhost", "-CAfile", kitFile(QStringLiteral("ca.pem")), "-verify_return_error",
                 "-quiet", "-ign_eof"});
        if (!p.waitForStarted(10000))
            return {-1, {}, "openssl did not start"};
        p.write(QStringLiteral("GET %1 HTTP/1.0\r\nHost: localhost\r\n\r\n").arg(path).toUtf8());
        QByteArray out;
        static const QRegularExpression length(QStringLiteral("Content-Length: (\\d+)"));
        QElapsedTimer clock;
        clock.start();
        while (p.state() == QProcess::Running && clock.elapsed() < 30000) {
            p.waitForReadyRead(200);
            out += p.readAllStandardOutput();
            const qsizetype headEnd = out.indexOf("\r\n\r\n");
            const auto m = length.match(QString::fromLatin1(out.left(headEnd)));
            if (headEnd >= 0 && m.hasMatch() && out.size() - headEnd - 4 >= m.captured(1).toInt())
                break;
        }
        const bool endedByItself = p.state() == QProcess::NotRunning;
        if (!endedByItself) {
            p.kill();
            p.waitForFinished(10000);
        }
        out += p.readAllStandardOutput();
        return {endedByItself ? p.exitCode() : 0, out, p.readAllStandardError()};
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(file(QStringLiteral("kit")));
        QVERIFY(kit.ok());
        m_kit = *kit;
        // A client certificate from a CA the sandbox does not know, made by the openssl CLI.
        const auto made =
            openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", file(QStringLiteral("stranger-key.pem")), "-out",
                     file(QStringLiteral("stranger.pem")), "-days", "2", "-subj",
                     "/C=GB/O=Stranger/CN=stranger", "-addext", "extendedKeyUsage=clientAuth"});
        QVERIFY2(made.exitCode == 0, made.err.constData());
    }

    void discoveryAndJwksAreServedWithoutAClientCertificate() {
        SandboxProcess sandbox(file(QStringLiteral("kit")), {});
        QVERIFY(sandbox.port() != 0);
        // curl without any client certificate.
        const ProcessResult discovery =
            curl(sandbox.url(QStringLiteral("/.well-known/openid-configuration")), {});
        QVERIFY2(discovery.exitCode == 0, discovery.err.constData());
        QCOMPARE(status(discovery), 200);
        QCOMPARE(body(discovery)["registration_endpoint"].toString(),
                 sandbox.url(QStringLiteral("/register")));
        const ProcessResult jwks = curl(sandbox.url(QStringLiteral("/jwks/directory.jwks")), {});
        QCOMPARE(status(jwks), 200);
        QVERIFY(body(jwks).contains(QStringLiteral("keys")));
        // openssl s_client, anonymous too: the handshake completes and discovery comes back.
        const ProcessResult sClient =
            sClientGet(sandbox.port(), QStringLiteral("/.well-known/openid-configuration"));
        QVERIFY2(sClient.out.startsWith("HTTP/1.1 200"), (sClient.out + sClient.err).constData());
        QVERIFY(sClient.out.contains("\"token_endpoint\""));
    }

    void registrationTokenAndClientPathsNeedMutualTls() {
        SandboxProcess sandbox(file(QStringLiteral("kit")), {});
        QVERIFY(sandbox.port() != 0);
        // Anonymous: 401 invalid_client at /register, /token and a client's path.
        ProcessResult r = curl(sandbox.url(QStringLiteral("/register")), {}, postJwt(signedDemo()));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(status(r), 401);
        QCOMPARE(body(r)["error"].toString(), QStringLiteral("invalid_client"));
        QVERIFY2(
            body(r)["error_description"].toString().contains(QStringLiteral("none was presented")),
            r.out.constData());
        r = curl(sandbox.url(QStringLiteral("/token")), {},
                 {"--data", "grant_type=client_credentials"});
        QCOMPARE(status(r), 401);
        QCOMPARE(body(r)["error"].toString(), QStringLiteral("invalid_client"));
        r = curl(sandbox.url(QStringLiteral("/register/") + newUuidV4()), {});
        QCOMPARE(status(r), 401);
        const ProcessResult sClient = sClientGet(sandbox.port(), QStringLiteral("/register/x"));
        QVERIFY2(sClient.out.startsWith("HTTP/1.1 401"), (sClient.out + sClient.err).constData());

        // A certificate from another CA is asked for, looked at and refused, saying why.
        r = curl(sandbox.url(QStringLiteral("/register")),
                 {"--cert", file(QStringLiteral("stranger.pem")), "--key",
                  file(QStringLiteral("stranger-key.pem"))},
                 postJwt(signedDemo()));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(status(r), 401);
        QVERIFY2(body(r)["error_description"].toString().contains(QStringLiteral("refused")),
                 r.out.constData());
        // But discovery still answers it.
        QCOMPARE(status(curl(sandbox.url(QStringLiteral("/.well-known/openid-configuration")),
                             {"--cert", file(QStringLiteral("stranger.pem")), "--key",
                              file(QStringLiteral("stranger-key.pem"))})),
                 200);

        // The kit's transport certificate registers.
        r = curl(sandbox.url(QStringLiteral("/register")), kitIdentity(), postJwt(signedDemo()));
        QCOMPARE(status(r), 201);
        QVERIFY(!body(r)["client_id"].toString().isEmpty());
    }

    void mtlsEverywhereRefusesAnAnonymousClientEverywhere() {
        SandboxProcess sandbox(file(QStringLiteral("kit")), {QStringLiteral("--mtls-everywhere")});
        QVERIFY(sandbox.port() != 0);
        for (const QString& path :
             {QStringLiteral("/.well-known/openid-configuration"),
              QStringLiteral("/jwks/directory.jwks"), QStringLiteral("/register")}) {
            const ProcessResult r = curl(sandbox.url(path), {});
            // No HTTP answer at all: the TLS handshake fails (curl 56 or 35, status 000).
            QVERIFY2(r.exitCode != 0 && status(r) == 0,
                     qPrintable(QStringLiteral("%1: curl %2, %3")
                                    .arg(path)
                                    .arg(r.exitCode)
                                    .arg(QString::fromUtf8(r.out))));
        }
        const ProcessResult sClient =
            sClientGet(sandbox.port(), QStringLiteral("/.well-known/openid-configuration"));
        QVERIFY2(!sClient.out.contains("HTTP/1.1"), sClient.out.constData());
        // A certificate from another CA fails the handshake too.
        const ProcessResult stranger =
            curl(sandbox.url(QStringLiteral("/.well-known/openid-configuration")),
                 {"--cert", file(QStringLiteral("stranger.pem")), "--key",
                  file(QStringLiteral("stranger-key.pem"))});
        QVERIFY2(stranger.exitCode != 0 && status(stranger) == 0, stranger.out.constData());
        // The kit's certificate is served on every path.
        const ProcessResult discovery =
            curl(sandbox.url(QStringLiteral("/.well-known/openid-configuration")), kitIdentity());
        QCOMPARE(status(discovery), 200);
    }

    void optionsAreCheckedAndDocumented() {
        const ProcessResult both = run(QStringLiteral(SANDBOX_PATH),
                                       {"serve", "--dir", file(QStringLiteral("kit")), "--port",
                                        "0", "--mode", "obie", "--lax", "--mtls-everywhere"});
        QCOMPARE(both.exitCode, 2);
        QVERIFY2(both.err.contains("--mtls-everywhere and --lax"), both.err.constData());
        const ProcessResult help = run(QStringLiteral(SANDBOX_PATH), {"serve", "--help"});
        QVERIFY(help.out.contains("--mtls-everywhere"));
        const QString reference = readDoc(QStringLiteral("docs/reference.md"));
        QVERIFY(reference.contains(QStringLiteral("| `--mtls-everywhere` |")));
        QVERIFY(reference.contains(QStringLiteral("[--lax | --mtls-everywhere]")));
    }
};

QTEST_GUILESS_MAIN(TestSandboxMtls)
#include "tst_sandbox_mtls.moc"
