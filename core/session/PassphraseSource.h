#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace dcr {

// What a passphrase (or PIN) is needed for. The front end decides how to ask: the console shows a
// dialog, dcrctl reads --passphrase-file / --signing-passphrase-file. Nothing is ever stored.
struct PassphrasePrompt {
    enum class Purpose { SigningKey, TransportKey };
    // What the token said about its PIN tries just before this prompt (PKCS#11 token flags).
    enum class TokenWarning {
        None,
        CountLow, // CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last good one
        FinalTry, // CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the token
    };
    Purpose purpose = Purpose::SigningKey;
    QString what;          // "the signing key tpp-signing-key.pem", for the user
    QString path;          // the file that needs it
    bool retry = false;    // the previous answer was wrong
    bool tokenPin = false; // a hardware token's user PIN (path is then its pkcs11: URI)
    TokenWarning tokenWarning = TokenWarning::None;

    // The warning in words, for the dialog and dcrctl's notices; empty when there is none.
    QString tokenWarningText() const {
        switch (tokenWarning) {
        case TokenWarning::FinalTry:
            return QStringLiteral("The token locks after one more wrong PIN.");
        case TokenWarning::CountLow:
            return QStringLiteral("A wrong PIN was entered recently; the token locks after too "
                                  "many wrong PINs.");
        case TokenWarning::None:
            break;
        }
        return {};
    }
};

// Whether loading a key may ask for its passphrase or PIN. Never: only a key already unlocked in
// this session, or one that needs none, is used; a locked key is an error and nobody is asked (the
// console's compose preview, which must not open a dialog while the user types).
enum class KeyPrompt { Ask, Never };

class PassphraseSource {
public:
    virtual ~PassphraseSource() = default;
    // std::nullopt: the user cancelled (or no passphrase was given).
    virtual std::optional<QByteArray> passphrase(const PassphrasePrompt& prompt) = 0;
};

} // namespace dcr
