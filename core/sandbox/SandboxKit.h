#pragma once

#include "jose/Certificate.h"
#include "jose/Key.h"
#include "registration/RegistrationRequest.h"
#include "registration/SandboxMode.h"

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

    // The Open Finance Brasil Directory of Participants' sandbox issuer (DCR 1.0 §9.2) and the
    // CDR Register's (SSA Definition: iss "Value: cdr-register"): the kit's directory key signs
    // their SSAs too, under their own iss.
    static QString ofbDirectoryIssuer() {
        return QStringLiteral("Open Finance Open Finance Brasil sandbox SSA issuer");
    }
    static QString cdrRegisterIssuer() { return QStringLiteral("cdr-register"); }
    // Where the demo software's JWKS is served (the SSA's software_jwks_uri / jwks_uri).
    static QString softwareJwksUri();
    // The SSA's software_api_webhook_uris (Open Finance Brasil DCR v2 §7.1-16).
    static QStringList webhookUris();
    // Brazil SSA claims (DCR 1.0 §8.1, v2 adds software_api_webhook_uris), issued at issuedAt.
    QJsonObject ofbSoftwareStatementClaims(const QDateTime& issuedAt) const;
    // CDR Register SSA claims (SSA Definition table), issued at issuedAt and expiring 10 minutes
    // later ("Software Statements are issued with a 10 minute expiry time").
    QJsonObject cdrSoftwareStatementClaims(const QDateTime& issuedAt) const;
    // A software statement for the mode's directory as of now: freshly signed for ofb (at most 5
    // minutes old is accepted) and cdr (expires after 10 minutes); the kit's ssa.jwt otherwise.
    Result<QByteArray> mintSoftwareStatement(SandboxMode mode, const QDateTime& now) const;

    // Whether jwt is an SSA this kit's directory signed (whatever its age): the embedded
    // sandboxes refresh only those, never one a user brought.
    bool signedSoftwareStatement(const QByteArray& jwt) const;
    // Signs an SSA for the given claims with the directory key (tests use it for foreign SSAs).
    Result<QByteArray> signSoftwareStatement(const QJsonObject& claims) const;
    QJsonObject softwareStatementClaims(const QString& softwareId, const QDateTime& issuedAt) const;

    // A complete, valid registration request for the demo TPP.
    RegistrationRequest demoRequest(const QDateTime& now) const;
    // The demo request as the default draft of a sandbox profile (the console's form, dcrctl test
    // run without --claims): without iat and exp, which every send sets (ClaimsPolicy), so a
    // draft kept open never goes stale. Its jti is replaced on every send as well.
    RegistrationRequest draftRequest(const QDateTime& now) const;
    // The mode's demo request: the two above for seed and obie; for ofb the RFC 7591 JSON
    // metadata a Brazilian client sends (jwks_uri, webhook_uris, private_key_jwt), for cdr the
    // claims of the CDR's "Registration Request using JWT"; each with a fresh SSA of its own.
    RegistrationRequest demoRequest(SandboxMode mode, const QDateTime& now) const;
    RegistrationRequest draftRequest(SandboxMode mode, const QDateTime& now) const;

private:
    QString m_dir;
    Certificate m_caCert, m_serverCert, m_tppTransportCert;
    Key m_caKey, m_serverKey, m_directoryKey, m_tppSigningKey, m_tppTransportKey;
    QByteArray m_ssa;
    QString m_softwareId;
};

QString randomBase62Id(int length = 22);

} // namespace dcr
