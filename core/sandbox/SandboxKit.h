#pragma once

#include "jose/Certificate.h"
#include "jose/Key.h"
#include "registration/RegistrationRequest.h"

#include <QDateTime>
#include <QStringList>

namespace dcr {

// A self-contained demo PKI and directory: a CA, a localhost server certificate, a directory
// signing key, one demo TPP (signing key, transport certificate from the CA) and an SSA signed by
// the directory whose JWKS endpoints point at the sandbox itself. Everything is demo material,
// written 0600 so it is not mistaken for something to share.
class SandboxKit {
public:
    static constexpr quint16 DefaultPort = 8443;

    static Result<SandboxKit> create(const QString& directory);
    static Result<SandboxKit> load(const QString& directory);
    // Loads the kit in directory, creating it first when absent.
    static Result<SandboxKit> loadOrCreate(const QString& directory);

    QString directory() const { return m_dir; }
    QString path(const QString& file) const;
    QStringList writtenFiles() const;

    const Certificate& caCertificate() const { return m_caCert; }
    const Certificate& serverCertificate() const { return m_serverCert; }
    const Key& serverKey() const { return m_serverKey; }
    const Key& caKey() const { return m_caKey; }
    const Key& directoryKey() const { return m_directoryKey; }
    QString directoryKid() const;
    const Key& tppSigningKey() const { return m_tppSigningKey; }
    QString tppSigningKid() const;
    const Certificate& tppTransportCertificate() const { return m_tppTransportCert; }
    const Key& tppTransportKey() const { return m_tppTransportKey; }
    const QByteArray& softwareStatement() const { return m_ssa; }
    QString softwareId() const { return m_softwareId; }
    // Base62 and at most 18 characters, as OBIE requires of an ASPSP's id.
    QString aud() const { return QStringLiteral("dcrSandboxAspsp"); }
    QStringList redirectUris() const;
    QString directoryIssuer() const { return QStringLiteral("DCR Sandbox Directory"); }

    // Signs an SSA for the given claims with the directory key (tests use it for foreign SSAs).
    Result<QByteArray> signSoftwareStatement(const QJsonObject& claims) const;
    QJsonObject softwareStatementClaims(const QString& softwareId, const QDateTime& issuedAt) const;

    // A complete, valid registration request for the demo TPP.
    RegistrationRequest demoRequest(const QDateTime& now) const;
    // The demo request as the default draft of a sandbox profile (the console's form, dcrctl test
    // run without --claims): without iat and exp, which every send sets (ClaimsPolicy), so a
    // draft kept open never goes stale. Its jti is replaced on every send as well.
    RegistrationRequest draftRequest(const QDateTime& now) const;

private:
    QString m_dir;
    Certificate m_caCert, m_serverCert, m_tppTransportCert;
    Key m_caKey, m_serverKey, m_directoryKey, m_tppSigningKey, m_tppTransportKey;
    QByteArray m_ssa;
    QString m_softwareId;
};

QString randomBase62Id(int length = 22);

} // namespace dcr
