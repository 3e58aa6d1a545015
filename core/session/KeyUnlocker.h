#pragma once

#include "PassphraseSource.h"
#include "common/Result.h"

#include <functional>

namespace dcr {

// How often a passphrase or token PIN is asked for one key in one action, and what the prompt
// tells the user. A key file can be retried freely; a token counts wrong PINs and locks, so for a
// token:
//  - its PIN state is read first (no login): a locked PIN fails at once, without a prompt; a token
//    this process is already logged in to (say the signing key's, when the transport key is in
//    the same token) needs no PIN and is not asked again;
//  - every prompt carries what the token reports (final try, a wrong PIN recently);
//  - a wrong PIN is never retried by itself; the user is asked at most TokenPinPrompts times, and
//    not again at all once the token reports its final try: the final try is only ever spent from
//    a prompt that said so, at the start of an action;
//  - a PIN carried by the URI (pin-value, pin-source) is tried once, and never on the final try.
// The secret typed is wiped as soon as the attempt returns.
class KeyUnlocker {
public:
    static constexpr int FilePassphrasePrompts = 3;
    static constexpr int TokenPinPrompts = 2;

    // Loads the key with the secret (empty: none given yet); its error tells what went wrong.
    using Attempt = std::function<Status(const QByteArray& secret)>;

    // role names the key in the errors the unlocker makes itself ("signing key"); the attempt's
    // own errors are returned as they are.
    KeyUnlocker(PassphraseSource* source, const QString& role)
        : m_source(source)
        , m_role(role) {}

    // A pkcs11: URI through unlockToken, anything else as a file.
    Status unlock(const PassphrasePrompt& prompt, const QString& keyPath, const QString& module,
                  const Attempt& attempt);
    Status unlockFile(PassphrasePrompt prompt, const Attempt& attempt);
    // uri: the key's pkcs11: URI; module: the profile's PKCS#11 module (may be empty).
    Status unlockToken(PassphrasePrompt prompt, const QString& uri, const QString& module,
                       const Attempt& attempt);

private:
    std::optional<QByteArray> ask(const PassphrasePrompt& prompt);
    static Status attemptAndWipe(const Attempt& attempt, QByteArray secret);

    PassphraseSource* m_source = nullptr;
    QString m_role;
};

} // namespace dcr
