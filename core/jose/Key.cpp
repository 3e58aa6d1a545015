#include "Key.h"

#include "OpenSsl.h"

#include <QCoreApplication>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct KeyTr {
    Q_DECLARE_TR_FUNCTIONS(Key)
};

// A new key holding only the public half of key, made by the key's own key manager; null when
// the key has no provider data to export (an engine key).
EVP_PKEY* publicHalf(EVP_PKEY* key) {
    OSSL_PARAM* params = nullptr;
    if (EVP_PKEY_todata(key, EVP_PKEY_PUBLIC_KEY, &params) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    EVP_PKEY* pub = nullptr;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
    if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pub, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        EVP_PKEY_free(pub);
        pub = nullptr;
        ERR_clear_error();
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pub;
}

} // namespace

Key Key::adopt(EVP_PKEY* pkey) {
    Key key;
    key.m_pkey = std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
    return key;
}

Key Key::adoptTokenKey(EVP_PKEY* pkey, const QString& uri, std::shared_ptr<void> owner) {
    Key key = adopt(pkey);
    key.m_tokenUri = uri;
    key.m_tokenOwner = std::move(owner);
    return key;
}

void* Key::newNativeReference() const {
    if (!m_pkey || EVP_PKEY_up_ref(m_pkey.get()) != 1)
        return nullptr;
    return m_pkey.get();
}

Result<Key> Key::generateRsa(int bits) {
    EVP_PKEY* pkey = EVP_RSA_gen(static_cast<unsigned>(bits));
    if (!pkey)
        return Error{ErrorKind::CryptoFailure,
                     KeyTr::tr("RSA key generation failed: %1").arg(ossl::takeErrors())};
    return adopt(pkey);
}

Result<Key> Key::generateEcP256() {
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    if (!pkey)
        return Error{ErrorKind::CryptoFailure,
                     KeyTr::tr("EC key generation failed: %1").arg(ossl::takeErrors())};
    return adopt(pkey);
}

KeyType Key::type() const {
    if (!m_pkey)
        return KeyType::Unsupported;
    if (EVP_PKEY_is_a(m_pkey.get(), "RSA"))
        return KeyType::Rsa;
    if (EVP_PKEY_is_a(m_pkey.get(), "EC")) {
        char group[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(m_pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group,
                                           sizeof group, &len) &&
            (qstrcmp(group, "prime256v1") == 0 || qstrcmp(group, "P-256") == 0))
            return KeyType::EcP256;
    }
    return KeyType::Unsupported;
}

int Key::bits() const {
    return m_pkey ? EVP_PKEY_get_bits(m_pkey.get()) : 0;
}

bool Key::hasPrivate() const {
    if (!m_pkey)
        return false;
    if (isTokenKey()) // the token holds the private half; OpenSSL only sees the public one
        return true;
    BIGNUM* bn = nullptr;
    const char* name = type() == KeyType::Rsa ? OSSL_PKEY_PARAM_RSA_D : OSSL_PKEY_PARAM_PRIV_KEY;
    if (EVP_PKEY_get_bn_param(m_pkey.get(), name, &bn) == 1) {
        BN_clear_free(bn);
        return true;
    }
    ossl::clearErrors();
    return false;
}

QString Key::description() const {
    if (!m_pkey)
        return QStringLiteral("no key");
    switch (type()) {
    case KeyType::Rsa:
        return QStringLiteral("RSA %1-bit").arg(bits());
    case KeyType::EcP256:
        return QStringLiteral("EC P-256");
    case KeyType::Unsupported:
        break;
    }
    const char* name = EVP_PKEY_get0_type_name(m_pkey.get());
    QString text = name ? QString::fromLatin1(name) : QStringLiteral("unknown");
    if (EVP_PKEY_is_a(m_pkey.get(), "EC")) {
        char group[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(m_pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group,
                                           sizeof group, &len))
            text += QStringLiteral(" ") + QString::fromLatin1(group);
    }
    return text + QStringLiteral(" %1-bit").arg(bits());
}

Key Key::publicKey() const {
    if (!m_pkey)
        return {};
    // The public parameters through the key's own key manager (EVP_PKEY_todata / fromdata):
    // OpenSSL 3.0 sets up a decoder for every DER decode (about 0.3 ms each, #26), this takes
    // about 0.01 ms.
    if (EVP_PKEY* pub = isTokenKey() ? nullptr : publicHalf(m_pkey.get()))
        return adopt(pub);
    // A token key (an engine's), or one without provider data: round-trip through
    // SubjectPublicKeyInfo DER, the provider-neutral way to drop the private half.
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(m_pkey.get(), &der);
    if (len <= 0)
        return {};
    const unsigned char* p = der;
    EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, len);
    OPENSSL_free(der);
    return pub ? adopt(pub) : Key{};
}

bool Key::samePublicKey(const Key& other) const {
    if (!m_pkey || !other.m_pkey)
        return false;
    return EVP_PKEY_eq(m_pkey.get(), other.m_pkey.get()) == 1;
}

QByteArray Key::publicPem() const {
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!m_pkey || !PEM_write_bio_PUBKEY(bio.get(), m_pkey.get()))
        return {};
    return ossl::bioContents(bio.get());
}

QByteArray Key::privatePkcs8Pem() const {
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!m_pkey || isTokenKey() ||
        !PEM_write_bio_PrivateKey(bio.get(), m_pkey.get(), nullptr, nullptr, 0, nullptr, nullptr))
        return {};
    return ossl::bioContents(bio.get());
}

QByteArray Key::privateEncryptedPem(const QByteArray& passphrase) const {
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!m_pkey || isTokenKey() ||
        !PEM_write_bio_PKCS8PrivateKey(bio.get(), m_pkey.get(), EVP_aes_256_cbc(),
                                       passphrase.constData(), static_cast<int>(passphrase.size()),
                                       nullptr, nullptr))
        return {};
    return ossl::bioContents(bio.get());
}

Status checkSigningKey(const Key& key) {
    if (key.isNull())
        return Error{ErrorKind::KeyMalformed, KeyTr::tr("no signing key was given")};
    if (!key.hasPrivate())
        return Error{ErrorKind::KeyWrongFileType,
                     KeyTr::tr("the key is a public key; signing needs the private key")};
    switch (key.type()) {
    case KeyType::Rsa:
        if (key.bits() < 2048)
            return Error{ErrorKind::KeyTooWeak,
                         KeyTr::tr("RSA key has %1 bits; at least 2048 bits are required for "
                                   "signing (generate a new key: openssl genpkey -algorithm "
                                   "RSA -pkeyopt rsa_keygen_bits:2048)")
                             .arg(key.bits())};
        return {};
    case KeyType::EcP256:
        return {};
    case KeyType::Unsupported:
        break;
    }
    return Error{ErrorKind::KeyUnsupportedType,
                 KeyTr::tr("%1 keys cannot sign Open Banking requests; use an RSA (PS256, "
                           "RS256) or EC P-256 (ES256) key")
                     .arg(key.description())};
}

} // namespace dcr
