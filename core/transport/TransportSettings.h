#pragma once

#include "common/LocalFile.h" // readLocalFile, for the files a profile names
#include "TlsPolicy.h"
#include "jose/Certificate.h"
#include "jose/Key.h"

#include <QList>
#include <QSslConfiguration>

namespace dcr {

// How requests leave the machine: the TPP's transport certificate and key for mutual TLS, extra
// trusted CAs, limits. Built in memory; the passphrase that opened the key is not kept.
struct TransportSettings {
    Certificate clientCertificate;
    Key clientKey;
    QList<Certificate> clientChain;
    QList<Certificate> extraCaCertificates;
    bool insecure = false; // skip server certificate verification; loud everywhere it is on
    int timeoutMs = 30000;
    qint64 maxResponseBytes = 5 * 1024 * 1024;
    // The status line and header fields of an answer together (#21.6): a server that never ends
    // them is cut off here, like an endless body at maxResponseBytes.
    qint64 maxHeaderBytes = 64 * 1024;
    // Which TLS 1.2 suites may carry the request (#21.17): Fapi on profiles of a FAPI spec.
    TlsPolicy tlsPolicy = TlsPolicy::Standard;

    // Loads the client certificate and key from PEM or PKCS#12 files (keyPath may be empty when
    // certPath holds both) and an optional CA bundle. keyPath (and certPath) may instead be an
    // RFC 7512 pkcs11: URI: the key then stays in the token (passphrase is its PIN, pkcs11Module
    // the profile's PKCS#11 module), and with no certPath the token's certificate for the key is
    // used.
    static Result<TransportSettings> fromFiles(const QString& certPath, const QString& keyPath,
                                               const QByteArray& passphrase,
                                               const QString& caBundlePath,
                                               const QString& pkcs11Module = {});

    bool hasClientIdentity() const { return !clientCertificate.isNull() && !clientKey.isNull(); }
    QSslConfiguration sslConfiguration() const;
};

} // namespace dcr
