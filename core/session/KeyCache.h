#pragma once

#include "PassphraseSource.h"
#include "common/Result.h"
#include "jose/KeyMaterial.h"
#include "transport/TransportSettings.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>

#include <optional>

namespace dcr {

struct Profile;

// The key and certificate material a session loaded, kept in memory only and loaded once: a
// signing key by its path (a file or an RFC 7512 pkcs11: URI), a profile's transport identity by
// its certificate, key and CA bundle paths. Passphrases and PINs come from the front end's
// PassphraseSource through KeyUnlocker and are not kept.
class KeyCache {
    Q_DECLARE_TR_FUNCTIONS(dcr::KeyCache)
public:
    void setPassphraseSource(PassphraseSource* source) { m_passphrases = source; }

    // pkcs11Module: the profile's module, empty for $DCR_PKCS11_MODULE or the p11-kit proxy.
    Result<KeyMaterial> signingKey(const QString& path, const QString& pkcs11Module = {},
                                   KeyPrompt keyPrompt = KeyPrompt::Ask);
    // The profile's transport certificate, key and CA bundle as loaded (the profile's other
    // transport choices, timeout and TLS policy, are not applied here).
    Result<TransportSettings> transport(const Profile& profile);
    // Only what is already loaded: never asks for a passphrase.
    std::optional<TransportSettings> loadedTransport(const Profile& profile) const;

    // The one key a profile's transport material is cached under.
    static QString transportKey(const Profile& profile);

private:
    PassphraseSource* m_passphrases = nullptr;
    QHash<QString, KeyMaterial> m_signingKeys;      // by path
    QHash<QString, TransportSettings> m_transports; // by transportKey()
};

} // namespace dcr
