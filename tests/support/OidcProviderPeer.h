#pragma once

// panva's oidc-provider (tests/peers/oidc-provider, pinned by its lockfile) as a child process:
// a DCR / OAuth server nobody here wrote, on an ephemeral 127.0.0.1 port, over mutual TLS. It
// exits when this object closes its stdin; and, like the other servers the tests start
// (PostgresCluster, startSandboxProcess), the kernel kills it when the test process ends however
// it ends (PR_SET_PDEATHSIG), so a crashed or killed test never leaves it running.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QString>

#include <csignal>
#include <sys/prctl.h>

namespace dcr::test {

class OidcProviderPeer {
public:
    // Starts the server; error() says why not (a missing Node.js or npm ci is a failure).
    OidcProviderPeer(const QString& serverCert, const QString& serverKey, const QString& ca,
                     const QStringList& flags = {}) {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        const QString dir = QStringLiteral(DCR_PEER_DIR);
        if (node.isEmpty()) {
            m_error = QStringLiteral("node is not installed (scripts/setup.sh test installs it)");
            return;
        }
        if (!QFile::exists(dir + QStringLiteral("/node_modules/oidc-provider/package.json"))) {
            m_error = QStringLiteral("%1/node_modules is missing: run 'scripts/setup.sh test' "
                                     "(npm ci)")
                          .arg(dir);
            return;
        }
        m_process.setWorkingDirectory(dir);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_process.start(node, QStringList{QStringLiteral("server.mjs"), QStringLiteral("--cert"),
                                          serverCert, QStringLiteral("--key"), serverKey,
                                          QStringLiteral("--ca"), ca} +
                                  flags);
        if (!m_process.waitForStarted(10000)) {
            m_error = QStringLiteral("node did not start: %1").arg(m_process.errorString());
            return;
        }
        QByteArray line;
        for (int i = 0; i < 300 && !line.contains('\n'); ++i) {
            m_process.waitForReadyRead(100);
            line += m_process.readAllStandardOutput();
            if (m_process.state() != QProcess::Running)
                break;
        }
        m_ready = QJsonDocument::fromJson(line.trimmed()).object();
        if (m_ready.value(QStringLiteral("port")).toInt() == 0)
            m_error = QStringLiteral("oidc-provider did not become ready: %1 %2")
                          .arg(QString::fromUtf8(line),
                               QString::fromUtf8(m_process.readAllStandardError()));
    }
    ~OidcProviderPeer() {
        m_process.closeWriteChannel(); // the peer exits when its stdin closes
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    QString error() const { return m_error; }
    QString value(const char* key) const {
        return m_ready.value(QString::fromLatin1(key)).toString();
    }
    QString registrationEndpoint() const { return value("registration_endpoint"); }
    QString tokenEndpoint() const { return value("token_endpoint"); }
    QString issuer() const { return value("issuer"); }
    QByteArray log() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    QJsonObject m_ready;
    QString m_error;
};

} // namespace dcr::test
