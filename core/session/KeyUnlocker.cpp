#include "KeyUnlocker.h"

#include "jose/Pkcs11Uri.h"
#include "jose/TokenKeys.h"
#include "jose/TokenPinState.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct KeyUnlockerTr {
    Q_DECLARE_TR_FUNCTIONS(KeyUnlocker)
};

PassphrasePrompt::TokenWarning warningFor(const TokenPinState& state) {
    if (state.finalTry)
        return PassphrasePrompt::TokenWarning::FinalTry;
    if (state.countLow)
        return PassphrasePrompt::TokenWarning::CountLow;
    return PassphrasePrompt::TokenWarning::None;
}

Error finalTryNotUsed(const QString& name, const QString& why) {
    return Error{ErrorKind::TokenPinFinalTry,
                 KeyUnlockerTr::tr("%1: the token locks after one more wrong PIN "
                                   "(CKF_USER_PIN_FINAL_TRY); no PIN was tried: %2")
                     .arg(name, why)};
}

// Why the user is not asked again after a wrong PIN, or nothing when a further prompt is safe.
std::optional<Error> stopAfterWrongPin(const Error& refused, const TokenPinState& after,
                                       int prompts) {
    if (after.locked)
        return Error{ErrorKind::TokenPinLocked,
                     KeyUnlockerTr::tr("%1; the token has now locked its user PIN "
                                       "(CKF_USER_PIN_LOCKED): its security officer must unlock it")
                         .arg(refused.message)};
    if (after.finalTry)
        return Error{refused.kind,
                     KeyUnlockerTr::tr("%1; the token now locks after one more wrong PIN "
                                       "(CKF_USER_PIN_FINAL_TRY), so the PIN is not asked again in "
                                       "this action: check it, then start the action again (its "
                                       "prompt will say it is the final try)")
                         .arg(refused.message)};
    if (prompts >= KeyUnlocker::TokenPinPrompts) {
        const QString tries = after.triesText();
        return Error{refused.kind,
                     KeyUnlockerTr::tr("%1; not asked again in this action (at most %2 PIN prompts "
                                       "per key, so mistyping cannot use up the token's tries); %3")
                         .arg(refused.message)
                         .arg(KeyUnlocker::TokenPinPrompts)
                         .arg(tries.isEmpty()
                                  ? KeyUnlockerTr::tr("the token reports no tries state")
                                  : tries)};
    }
    return std::nullopt;
}

} // namespace

std::optional<QByteArray> KeyUnlocker::ask(const PassphrasePrompt& prompt) {
    if (!m_source)
        return std::nullopt;
    return m_source->passphrase(prompt);
}

Status KeyUnlocker::attemptAndWipe(const Attempt& attempt, QByteArray secret) {
    Status result = attempt(secret);
    secret.fill('\0'); // this copy is the last one the session holds
    return result;
}

Status KeyUnlocker::unlock(const PassphrasePrompt& prompt, const QString& keyPath,
                           const QString& module, const Attempt& attempt) {
    return Pkcs11Uri::looksLike(keyPath) ? unlockToken(prompt, keyPath, module, attempt)
                                         : unlockFile(prompt, attempt);
}

Status KeyUnlocker::unlockFile(PassphrasePrompt prompt, const Attempt& attempt) {
    Status result = attempt({});
    for (int n = 0; n < FilePassphrasePrompts && !result &&
                    (result.error().kind == ErrorKind::KeyPassphraseRequired ||
                     (n > 0 && result.error().kind == ErrorKind::KeyWrongPassphrase));
         ++n) {
        prompt.retry = n > 0;
        auto secret = ask(prompt);
        if (!secret)
            break;
        result = attemptAndWipe(attempt, std::move(*secret));
    }
    return result;
}

Status KeyUnlocker::unlockToken(PassphrasePrompt prompt, const QString& uri, const QString& module,
                                const Attempt& attempt) {
    auto parsed = Pkcs11Uri::parse(uri);
    auto state = tokenkeys::pinState(uri, module);
    // A URI that does not parse, a module or token that is not there: the load says so, in the
    // words of the key it was for. A token that needs no PIN (or is logged in) loads as it is.
    if (!parsed || !state || !state->needsPin())
        return attempt({});
    const QString name = m_role + u' ' + parsed->displayString();
    if (state->locked)
        return TokenPinState::lockedError(
            name, KeyUnlockerTr::tr("CKF_USER_PIN_LOCKED; no PIN was tried"));
    if (tokenkeys::carriesPin(uri)) {
        if (state->finalTry)
            return finalTryNotUsed(
                name,
                KeyUnlockerTr::tr("a PIN kept in the URI (pin-value, pin-source) is never "
                                  "spent on the final try; remove it from the URI so that the "
                                  "console asks with a final-try warning, or give it to "
                                  "dcrctl with --passphrase-file FILE --pin-final-try"));
        return attempt({}); // tried once: nobody to ask whether it was mistyped
    }
    std::optional<Error> refused; // the PIN the token refused last
    for (int prompts = 1;; ++prompts) {
        prompt.retry = prompts > 1;
        prompt.tokenWarning = warningFor(*state);
        auto pin = ask(prompt);
        if (!pin) {
            if (refused) // declined after a refusal: the refused PIN is why there is no key
                return *refused;
            if (prompt.tokenWarning == PassphrasePrompt::TokenWarning::FinalTry)
                return finalTryNotUsed(
                    name,
                    KeyUnlockerTr::tr("no PIN was given for it (the console's prompt was "
                                      "declined; dcrctl spends it only with --passphrase-file "
                                      "FILE --pin-final-try)"));
            return attempt({}); // "the token's user PIN is required"
        }
        Status result = attemptAndWipe(attempt, std::move(*pin));
        if (result || result.error().kind != ErrorKind::KeyWrongPassphrase)
            return result;
        refused = result.error();
        auto after = tokenkeys::pinState(uri, module);
        if (!after)
            return result;
        if (auto stop = stopAfterWrongPin(result.error(), *after, prompts))
            return *stop;
        state = after;
    }
}

} // namespace dcr
