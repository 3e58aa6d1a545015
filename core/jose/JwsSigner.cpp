#include "JwsSigner.h"

#include <QCoreApplication>
#include <atomic>

#include "Base64Url.h"
#include "OpenSsl.h"

#include <QJsonDocument>

#include <openssl/rsa.h>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct JwsSignerTr {
    Q_DECLARE_TR_FUNCTIONS(JwsSigner)
};

QByteArray hmacSha256(const QByteArray& secret, const QByteArray& input) {
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t outLen = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.constData(),
                   static_cast<size_t>(secret.size()),
                   reinterpret_cast<const unsigned char*>(input.constData()),
                   static_cast<size_t>(input.size()), out, sizeof out, &outLen))
        return {};
    return QByteArray(reinterpret_cast<char*>(out), static_cast<qsizetype>(outLen));
}

} // namespace

namespace {
std::atomic<quint64> signatureCounter{0};
} // namespace

quint64 JwsSigner::signaturesMade() {
    return signatureCounter.load(std::memory_order_relaxed);
}

Result<QByteArray> JwsSigner::rawSignature(JwsAlgorithm alg, const Key& key,
                                           const QByteArray& input) {
    signatureCounter.fetch_add(1, std::memory_order_relaxed);
    if (alg == JwsAlgorithm::HS256)
        return Error{ErrorKind::AlgorithmKeyMismatch,
                     JwsSignerTr::tr("HS256 signs with a shared secret, not a private key")};
    const bool wantsRsa = alg != JwsAlgorithm::ES256;
    if ((wantsRsa && key.type() != KeyType::Rsa) || (!wantsRsa && key.type() != KeyType::EcP256))
        return Error{ErrorKind::AlgorithmKeyMismatch,
                     JwsSignerTr::tr("%1 needs %2 key, but the key%4 is %3")
                         .arg(algorithmName(alg),
                              wantsRsa ? JwsSignerTr::tr("an RSA") : JwsSignerTr::tr("an EC P-256"),
                              key.description(),
                              key.isTokenKey() ? QStringLiteral(" ") + key.tokenUri() : QString())};
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr; // owned by ctx
    bool ok = EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.raw()) == 1;
    if (ok && alg == JwsAlgorithm::PS256) {
        // RFC 7518 3.5: MGF1 with SHA-256 and a salt as long as the digest (32 bytes). OpenSSL's
        // default salt is the maximum, which many ASPSPs reject.
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
    } else if (ok && alg == JwsAlgorithm::RS256) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    }
    const auto* data = reinterpret_cast<const unsigned char*>(input.constData());
    size_t len = 0;
    ok = ok &&
         EVP_DigestSign(ctx.get(), nullptr, &len, data, static_cast<size_t>(input.size())) == 1;
    QByteArray sig(static_cast<qsizetype>(len), '\0');
    ok = ok && EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data,
                              static_cast<size_t>(input.size())) == 1;
    if (!ok)
        return Error{
            ErrorKind::CryptoFailure,
            JwsSignerTr::tr("%1 signing failed: %2").arg(algorithmName(alg), ossl::takeErrors())};
    sig.resize(static_cast<qsizetype>(len));
    if (alg != JwsAlgorithm::ES256)
        return sig;
    // OpenSSL produces DER; JWS wants the fixed-width R || S (RFC 7518 3.4).
    const auto* p = reinterpret_cast<const unsigned char*>(sig.constData());
    ossl::EcdsaSigPtr ecdsa(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
    if (!ecdsa)
        return Error{ErrorKind::CryptoFailure,
                     JwsSignerTr::tr("could not decode the ECDSA signature")};
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(ecdsa.get(), &r, &s);
    return ossl::bignumBytes(r, 32) + ossl::bignumBytes(s, 32);
}

Result<QByteArray> JwsSigner::signWithHeader(const QByteArray& headerJson,
                                             const QByteArray& payload, const Key& key,
                                             JwsAlgorithm alg) {
    if (auto ok = checkSigningKey(key); !ok)
        return ok.error();
    const QByteArray input = base64url::encode(headerJson) + '.' + base64url::encode(payload);
    auto sig = rawSignature(alg, key, input);
    if (!sig)
        return sig;
    return input + '.' + base64url::encode(*sig);
}

Result<QByteArray> JwsSigner::sign(const QByteArray& payload, const Key& key,
                                   const JwsSigningOptions& options) {
    QJsonObject header{{QStringLiteral("alg"), algorithmName(options.alg)}};
    if (!options.kid.isEmpty())
        header.insert(QStringLiteral("kid"), options.kid);
    if (!options.typ.isEmpty())
        header.insert(QStringLiteral("typ"), options.typ);
    return signWithHeader(QJsonDocument(header).toJson(QJsonDocument::Compact), payload, key,
                          options.alg);
}

Result<QByteArray> JwsSigner::signClaims(const QJsonObject& claims, const Key& key,
                                         const JwsSigningOptions& options) {
    return sign(QJsonDocument(claims).toJson(QJsonDocument::Compact), key, options);
}

Result<QByteArray> JwsSigner::signHmac(const QByteArray& payload, const QByteArray& secret,
                                       const QString& kid) {
    if (secret.size() < 32)
        return Error{ErrorKind::KeyTooWeak,
                     JwsSignerTr::tr("HS256 secret is %1 bytes; at least 32 bytes are required")
                         .arg(secret.size())};
    QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")}};
    if (!kid.isEmpty())
        header.insert(QStringLiteral("kid"), kid);
    const QByteArray input =
        base64url::encode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        base64url::encode(payload);
    return input + '.' + base64url::encode(hmacSha256(secret, input));
}

} // namespace dcr
