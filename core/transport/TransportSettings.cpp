#include "TransportSettings.h"

#include "jose/KeyMaterial.h"
#include "jose/Pkcs11Uri.h"
#include "jose/TokenKeys.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSslKey>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct TransportSettingsTr {
    Q_DECLARE_TR_FUNCTIONS(TransportSettings)
};

// Qt's copy of a certificate we already hold, from its DER (no PEM text in between).
QSslCertificate qtCertificate(const Certificate& certificate) {
    return QSslCertificate(certificate.toDer(), QSsl::Der);
}

// The certificates (and a private key, for PKCS#12 or PEM bundles) of the transport certificate
// source: a file or a pkcs11: URI naming a certificate in a token.
Result<KeyMaterial> loadCertificateSource(const QString& certPath, const QByteArray& passphrase,
                                          const QString& pkcs11Module) {
    if (Pkcs11Uri::looksLike(certPath)) {
        auto cert = tokenkeys::loadCertificate(certPath, pkcs11Module);
        if (!cert)
            return Error{
                cert.error().kind,
                TransportSettingsTr::tr("transport certificate %1").arg(cert.error().message)};
        KeyMaterial material;
        material.format = QStringLiteral("PKCS#11");
        material.certificates << *cert;
        return material;
    }
    auto certBytes = readLocalFile(certPath);
    if (!certBytes)
        return certBytes.error();
    auto material = keyloader::load(*certBytes, passphrase);
    if (!material)
        return Error{material.error().kind, TransportSettingsTr::tr("transport certificate %1: %2")
                                                .arg(certPath, material.error().message)};
    if (material->certificates.isEmpty())
        return Error{
            ErrorKind::KeyWrongFileType,
            TransportSettingsTr::tr("transport certificate %1 holds no certificate").arg(certPath)};
    return material;
}

Result<KeyMaterial> loadKeySource(const QString& keyPath, const QByteArray& passphrase,
                                  const QString& pkcs11Module) {
    if (Pkcs11Uri::looksLike(keyPath)) {
        auto material = tokenkeys::loadPrivate(keyPath, passphrase, pkcs11Module);
        if (!material)
            return Error{material.error().kind,
                         TransportSettingsTr::tr("transport key %1").arg(material.error().message)};
        return material;
    }
    auto keyBytes = readLocalFile(keyPath);
    if (!keyBytes)
        return keyBytes.error();
    auto keyMaterial = keyloader::load(*keyBytes, passphrase);
    if (!keyMaterial)
        return Error{keyMaterial.error().kind, TransportSettingsTr::tr("transport key %1: %2")
                                                   .arg(keyPath, keyMaterial.error().message)};
    if (!keyMaterial->hasPrivateKey())
        return Error{ErrorKind::KeyWrongFileType,
                     TransportSettingsTr::tr("transport key %1 holds no private key").arg(keyPath)};
    return keyMaterial;
}

} // namespace

Result<TransportSettings> TransportSettings::fromFiles(const QString& certPath,
                                                       const QString& keyPath,
                                                       const QByteArray& passphrase,
                                                       const QString& caBundlePath,
                                                       const QString& pkcs11Module) {
    TransportSettings settings;
    if (!certPath.isEmpty() || Pkcs11Uri::looksLike(keyPath)) {
        QList<Certificate> certificates;
        if (!certPath.isEmpty()) {
            auto material = loadCertificateSource(certPath, passphrase, pkcs11Module);
            if (!material)
                return material.error();
            settings.clientKey = material->privateKey;
            certificates = material->certificates;
        }
        if (!keyPath.isEmpty()) {
            auto keyMaterial = loadKeySource(keyPath, passphrase, pkcs11Module);
            if (!keyMaterial)
                return keyMaterial.error();
            settings.clientKey = keyMaterial->privateKey;
            if (certificates.isEmpty()) // a token key with its certificate beside it
                certificates = keyMaterial->certificates;
        }
        if (settings.clientKey.isNull())
            return Error{
                ErrorKind::KeyWrongFileType,
                TransportSettingsTr::tr("no private key for the transport certificate: give a key "
                                        "file, a pkcs11: URI or a PKCS#12 bundle")};
        if (certificates.isEmpty())
            return Error{
                ErrorKind::TokenObjectNotFound,
                TransportSettingsTr::tr("transport key %1 has no certificate in the token; give "
                                        "the transport certificate file (--cert)")
                    .arg(settings.clientKey.tokenUri())};
        // The leaf is the certificate of our key; everything else is chain.
        for (const auto& c : certificates) {
            if (settings.clientCertificate.isNull() && c.matchesPrivateKey(settings.clientKey))
                settings.clientCertificate = c;
            else
                settings.clientChain << c;
        }
        if (settings.clientCertificate.isNull())
            return Error{ErrorKind::KeyMismatch,
                         TransportSettingsTr::tr(
                             "the transport key does not belong to the certificate in %1")
                             .arg(certPath.isEmpty() ? settings.clientKey.tokenUri() : certPath)};
    }
    if (!caBundlePath.isEmpty()) {
        auto caBytes = readLocalFile(caBundlePath, 8 * 1024 * 1024);
        if (!caBytes)
            return caBytes.error();
        auto material = keyloader::load(*caBytes);
        if (!material || material->certificates.isEmpty())
            return Error{
                ErrorKind::CertificateInvalid,
                TransportSettingsTr::tr("CA bundle %1 holds no certificates").arg(caBundlePath)};
        settings.extraCaCertificates = material->certificates;
    }
    return settings;
}

QSslConfiguration TransportSettings::sslConfiguration() const {
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setPeerVerifyMode(insecure ? QSslSocket::VerifyNone : QSslSocket::VerifyPeer);
    if (const QList<QSslCipher> offered = tlspolicy::offeredCiphers(tlsPolicy); !offered.isEmpty())
        tls.setCiphers(offered);
    if (!extraCaCertificates.isEmpty()) {
        QList<QSslCertificate> cas = tls.caCertificates();
        for (const auto& c : extraCaCertificates)
            cas << qtCertificate(c);
        tls.setCaCertificates(cas);
    }
    if (hasClientIdentity()) {
        const QSslCertificate leaf = qtCertificate(clientCertificate);
        tls.setLocalCertificate(leaf);
        QList<QSslCertificate> chain{leaf};
        for (const auto& c : clientChain)
            chain << qtCertificate(c);
        tls.setLocalCertificateChain(chain);
        // The key already parsed (from a file or in a token) is handed over as it is: Qt's OpenSSL
        // backend takes an EVP_PKEY* as the native handle, with one reference to it. No PEM copy
        // of a private key is made (it would sit unwiped in memory), and nothing is parsed twice
        // (#26: each PEM round trip is an OpenSSL 3 decoder set-up). A token key's private
        // operations run in the token during the handshake.
        tls.setPrivateKey(
            QSslKey(static_cast<Qt::HANDLE>(clientKey.newNativeReference()), QSsl::PrivateKey));
    }
    return tls;
}

} // namespace dcr
