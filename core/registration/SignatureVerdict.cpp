#include "SignatureVerdict.h"

#include <QCoreApplication>

namespace dcr {

namespace {

struct SignatureVerdictTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::SignatureVerdict)
};

} // namespace

SignatureVerdict SignatureVerdict::check(const Jws& jws, const VerificationKey& key,
                                         const QList<JwsAlgorithm>& allowed) {
    auto verified = key.verify(jws, allowed);
    if (verified)
        return valid(*verified);
    return invalid(SignatureVerdictTr::tr("%1 (checked with %2)")
                       .arg(verified.error().message, key.description()));
}

SignatureVerdict verifySoftwareStatement(const Jws& ssa,
                                         const std::optional<VerificationKey>& key) {
    if (!key)
        return {};
    return SignatureVerdict::check(ssa, *key, key->defaultAlgorithms());
}

QString SignatureVerdict::text() const {
    switch (state) {
    case State::NotVerified:
        return SignatureVerdictTr::tr("not verified");
    case State::Valid:
        return SignatureVerdictTr::tr("valid (verified with %1)").arg(detail);
    case State::Invalid:
        return SignatureVerdictTr::tr("invalid: %1").arg(detail);
    }
    return {};
}

} // namespace dcr
