#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace dcr {

// What a passphrase (or PIN) is needed for. The front end decides how to ask: the console shows a
// dialog, dcrctl reads --passphrase-file / --signing-passphrase-file. Nothing is ever stored.
struct PassphrasePrompt {
    enum class Purpose { SigningKey, TransportKey };
    Purpose purpose = Purpose::SigningKey;
    QString what;          // "the signing key tpp-signing-key.pem", for the user
    QString path;          // the file that needs it
    bool retry = false;    // the previous answer was wrong
    bool tokenPin = false; // a hardware token's user PIN (path is then its pkcs11: URI)
};

class PassphraseSource {
public:
    virtual ~PassphraseSource() = default;
    // std::nullopt: the user cancelled (or no passphrase was given).
    virtual std::optional<QByteArray> passphrase(const PassphrasePrompt& prompt) = 0;
};

} // namespace dcr
