#include "TlsPolicy.h"

#include <QCoreApplication>
#include <QHash>
#include <QSslConfiguration>

#include <openssl/ssl.h>

namespace dcr::tlspolicy {

namespace {

// Messages the user reads, in the language of the running program.
struct TlsPolicyTr {
    Q_DECLARE_TR_FUNCTIONS(TlsPolicy)
};

// OpenSSL name -> IANA name for every suite this OpenSSL knows (NULL ones included, so that a
// server's odd choice is named in the terms of the specs).
const QHash<QString, QString>& ianaNames() {
    static const QHash<QString, QString> names = [] {
        QHash<QString, QString> out;
        SSL_CTX* ctx = SSL_CTX_new(TLS_method());
        if (!ctx)
            return out;
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:eNULL");
        if (STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(ctx))
            for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
                const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
                if (const char* iana = SSL_CIPHER_standard_name(c))
                    out.insert(QString::fromLatin1(SSL_CIPHER_get_name(c)),
                               QString::fromLatin1(iana));
            }
        SSL_CTX_free(ctx);
        return out;
    }();
    return names;
}

} // namespace

const QStringList& fapiTls12Suites() {
    static const QStringList suites{QStringLiteral("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
                                    QStringLiteral("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                                    QStringLiteral("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
                                    QStringLiteral("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")};
    return suites;
}

QString standardName(const QSslCipher& cipher) {
    if (cipher.name().startsWith(QStringLiteral("TLS_")))
        return cipher.name(); // TLS 1.3 suites carry their IANA names already
    return ianaNames().value(cipher.name(), cipher.name());
}

QString describe(const QSslCipher& cipher) {
    // Without the protocol: QSslCipher's is the version that defined the suite (AES128-SHA says
    // "SSLv3"), not the one in use; below TLS 1.3 that is TLS 1.2 here (nothing older is
    // offered).
    const QString iana = standardName(cipher);
    const QString version =
        cipher.protocol() == QSsl::TlsV1_3 ? QStringLiteral("TLS 1.3") : QStringLiteral("TLS 1.2");
    return iana == cipher.name()
               ? TlsPolicyTr::tr("the %1 suite %2").arg(version, cipher.name())
               : TlsPolicyTr::tr("the %1 suite %2 (%3)").arg(version, cipher.name(), iana);
}

bool isForwardSecret(const QSslCipher& cipher) {
    if (cipher.protocol() == QSsl::TlsV1_3)
        return true;
    const QString iana = standardName(cipher);
    return iana.startsWith(QStringLiteral("TLS_ECDHE_")) ||
           iana.startsWith(QStringLiteral("TLS_DHE_"));
}

QList<QSslCipher> offeredCiphers(TlsPolicy policy) {
    if (policy == TlsPolicy::Standard)
        return {};
    QList<QSslCipher> out;
    for (const QSslCipher& c : QSslConfiguration::supportedCiphers())
        if (c.protocol() == QSsl::TlsV1_3 || fapiTls12Suites().contains(standardName(c)))
            out << c;
    return out;
}

std::optional<QString> refusal(TlsPolicy policy, const QSslCipher& cipher) {
    if (policy != TlsPolicy::Fapi || cipher.isNull() || cipher.protocol() == QSsl::TlsV1_3 ||
        fapiTls12Suites().contains(standardName(cipher)))
        return std::nullopt;
    return TlsPolicyTr::tr("the server chose %1, which this FAPI profile may not use: FAPI 1.0 "
                           "Advanced §8.5 permits below TLS 1.3 only %2; nothing was sent (the "
                           "ASPSP must offer TLS 1.3 or one of these suites)")
        .arg(describe(cipher), fapiTls12Suites().join(QStringLiteral(", ")));
}

std::optional<QString> warning(TlsPolicy policy, const QSslCipher& cipher) {
    if (policy != TlsPolicy::Standard || cipher.isNull() || isForwardSecret(cipher))
        return std::nullopt;
    return TlsPolicyTr::tr("%1 has no forward secrecy: whoever later obtains the "
                           "server's private key can decrypt this exchange, secrets included "
                           "(a FAPI profile would have refused it)")
        .arg(describe(cipher));
}

} // namespace dcr::tlspolicy
