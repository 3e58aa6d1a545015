#pragma once

#include "Key.h"
#include "common/Result.h"

#include <QDateTime>
#include <QStringList>

#include <memory>

struct x509_st;

namespace dcr {

// How an X.509 distinguished name is rendered. Banks differ on organizationIdentifier (2.5.4.97):
// RFC 4514 strictly wants the dotted OID for attribute types outside its short table, with the
// value as "#" + hex of its BER encoding (section 2.4; "2.5.4.97=#130f50..." as Go writes it),
// while OpenSSL and many ASPSPs print the name and a string. DistinguishedName compares either.
enum class DnStyle { Rfc4514Oid, Rfc4514Names };

class Certificate {
public:
    Certificate() = default;
    static Certificate adopt(x509_st* cert);
    static Result<Certificate> fromPem(const QByteArray& pem);
    static Result<Certificate> fromDer(const QByteArray& der);

    bool isNull() const { return !m_cert; }

    QString subjectDn(DnStyle style = DnStyle::Rfc4514Oid) const;
    QString issuerDn(DnStyle style = DnStyle::Rfc4514Oid) const;
    QString serialHex() const;
    QDateTime notBefore() const;
    QDateTime notAfter() const;
    bool isValidAt(const QDateTime& when) const;
    Key publicKey() const;
    QString keyDescription() const { return publicKey().description(); }
    QStringList subjectAltNames() const;
    QStringList keyUsage() const;
    QStringList extendedKeyUsage() const;
    // Upper-case hex bytes separated by ':' (as `openssl x509 -fingerprint -sha256` prints).
    QString sha256Fingerprint() const;
    bool matchesPrivateKey(const Key& key) const;

    QByteArray toDer() const;
    QByteArray toPem() const;

    x509_st* raw() const { return m_cert.get(); }

private:
    std::shared_ptr<x509_st> m_cert;
};

} // namespace dcr
