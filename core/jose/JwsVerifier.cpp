#include "JwsVerifier.h"

#include "OpenSsl.h"

#include <QCoreApplication>
#include <openssl/crypto.h>
#include <openssl/rsa.h>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct JwsVerifierTr {
    Q_DECLARE_TR_FUNCTIONS(JwsVerifier)
};

Status checkAllowed(JwsAlgorithm alg, const QList<JwsAlgorithm>& allowed) {
    if (allowed.contains(alg))
        return {};
    QStringList names;
    for (auto a : allowed)
        names << algorithmName(a);
    return Error{
        ErrorKind::AlgorithmNotAllowed,
        JwsVerifierTr::tr("the token is signed with %1, which is not allowed here (allowed: %2)")
            .arg(algorithmName(alg),
                 names.isEmpty() ? JwsVerifierTr::tr("none") : names.join(QStringLiteral(", ")))};
}

Status checkKeyFits(JwsAlgorithm alg, const Key& key) {
    if (alg == JwsAlgorithm::HS256)
        return Error{
            ErrorKind::AlgorithmKeyMismatch,
            JwsVerifierTr::tr(
                "the token claims HS256 but a %1 public key was given; refusing "
                "(using a public key as an HMAC secret is the classic algorithm-confusion attack)")
                .arg(key.description())};
    const bool wantsRsa = alg != JwsAlgorithm::ES256;
    if ((wantsRsa && key.type() != KeyType::Rsa) || (!wantsRsa && key.type() != KeyType::EcP256))
        return Error{ErrorKind::AlgorithmKeyMismatch,
                     JwsVerifierTr::tr("the token is %1 but the key is %2")
                         .arg(algorithmName(alg), key.description())};
    return {};
}

bool evpVerify(JwsAlgorithm alg, const Key& key, const QByteArray& input, const QByteArray& sig,
               int pssSalt) {
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    bool ok = EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.raw()) == 1;
    if (ok && alg == JwsAlgorithm::PS256)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, pssSalt) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
    else if (ok && alg == JwsAlgorithm::RS256)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    ok = ok && EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.constData()),
                                static_cast<size_t>(sig.size()),
                                reinterpret_cast<const unsigned char*>(input.constData()),
                                static_cast<size_t>(input.size())) == 1;
    ossl::clearErrors();
    return ok;
}

} // namespace

Status JwsVerifier::rawVerify(JwsAlgorithm alg, const Key& key, const QByteArray& input,
                              const QByteArray& signature) {
    if (auto fits = checkKeyFits(alg, key); !fits)
        return fits;
    QByteArray sig = signature;
    if (alg == JwsAlgorithm::ES256) {
        if (signature.size() != 64)
            return Error{ErrorKind::SignatureInvalid,
                         JwsVerifierTr::tr(
                             "ES256 signature is %1 bytes; RFC 7518 requires 64 bytes (R || S), "
                             "not a DER-encoded ECDSA signature")
                             .arg(signature.size())};
        ossl::EcdsaSigPtr ecdsa(ECDSA_SIG_new());
        const auto* raw = reinterpret_cast<const unsigned char*>(signature.constData());
        ECDSA_SIG_set0(ecdsa.get(), BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
        unsigned char* der = nullptr;
        const int len = i2d_ECDSA_SIG(ecdsa.get(), &der);
        sig = QByteArray(reinterpret_cast<char*>(der), len);
        OPENSSL_free(der);
    }
    if (evpVerify(alg, key, input, sig, 32))
        return {};
    if (alg == JwsAlgorithm::PS256 && evpVerify(alg, key, input, sig, RSA_PSS_SALTLEN_AUTO))
        return Error{ErrorKind::PssSaltLength,
                     JwsVerifierTr::tr(
                         "the PS256 signature is mathematically valid but uses a PSS salt length "
                         "other than 32 bytes; RFC 7518 and ASPSPs require 32 (sign with "
                         "-pkeyopt rsa_pss_saltlen:32)")};
    return Error{
        ErrorKind::SignatureInvalid,
        JwsVerifierTr::tr("the %1 signature does not verify with the %2 key (wrong key, or "
                          "the token was altered)")
            .arg(algorithmName(alg), key.description())};
}

Status JwsVerifier::verifyWithKey(const Jws& jws, const Key& key,
                                  const QList<JwsAlgorithm>& allowed) {
    if (auto ok = checkAllowed(jws.algorithm(), allowed); !ok)
        return ok;
    return rawVerify(jws.algorithm(), key, jws.signingInput(), jws.signature());
}

Status JwsVerifier::verifyWithCertificate(const Jws& jws, const Certificate& cert,
                                          const QList<JwsAlgorithm>& allowed) {
    return verifyWithKey(jws, cert.publicKey(), allowed);
}

Result<JwkSetEntry> JwsVerifier::verifyWithJwks(const Jws& jws, const JwkSet& jwks,
                                                const QList<JwsAlgorithm>& allowed) {
    if (auto ok = checkAllowed(jws.algorithm(), allowed); !ok)
        return ok.error();
    auto entry = jwks.select(jws.kid());
    if (!entry)
        return entry;
    if (!entry->use.isEmpty() && entry->use != QStringLiteral("sig"))
        return Error{ErrorKind::AlgorithmKeyMismatch,
                     JwsVerifierTr::tr("the JWKS key \"%1\" has use \"%2\", not \"sig\"")
                         .arg(entry->kid, entry->use)};
    if (!entry->alg.isEmpty() && entry->alg != algorithmName(jws.algorithm()))
        return Error{ErrorKind::AlgorithmKeyMismatch,
                     JwsVerifierTr::tr("the JWKS key \"%1\" is for %2 but the token is %3")
                         .arg(entry->kid, entry->alg, algorithmName(jws.algorithm()))};
    if (auto ok = rawVerify(jws.algorithm(), entry->key, jws.signingInput(), jws.signature()); !ok)
        return ok.error();
    return entry;
}

Status JwsVerifier::verifyWithSecret(const Jws& jws, const QByteArray& secret,
                                     const QList<JwsAlgorithm>& allowed) {
    if (auto ok = checkAllowed(jws.algorithm(), allowed); !ok)
        return ok;
    if (jws.algorithm() != JwsAlgorithm::HS256)
        return Error{ErrorKind::AlgorithmKeyMismatch,
                     JwsVerifierTr::tr("the token is %1; a shared secret only verifies HS256")
                         .arg(algorithmName(jws.algorithm()))};
    if (secret.isEmpty())
        return Error{ErrorKind::KeyMalformed, JwsVerifierTr::tr("the shared secret is empty")};
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t macLen = 0;
    const QByteArray input = jws.signingInput();
    EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.constData(),
              static_cast<size_t>(secret.size()),
              reinterpret_cast<const unsigned char*>(input.constData()),
              static_cast<size_t>(input.size()), mac, sizeof mac, &macLen);
    if (static_cast<size_t>(jws.signature().size()) != macLen ||
        CRYPTO_memcmp(mac, jws.signature().constData(), macLen) != 0)
        return Error{ErrorKind::SignatureInvalid,
                     JwsVerifierTr::tr("the HS256 signature does not match the shared secret")};
    return {};
}

} // namespace dcr
