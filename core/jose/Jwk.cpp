#include "Jwk.h"

#include "Base64Url.h"
#include "OpenSsl.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonDocument>

#include <openssl/core_names.h>

namespace dcr::jwk {

namespace {

// Messages the user reads, in the language of the running program.
struct JwkTr {
    Q_DECLARE_TR_FUNCTIONS(Jwk)
};

Result<QByteArray> member(const QJsonObject& jwk, const char* name, bool required = true) {
    const QString key = QString::fromLatin1(name);
    const QJsonValue value = jwk.value(key);
    if (value.isUndefined()) {
        if (required)
            return Error{ErrorKind::JwkInvalid, JwkTr::tr("JWK member \"%1\" is missing").arg(key)};
        return QByteArray();
    }
    if (!value.isString())
        return Error{ErrorKind::JwkInvalid,
                     JwkTr::tr("JWK member \"%1\" must be a base64url string").arg(key)};
    auto bytes = base64url::decode(value.toString().toLatin1());
    if (!bytes)
        return Error{ErrorKind::JwkInvalid,
                     JwkTr::tr("JWK member \"%1\": %2").arg(key, bytes.error().message)};
    if (bytes->isEmpty())
        return Error{ErrorKind::JwkInvalid, JwkTr::tr("JWK member \"%1\" is empty").arg(key)};
    return bytes;
}

bool pushBignum(OSSL_PARAM_BLD* bld, const char* name, const QByteArray& bytes,
                std::vector<ossl::BignumPtr>& keep) {
    BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.constData()),
                           static_cast<int>(bytes.size()), nullptr);
    keep.emplace_back(bn);
    return bn && OSSL_PARAM_BLD_push_BN(bld, name, bn);
}

Result<Key> fromData(const char* type, OSSL_PARAM_BLD* bld, bool isPrivate) {
    ossl::ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &pkey, isPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params.get()) != 1)
        return Error{ErrorKind::JwkInvalid,
                     JwkTr::tr("JWK values do not form a valid %1 key: %2")
                         .arg(QString::fromLatin1(type), ossl::takeErrors())};
    Key key = Key::adopt(pkey);
    // fromdata does not prove that private and public halves belong together.
    if (isPrivate) {
        ossl::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
        if (EVP_PKEY_pairwise_check(check.get()) != 1)
            return Error{ErrorKind::JwkInvalid,
                         JwkTr::tr("JWK private key does not match its public members: %1")
                             .arg(ossl::takeErrors())};
    }
    return key;
}

Result<Key> rsaKey(const QJsonObject& jwk) {
    auto n = member(jwk, "n");
    if (!n)
        return n.error();
    auto e = member(jwk, "e");
    if (!e)
        return e.error();
    auto d = member(jwk, "d", false);
    if (!d)
        return d.error();
    const bool isPrivate = !d->isEmpty();
    ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
    std::vector<ossl::BignumPtr> keep;
    bool ok = pushBignum(bld.get(), OSSL_PKEY_PARAM_RSA_N, *n, keep) &&
              pushBignum(bld.get(), OSSL_PKEY_PARAM_RSA_E, *e, keep);
    if (isPrivate) {
        ok = ok && pushBignum(bld.get(), OSSL_PKEY_PARAM_RSA_D, *d, keep);
        const char* crt[][2] = {{"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
                                {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
                                {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
                                {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
                                {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
        // CRT members are optional in RFC 7518, but all-or-none.
        if (jwk.contains(QStringLiteral("p"))) {
            for (const auto& [jwkName, paramName] : crt) {
                auto value = member(jwk, jwkName);
                if (!value)
                    return value.error();
                ok = ok && pushBignum(bld.get(), paramName, *value, keep);
            }
        }
    }
    if (!ok)
        return Error{ErrorKind::CryptoFailure, JwkTr::tr("could not build RSA parameters")};
    return fromData("RSA", bld.get(), isPrivate);
}

Result<Key> ecKey(const QJsonObject& jwk) {
    const QString crv = jwk.value(QStringLiteral("crv")).toString();
    if (crv != QStringLiteral("P-256"))
        return Error{ErrorKind::KeyUnsupportedType,
                     JwkTr::tr("EC curve \"%1\" is not supported; ES256 needs P-256").arg(crv)};
    auto x = member(jwk, "x");
    if (!x)
        return x.error();
    auto y = member(jwk, "y");
    if (!y)
        return y.error();
    if (x->size() != 32 || y->size() != 32)
        return Error{ErrorKind::JwkInvalid,
                     JwkTr::tr("P-256 coordinates \"x\" and \"y\" must be 32 bytes each")};
    auto d = member(jwk, "d", false);
    if (!d)
        return d.error();
    const bool isPrivate = !d->isEmpty();
    const QByteArray point = QByteArray(1, '\x04') + *x + *y;
    ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
    std::vector<ossl::BignumPtr> keep;
    bool ok =
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                         static_cast<size_t>(point.size()));
    if (isPrivate)
        ok = ok && pushBignum(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, *d, keep);
    if (!ok)
        return Error{ErrorKind::CryptoFailure, JwkTr::tr("could not build EC parameters")};
    return fromData("EC", bld.get(), isPrivate);
}

QString b64(const QByteArray& bytes) {
    return QString::fromLatin1(base64url::encode(bytes));
}

QByteArray bnParam(const Key& key, const char* name, int padTo = 0) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key.raw(), name, &bn) != 1)
        return {};
    ossl::BignumPtr owned(bn);
    return ossl::bignumBytes(bn, padTo);
}

} // namespace

Result<Key> toKey(const QJsonObject& jwk) {
    const QJsonValue kty = jwk.value(QStringLiteral("kty"));
    if (!kty.isString())
        return Error{ErrorKind::JwkInvalid, JwkTr::tr("JWK has no \"kty\" string member")};
    if (kty.toString() == QStringLiteral("RSA"))
        return rsaKey(jwk);
    if (kty.toString() == QStringLiteral("EC"))
        return ecKey(jwk);
    if (kty.toString() == QStringLiteral("oct"))
        return Error{ErrorKind::KeyUnsupportedType,
                     JwkTr::tr("JWK of kty \"oct\" is a shared secret, not a public key; use "
                               "it as an HS256 secret instead")};
    return Error{
        ErrorKind::KeyUnsupportedType,
        JwkTr::tr("JWK kty \"%1\" is not supported (RSA and EC P-256 are)").arg(kty.toString())};
}

QJsonObject fromPublicKey(const Key& key) {
    QJsonObject out;
    switch (key.type()) {
    case KeyType::Rsa:
        out.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
        out.insert(QStringLiteral("n"), b64(bnParam(key, OSSL_PKEY_PARAM_RSA_N)));
        out.insert(QStringLiteral("e"), b64(bnParam(key, OSSL_PKEY_PARAM_RSA_E)));
        break;
    case KeyType::EcP256:
        out.insert(QStringLiteral("kty"), QStringLiteral("EC"));
        out.insert(QStringLiteral("crv"), QStringLiteral("P-256"));
        out.insert(QStringLiteral("x"), b64(bnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, 32)));
        out.insert(QStringLiteral("y"), b64(bnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32)));
        break;
    case KeyType::Unsupported:
        break;
    }
    return out;
}

QString thumbprint(const Key& key) {
    const QJsonObject jwk = fromPublicKey(key);
    if (jwk.isEmpty())
        return {};
    // QJsonObject keeps members sorted and Compact has no whitespace: exactly RFC 7638's form.
    const QByteArray canonical = QJsonDocument(jwk).toJson(QJsonDocument::Compact);
    return b64(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256));
}

} // namespace dcr::jwk
