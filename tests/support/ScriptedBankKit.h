#pragma once

// The sandbox kit as the tests against a scripted (hostile) bank use it: the TPP's transport
// certificate, key and signing key come from the kit, and the scripted bank (ScriptedServer.h)
// answers over TLS with the kit's server certificate, which the kit's CA vouches for, so that
// dcrctl or the console with --cacert ca.pem trusts it as it would trust a real bank.
#include "sandbox/SandboxKit.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <optional>

namespace dcr::test {

class ScriptedBankKit {
public:
    // The scripted bank's TLS configuration: the kit's server certificate and key.
    static QSslConfiguration serverTls(const SandboxKit& kit) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(kit.serverCertificate().toPem()));
        tls.setPrivateKey(QSslKey(kit.serverKey().privatePkcs8Pem(), QSsl::Rsa));
        return tls;
    }

    // Creates the kit in `folder`; empty on success, else what went wrong (QVERIFY2 it).
    QString create(const QString& folder) {
        auto kit = SandboxKit::create(folder);
        if (!kit)
            return kit.error().message;
        m_kit = *kit;
        m_tls = serverTls(*m_kit);
        return {};
    }

    const SandboxKit& kit() const { return *m_kit; }
    // The kit's members as a SandboxKit's (`kit->path("ca.pem")`).
    const SandboxKit* operator->() const { return &*m_kit; }
    const QSslConfiguration& tls() const { return m_tls; }

    // dcrctl's options for a bank at https://localhost:port/register, as the kit's TPP over
    // mutual TLS (the kit's CA trusted).
    QStringList transportArgs(quint16 port) const {
        return {
            QStringLiteral("--url"),    QStringLiteral("https://localhost:%1/register").arg(port),
            QStringLiteral("--cert"),   m_kit->path(QStringLiteral("tpp-transport.pem")),
            QStringLiteral("--key"),    m_kit->path(QStringLiteral("tpp-transport-key.pem")),
            QStringLiteral("--cacert"), m_kit->path(QStringLiteral("ca.pem"))};
    }

private:
    std::optional<SandboxKit> m_kit;
    QSslConfiguration m_tls;
};

} // namespace dcr::test
