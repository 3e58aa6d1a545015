#include "PssSaltLength.h"

#include "OpenSsl.h"

#include <QCoreApplication>
#include <openssl/rsa.h>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct PssSaltLengthTr {
    Q_DECLARE_TR_FUNCTIONS(PssSaltLength)
};

const EVP_MD* digestOf(PssHash hash) {
    switch (hash) {
    case PssHash::Sha256:
        return EVP_sha256();
    case PssHash::Sha384:
        return EVP_sha384();
    case PssHash::Sha512:
        return EVP_sha512();
    }
    return EVP_sha256();
}

QByteArray digest(const EVP_MD* md, const QByteArray& data) {
    QByteArray out(EVP_MD_get_size(md), '\0');
    unsigned int len = 0;
    EVP_Digest(data.constData(), static_cast<size_t>(data.size()),
               reinterpret_cast<unsigned char*>(out.data()), &len, md, nullptr);
    return out.left(static_cast<qsizetype>(len));
}

// RFC 8017 B.2.1 MGF1 with the given hash.
QByteArray mgf1(const EVP_MD* md, const QByteArray& seed, qsizetype length) {
    QByteArray mask;
    for (quint32 counter = 0; mask.size() < length; ++counter) {
        QByteArray block = seed;
        for (int shift = 24; shift >= 0; shift -= 8)
            block.append(static_cast<char>((counter >> shift) & 0xff));
        mask += digest(md, block);
    }
    return mask.left(length);
}

// s^e mod n, left-padded to the modulus length: the encoded message EM (RFC 8017 §8.1.2 step 2).
Result<QByteArray> rawPublicOperation(const Key& key, const QByteArray& signature) {
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.raw(), nullptr));
    size_t length = static_cast<size_t>(EVP_PKEY_get_size(key.raw()));
    QByteArray out(static_cast<qsizetype>(length), '\0');
    const bool ok =
        ctx && EVP_PKEY_verify_recover_init(ctx.get()) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) == 1 &&
        EVP_PKEY_verify_recover(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length,
                                reinterpret_cast<const unsigned char*>(signature.constData()),
                                static_cast<size_t>(signature.size())) == 1;
    const QString why = ossl::takeErrors();
    if (!ok)
        return Error{
            ErrorKind::SignatureInvalid,
            PssSaltLengthTr::tr("the RSA public operation on the signature failed: %1").arg(why)};
    out.truncate(static_cast<qsizetype>(length));
    return out;
}

// RFC 8017 §9.1.2 steps 4-10 on EM (emBits = modBits - 1): the salt, or why EM is not EMSA-PSS.
Result<QByteArray> saltOf(const EVP_MD* md, QByteArray em, int modBits) {
    const int emBits = modBits - 1;
    const qsizetype emLen = (emBits + 7) / 8;
    const int hLen = EVP_MD_get_size(md);
    // The public operation yields k bytes; when emBits is a multiple of 8, EM is one shorter and
    // the leading byte must be zero.
    if (em.size() > emLen) {
        if (em.at(0) != '\0')
            return Error{ErrorKind::SignatureInvalid,
                         PssSaltLengthTr::tr("the encoded message is too long")};
        em.remove(0, em.size() - emLen);
    }
    const auto invalid = [] {
        return Error{ErrorKind::SignatureInvalid,
                     PssSaltLengthTr::tr(
                         "the signature is not an RSASSA-PSS encoding of this message with this "
                         "key and hash")};
    };
    if (em.size() != emLen || emLen < hLen + 2 || static_cast<uchar>(em.back()) != 0xbc)
        return invalid();
    const qsizetype dbLen = emLen - hLen - 1;
    const QByteArray h = em.mid(dbLen, hLen);
    QByteArray db = em.left(dbLen);
    const int unusedBits = 8 * static_cast<int>(emLen) - emBits;
    const uchar topMask = static_cast<uchar>(0xff >> unusedBits);
    if ((static_cast<uchar>(db.at(0)) & ~topMask) != 0)
        return invalid();
    const QByteArray mask = mgf1(md, h, dbLen);
    for (qsizetype i = 0; i < dbLen; ++i)
        db[i] = static_cast<char>(db.at(i) ^ mask.at(i));
    db[0] = static_cast<char>(static_cast<uchar>(db.at(0)) & topMask);
    qsizetype one = 0;
    while (one < dbLen && db.at(one) == '\0')
        ++one;
    if (one == dbLen || db.at(one) != '\x01')
        return invalid();
    return db.mid(one + 1);
}

// OpenSSL's own verdict with exactly saltLength: the check that our parse above agrees with it.
bool opensslVerifies(const Key& key, const EVP_MD* md, int saltLength, const QByteArray& message,
                     const QByteArray& signature) {
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    const bool ok =
        EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key.raw()) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltLength) == 1 &&
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.constData()),
                         static_cast<size_t>(signature.size()),
                         reinterpret_cast<const unsigned char*>(message.constData()),
                         static_cast<size_t>(message.size())) == 1;
    ossl::clearErrors();
    return ok;
}

} // namespace

int pssHashLength(PssHash hash) {
    return EVP_MD_get_size(digestOf(hash));
}

Result<int> pssSaltLength(const Key& publicKey, PssHash hash, const QByteArray& message,
                          const QByteArray& signature) {
    if (publicKey.isNull() || publicKey.type() != KeyType::Rsa)
        return Error{
            ErrorKind::AlgorithmKeyMismatch,
            PssSaltLengthTr::tr("RSASSA-PSS needs an RSA key, not %1")
                .arg(publicKey.isNull() ? PssSaltLengthTr::tr("no key") : publicKey.description())};
    const EVP_MD* md = digestOf(hash);
    auto em = rawPublicOperation(publicKey, signature);
    if (!em)
        return em.error();
    auto salt = saltOf(md, *em, publicKey.bits());
    if (!salt)
        return salt.error();
    // Step 12-14: H = Hash(0x00 * 8 || mHash || salt), which OpenSSL checks for us here.
    const int saltLength = static_cast<int>(salt->size());
    if (!opensslVerifies(publicKey, md, saltLength, message, signature))
        return Error{ErrorKind::SignatureInvalid,
                     PssSaltLengthTr::tr(
                         "the RSASSA-PSS signature does not verify with this key (its %1-byte salt "
                         "was read, but the message hash differs: wrong key or altered token)")
                         .arg(saltLength)};
    return saltLength;
}

} // namespace dcr
