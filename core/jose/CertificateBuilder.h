#pragma once

#include "Certificate.h"
#include "Key.h"

#include <QDateTime>
#include <QStringList>

namespace dcr {

// What to put into a certificate the sandbox kit (or a test PKI) issues.
struct CertificateRequest {
    QString commonName;
    QString organization;
    QString organizationIdentifier; // 2.5.4.97, as Open Banking transport certificates carry
    QString country;
    QStringList dnsNames;
    QStringList ipAddresses;
    QDateTime notBefore; // default: now - 1 hour
    QDateTime notAfter;  // default: notBefore + 365 days
    bool isCa = false;
    bool serverAuth = false;
    bool clientAuth = false;
};

// Issues a certificate for subjectKey signed by issuerKey. Without an issuer certificate the result
// is self-signed (issuerKey must then be subjectKey).
Result<Certificate> issueCertificate(const CertificateRequest& request, const Key& subjectKey,
                                     const Key& issuerKey, const Certificate& issuer = {});

// PKCS#12 bundle of key + certificate (+ chain) under a passphrase, AES-256 (what openssl 3 makes).
Result<QByteArray> makePkcs12(const Key& key, const Certificate& cert,
                              const QList<Certificate>& chain, const QByteArray& passphrase,
                              const QString& friendlyName = {});

} // namespace dcr
