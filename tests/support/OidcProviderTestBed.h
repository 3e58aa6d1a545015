#pragma once

// What the interop tests against panva's oidc-provider set up first: a sandbox kit (its CA, the
// server identity the provider presents, the TPP's signing key and SSA), a TPP transport
// certificate the kit's CA issues for the subject the test registers (client.pem and
// client-key.pem in the test's folder), and the provider itself over mutual TLS on an ephemeral
// 127.0.0.1 port (OidcProviderPeer). Start it in initTestCase; the provider stops with stop(), with
// this object, and with the test process however that ends.
#include "OidcProviderPeer.h"
#include "TestSupport.h"
#include "jose/CertificateBuilder.h"
#include "sandbox/SandboxKit.h"

#include <QDir>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace dcr::test {

class OidcProviderTestBed {
public:
    // The subject of the TPP's transport certificate (what tls_client_auth_subject_dn names).
    struct Client {
        QString commonName;
        QString organization;
        QString country;
    };

    // Creates the kit in folder/kit and the client certificate in folder, and starts the
    // provider; empty on success, else what went wrong (QVERIFY2 it: a missing Node.js or
    // oidc-provider is a failure, not a skip).
    QString start(const QString& folder, const Client& client) {
        auto kit = SandboxKit::create(QDir(folder).filePath(QStringLiteral("kit")));
        if (!kit)
            return kit.error().message;
        m_kit = *kit;
        const QString issued = writeClientCertificate(folder, client);
        if (!issued.isEmpty())
            return issued;
        m_peer = startPeer();
        return m_peer->error();
    }
    void stop() { m_peer.reset(); }

    const SandboxKit& kit() const { return *m_kit; }
    OidcProviderPeer& peer() { return *m_peer; }

    // Another provider with the same TLS identities and these server.mjs flags (--strict,
    // --rotate-rat, ...); its error() says whether it started.
    std::unique_ptr<OidcProviderPeer> startPeer(const QStringList& flags = {}) const {
        return std::make_unique<OidcProviderPeer>(m_kit->path(QStringLiteral("server.pem")),
                                                  m_kit->path(QStringLiteral("server-key.pem")),
                                                  m_kit->path(QStringLiteral("ca.pem")), flags);
    }

private:
    // A client-auth certificate for a fresh RSA key, issued by the kit's CA.
    QString writeClientCertificate(const QString& folder, const Client& client) const {
        auto key = Key::generateRsa(2048);
        if (!key)
            return key.error().message;
        CertificateRequest request;
        request.commonName = client.commonName;
        request.organization = client.organization;
        request.country = client.country;
        request.clientAuth = true;
        auto cert = issueCertificate(request, *key, m_kit->caKey(), m_kit->caCertificate());
        if (!cert)
            return cert.error().message;
        writeFile(QDir(folder).filePath(QStringLiteral("client.pem")), cert->toPem());
        writeFile(QDir(folder).filePath(QStringLiteral("client-key.pem")), key->privatePkcs8Pem());
        return {};
    }

    std::optional<SandboxKit> m_kit;
    std::unique_ptr<OidcProviderPeer> m_peer;
};

} // namespace dcr::test
