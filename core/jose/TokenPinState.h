#pragma once

#include "Pkcs11Uri.h"
#include "common/Result.h"

#include <QString>

namespace dcr {

// What a token says about its user PIN before anyone types one (PKCS#11 C_GetTokenInfo flags),
// and whether this process is already logged in to it. Read through the module's function list
// without logging in, so reading it can never cost a PIN try. Tokens are not obliged to report the
// try counters: a token that reports none looks like one with all its tries left.
struct TokenPinState {
    QString token;             // the token's label
    bool loginRequired = true; // CKF_LOGIN_REQUIRED: private objects need the user PIN
    bool loggedIn = false;     // this process holds a user session: no PIN is needed again
    bool locked = false;       // CKF_USER_PIN_LOCKED: every login fails until the SO unlocks it
    bool finalTry = false;     // CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks it
    bool countLow = false;     // CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last
                               // good one
    bool ambiguous = false;    // several tokens match the URI (flags are the most cautious mix)

    // The state of the token the URI names in the module. Several matching tokens: locked only
    // when all are, warnings when any has them, logged in only when all are.
    static Result<TokenPinState> read(const QString& modulePath, const Pkcs11Uri& uri);

    bool needsPin() const { return loginRequired && !loggedIn; }
    // "the token locks after one more wrong PIN (CKF_USER_PIN_FINAL_TRY)" and the like; empty
    // when the token reports nothing to warn about.
    QString triesText() const;

    // The error for a locked PIN, the same whether the flags or a refused login found it.
    static Error lockedError(const QString& uriDisplay, const QString& how);
};

} // namespace dcr
