#include "VerificationKey.h"

#include "JwsVerifier.h"
#include "KeyMaterial.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct VerificationKeyTr {
    Q_DECLARE_TR_FUNCTIONS(VerificationKey)
};

} // namespace

Result<VerificationKey> VerificationKey::fromFile(const QByteArray& bytes) {
    auto material = keyloader::load(bytes);
    if (!material)
        return material.error();
    if (material->jwks && material->jwks->entries().size() != 1)
        return fromJwks(*material->jwks);
    std::optional<VerificationKey> single;
    if (!material->certificates.isEmpty())
        single = fromCertificate(material->leaf());
    else if (!material->publicKey.isNull())
        single = fromKey(material->publicKey);
    if (single) {
        single->m_jwks = material->jwks; // a one-key JWKS keeps its kid for the interop rules
        return *single;
    }
    return Error{ErrorKind::KeyWrongFileType,
                 VerificationKeyTr::tr("the file holds no public key to verify with")};
}

QList<JwsAlgorithm> VerificationKey::defaultAlgorithms() const {
    if (std::holds_alternative<Secret>(m_material))
        return {JwsAlgorithm::HS256};
    return asymmetricAlgorithms();
}

Result<QString> VerificationKey::verify(const Jws& jws, const QList<JwsAlgorithm>& allowed) const {
    if (const auto* key = std::get_if<Key>(&m_material)) {
        if (auto ok = JwsVerifier::verifyWithKey(jws, *key, allowed); !ok)
            return ok.error();
        return VerificationKeyTr::tr("%1 key").arg(key->description());
    }
    if (const auto* cert = std::get_if<Certificate>(&m_material)) {
        if (auto ok = JwsVerifier::verifyWithCertificate(jws, *cert, allowed); !ok)
            return ok.error();
        return VerificationKeyTr::tr("certificate %1").arg(cert->subjectDn());
    }
    if (const auto* jwks = std::get_if<JwkSet>(&m_material)) {
        auto entry = JwsVerifier::verifyWithJwks(jws, *jwks, allowed);
        if (!entry)
            return entry.error();
        return VerificationKeyTr::tr("JWKS key %1")
            .arg(entry->kid.isEmpty() ? VerificationKeyTr::tr("(no kid)")
                                      : QStringLiteral("kid=") + entry->kid);
    }
    const auto& secret = std::get<Secret>(m_material);
    if (auto ok = JwsVerifier::verifyWithSecret(jws, secret.bytes, allowed); !ok)
        return ok.error();
    return VerificationKeyTr::tr("shared secret");
}

QList<JwkSetEntry> VerificationKey::publicKeys() const {
    if (m_jwks)
        return m_jwks->entries();
    if (const auto* key = std::get_if<Key>(&m_material))
        return {JwkSetEntry{*key, {}, {}, {}, {}}};
    if (const auto* cert = std::get_if<Certificate>(&m_material))
        return {JwkSetEntry{cert->publicKey(), {}, {}, {}, {*cert}}};
    return {};
}

QString VerificationKey::description() const {
    if (const auto* key = std::get_if<Key>(&m_material))
        return key->description() + VerificationKeyTr::tr(" public key");
    if (const auto* cert = std::get_if<Certificate>(&m_material))
        return VerificationKeyTr::tr("certificate ") + cert->subjectDn();
    if (const auto* jwks = std::get_if<JwkSet>(&m_material))
        return VerificationKeyTr::tr("JWKS with %1 key(s)").arg(jwks->entries().size());
    return VerificationKeyTr::tr("shared secret");
}

} // namespace dcr
