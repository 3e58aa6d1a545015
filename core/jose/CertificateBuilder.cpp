#include "CertificateBuilder.h"

#include "OpenSsl.h"

#include <QCoreApplication>
#include <openssl/rand.h>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct CertificateBuilderTr {
    Q_DECLARE_TR_FUNCTIONS(CertificateBuilder)
};

bool addEntry(X509_NAME* name, const char* field, const QString& value) {
    if (value.isEmpty())
        return true;
    const QByteArray utf8 = value.toUtf8();
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(utf8.constData()),
                                      static_cast<int>(utf8.size()), -1, 0) == 1;
}

bool addExtension(X509* cert, X509* issuer, int nid, const QString& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    const QByteArray v = value.toLatin1();
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, v.constData());
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

bool setTime(ASN1_TIME* field, const QDateTime& when) {
    return ASN1_TIME_set(field, static_cast<time_t>(when.toSecsSinceEpoch())) != nullptr;
}

} // namespace

Result<Certificate> issueCertificate(const CertificateRequest& request, const Key& subjectKey,
                                     const Key& issuerKey, const Certificate& issuer) {
    if (subjectKey.isNull() || issuerKey.isNull())
        return Error{ErrorKind::KeyMalformed,
                     CertificateBuilderTr::tr(
                         "issuing a certificate needs a subject key and an issuer key")};
    ossl::X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    ossl::BignumPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
    BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));

    const QDateTime notBefore = request.notBefore.isValid()
                                    ? request.notBefore
                                    : QDateTime::currentDateTimeUtc().addSecs(-3600);
    const QDateTime notAfter =
        request.notAfter.isValid() ? request.notAfter : notBefore.addDays(365);
    bool ok = setTime(X509_getm_notBefore(cert.get()), notBefore) &&
              setTime(X509_getm_notAfter(cert.get()), notAfter);

    X509_NAME* name = X509_get_subject_name(cert.get());
    ok = ok && addEntry(name, "C", request.country) && addEntry(name, "O", request.organization) &&
         addEntry(name, "organizationIdentifier", request.organizationIdentifier) &&
         addEntry(name, "CN", request.commonName);
    X509* issuerCert = issuer.isNull() ? cert.get() : issuer.raw();
    ok = ok && X509_set_issuer_name(cert.get(), X509_get_subject_name(issuerCert)) == 1;
    ok = ok && X509_set_pubkey(cert.get(), subjectKey.raw()) == 1;

    ok = ok && addExtension(cert.get(), issuerCert, NID_basic_constraints,
                            request.isCa ? QStringLiteral("critical,CA:TRUE")
                                         : QStringLiteral("critical,CA:FALSE"));
    ok = ok &&
         addExtension(cert.get(), issuerCert, NID_subject_key_identifier, QStringLiteral("hash"));
    if (!issuer.isNull())
        ok = ok && addExtension(cert.get(), issuerCert, NID_authority_key_identifier,
                                QStringLiteral("keyid:always"));
    ok = ok &&
         addExtension(cert.get(), issuerCert, NID_key_usage,
                      request.isCa ? QStringLiteral("critical,keyCertSign,cRLSign")
                                   : QStringLiteral("critical,digitalSignature,keyEncipherment"));
    QStringList eku;
    if (request.serverAuth)
        eku << QStringLiteral("serverAuth");
    if (request.clientAuth)
        eku << QStringLiteral("clientAuth");
    if (!eku.isEmpty())
        ok = ok && addExtension(cert.get(), issuerCert, NID_ext_key_usage, eku.join(u','));
    QStringList sans;
    for (const auto& d : request.dnsNames)
        sans << QStringLiteral("DNS:") + d;
    for (const auto& ip : request.ipAddresses)
        sans << QStringLiteral("IP:") + ip;
    if (!sans.isEmpty())
        ok = ok && addExtension(cert.get(), issuerCert, NID_subject_alt_name, sans.join(u','));

    ok = ok && X509_sign(cert.get(), issuerKey.raw(), EVP_sha256()) > 0;
    if (!ok)
        return Error{ErrorKind::CryptoFailure,
                     CertificateBuilderTr::tr("could not issue the certificate: %1")
                         .arg(ossl::takeErrors())};
    return Certificate::adopt(cert.release());
}

Result<QByteArray> makePkcs12(const Key& key, const Certificate& cert,
                              const QList<Certificate>& chain, const QByteArray& passphrase,
                              const QString& friendlyName) {
    ossl::X509StackPtr ca(sk_X509_new_null());
    for (const auto& c : chain) {
        X509_up_ref(c.raw());
        sk_X509_push(ca.get(), c.raw());
    }
    const QByteArray name = friendlyName.toUtf8();
    ossl::Pkcs12Ptr p12(
        PKCS12_create(passphrase.constData(), name.isEmpty() ? nullptr : name.constData(),
                      key.raw(), cert.raw(), ca.get(), NID_aes_256_cbc, NID_aes_256_cbc, 0, 0, 0));
    if (!p12)
        return Error{ErrorKind::CryptoFailure,
                     CertificateBuilderTr::tr("could not create the PKCS#12 file: %1")
                         .arg(ossl::takeErrors())};
    unsigned char* der = nullptr;
    const int len = i2d_PKCS12(p12.get(), &der);
    QByteArray out(reinterpret_cast<char*>(der), len);
    OPENSSL_free(der);
    return out;
}

} // namespace dcr
