#pragma once

#include "jose/Jws.h"
#include "jose/VerificationKey.h"

#include <QString>

#include <optional>

namespace dcr {

// What is known about one signature: the one verdict preflight's findings, the console's SSA tab
// and `dcrctl lint` all show, in the same words (text()), so they can never disagree.
struct SignatureVerdict {
    enum class State { NotVerified, Valid, Invalid };
    State state = State::NotVerified;
    // Valid: which key or JWKS entry verified it ("JWKS key kid=abc", "shared secret").
    // Invalid: why it does not verify, and with what it was checked.
    QString detail;

    static SignatureVerdict valid(const QString& verifiedWith) {
        return {State::Valid, verifiedWith};
    }
    static SignatureVerdict invalid(const QString& why) { return {State::Invalid, why}; }
    // Verifies jws with key (only the allowed algorithms): Valid with what verified, or Invalid
    // with why not and the key it was checked with.
    static SignatureVerdict check(const Jws& jws, const VerificationKey& key,
                                  const QList<JwsAlgorithm>& allowed);

    bool isValid() const { return state == State::Valid; }
    bool isInvalid() const { return state == State::Invalid; }
    // "not verified", "valid (verified with JWKS key kid=abc)", "invalid: the signature does not
    // match (checked with shared secret)".
    QString text() const;
};

// An SSA's verdict with the key the user gave for its issuer (none: not verified), under the
// algorithms that key is for. Preflight and the SSA tab both ask this one function.
SignatureVerdict verifySoftwareStatement(const Jws& ssa, const std::optional<VerificationKey>& key);

} // namespace dcr
