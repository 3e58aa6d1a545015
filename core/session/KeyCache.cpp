#include "KeyCache.h"

#include "KeyUnlocker.h"

#include "common/LocalFile.h"
#include "jose/Pkcs11Uri.h"
#include "jose/TokenKeys.h"
#include "transport/Profile.h"

#include <QFileInfo>

namespace dcr {

QString KeyCache::transportKey(const Profile& profile) {
    return profile.transportCertPath + u'\n' + profile.transportKeyPath + u'\n' +
           profile.caBundlePath;
}

Result<KeyMaterial> KeyCache::signingKey(const QString& path, const QString& pkcs11Module,
                                         KeyPrompt keyPrompt) {
    if (auto it = m_signingKeys.constFind(path); it != m_signingKeys.constEnd())
        return *it;
    const bool inToken = Pkcs11Uri::looksLike(path);
    QByteArray bytes;
    if (!inToken) {
        auto read = readLocalFile(path);
        if (!read)
            return read.error();
        bytes = *read;
    }
    // A token's PIN is asked like a file's passphrase and kept no longer, but how often it is
    // asked follows the token's own count of wrong PINs (KeyUnlocker).
    Result<KeyMaterial> material =
        Error{ErrorKind::KeyPassphraseRequired, tr("no passphrase was given")};
    const auto load = [&](const QByteArray& secret) -> Status {
        material = inToken ? tokenkeys::loadSigningKey(path, secret, pkcs11Module)
                           : keyloader::loadSigningKey(bytes, secret);
        if (material)
            return {};
        return Error{material.error().kind,
                     inToken ? tr("signing key %1").arg(material.error().message)
                             : tr("signing key %1: %2").arg(path, material.error().message)};
    };
    const QString shown = withoutPinValue(path);
    const PassphrasePrompt prompt{PassphrasePrompt::Purpose::SigningKey,
                                  inToken
                                      ? tr("the token PIN for the signing key %1").arg(shown)
                                      : tr("the signing key %1").arg(QFileInfo(path).fileName()),
                                  shown, false, inToken};
    // Without a source nobody is asked: a locked key fails as if its prompt had been declined.
    const Status unlocked =
        KeyUnlocker(keyPrompt == KeyPrompt::Ask ? m_passphrases : nullptr, tr("signing key"))
            .unlock(prompt, path, pkcs11Module, load);
    if (!unlocked)
        return unlocked.error();
    m_signingKeys.insert(path, *material);
    return material;
}

Result<TransportSettings> KeyCache::transport(const Profile& profile) {
    const QString key = transportKey(profile);
    if (auto it = m_transports.constFind(key); it != m_transports.constEnd())
        return *it;
    Result<TransportSettings> loaded =
        Error{ErrorKind::KeyPassphraseRequired, tr("no passphrase was given")};
    const auto load = [&](const QByteArray& secret) -> Status {
        loaded = TransportSettings::fromFiles(profile.transportCertPath, profile.transportKeyPath,
                                              secret, profile.caBundlePath, profile.pkcs11Module);
        return loaded ? Status() : Status(loaded.error());
    };
    const bool inToken = Pkcs11Uri::looksLike(profile.transportKeyPath);
    const PassphrasePrompt prompt{
        PassphrasePrompt::Purpose::TransportKey,
        inToken ? tr("the token PIN for the transport key of profile \"%1\"").arg(profile.name)
                : tr("the transport key of profile \"%1\"").arg(profile.name),
        withoutPinValue(profile.transportKeyPath.isEmpty() ? profile.transportCertPath
                                                           : profile.transportKeyPath),
        false, inToken};
    const Status unlocked =
        KeyUnlocker(m_passphrases, tr("transport key"))
            .unlock(prompt, profile.transportKeyPath, profile.pkcs11Module, load);
    if (!unlocked)
        return unlocked.error();
    m_transports.insert(key, *loaded);
    return loaded;
}

std::optional<TransportSettings> KeyCache::loadedTransport(const Profile& profile) const {
    if (auto it = m_transports.constFind(transportKey(profile)); it != m_transports.constEnd())
        return *it;
    return std::nullopt;
}

} // namespace dcr
