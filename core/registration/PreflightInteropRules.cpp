#include "PreflightInteropRules.h"

#include "jose/Jwk.h"
#include "jose/JwsVerifier.h"
#include "jose/PssSaltLength.h"

#include <QCoreApplication>
#include <QSet>

namespace dcr {

namespace {

// User-facing text (finding messages), translated in the preflight's context.
struct PreflightInteropRulesTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Preflight)
};

// One set of keys a bank may verify a token with, and how a message names it.
struct KeySource {
    QString owner; // "the directory's", "the software's", "the given"
    QString where; // "the SSA's software_jwks", …
    QList<JwkSetEntry> keys;
    bool isJwks = false; // a JWK Set: a bank selects its key by the header's kid
    bool given = false;  // given by the user: its verdict is already a finding of its own
};

// A signed token and the key sets it may be verified with.
struct SignedToken {
    QString name; // "request", "SSA"
    const Jws& jws;
    QList<KeySource> sources;
};

QString keyName(const JwkSetEntry& entry) {
    const QString thumbprint = jwk::thumbprint(entry.key);
    if (entry.kid.isEmpty())
        return PreflightInteropRulesTr::tr("with RFC 7638 thumbprint %1 (no kid)").arg(thumbprint);
    return PreflightInteropRulesTr::tr("kid=%1 (RFC 7638 thumbprint %2)")
        .arg(entry.kid, thumbprint);
}

QString kidsOf(const QList<JwkSetEntry>& keys) {
    QStringList kids;
    for (const auto& entry : keys)
        kids << (entry.kid.isEmpty() ? PreflightInteropRulesTr::tr("(no kid)") : entry.kid);
    return kids.isEmpty() ? PreflightInteropRulesTr::tr("no keys")
                          : kids.join(QStringLiteral(", "));
}

// The key whose signature this is, whatever PSS salt length it used (which pss-salt-length
// judges on its own): what identifies the key is the mathematics, not the header's kid.
std::optional<JwkSetEntry> signingKeyAmong(const Jws& jws, const QList<JwkSetEntry>& keys) {
    for (const auto& entry : keys) {
        auto ok =
            JwsVerifier::rawVerify(jws.algorithm(), entry.key, jws.signingInput(), jws.signature());
        if (ok || ok.error().kind == ErrorKind::PssSaltLength)
            return entry;
    }
    return std::nullopt;
}

void checkKid(const SignedToken& token, const KeySource& source, preflight::Collector& c) {
    const QString kid = token.jws.kid();
    if (!kid.isEmpty()) {
        for (const auto& entry : source.keys)
            if (entry.kid == kid)
                return;
        c.add("kid-not-in-jwks", QStringLiteral("kid"),
              PreflightInteropRulesTr::tr(
                  "the %1's header names kid \"%2\", which %3 does not hold (it has: %4); a "
                  "bank that selects the key by kid (RFC 7515 §4.1.4: \"The kid (key ID) "
                  "Header Parameter is a hint indicating which key was used to secure the "
                  "JWS\") refuses it, one that tries every key may accept it")
                  .arg(token.name, kid, source.where, kidsOf(source.keys)));
        return;
    }
    if (source.keys.size() > 1)
        c.add("kid-missing", QStringLiteral("kid"),
              PreflightInteropRulesTr::tr(
                  "the %1's header has no kid and %2 holds %3 keys; RFC 7515 §6: \"it is "
                  "necessary for the recipient of a JWS to be able to determine the key that "
                  "was employed\": a bank that selects by kid refuses it, one that tries every "
                  "key accepts it")
                  .arg(token.name, source.where)
                  .arg(source.keys.size()));
}

void checkSaltLength(const SignedToken& token, const JwkSetEntry& key, preflight::Collector& c) {
    if (token.jws.algorithm() != JwsAlgorithm::PS256)
        return; // the only PSS algorithm the parser accepts
    auto salt =
        pssSaltLength(key.key, PssHash::Sha256, token.jws.signingInput(), token.jws.signature());
    const int hashLength = pssHashLength(PssHash::Sha256);
    if (!salt || *salt == hashLength)
        return;
    c.add("pss-salt-length", QString(),
          PreflightInteropRulesTr::tr(
              "the %1's PS256 signature uses a %2-byte PSS salt; RFC 7518 §3.5 requires %3 "
              "(\"The size of the salt value is the same size as the hash function output\"): "
              "a bank that verifies with the salt length fixed at %3 refuses it, one that "
              "detects the salt length accepts it. Sign with a %3-byte salt (openssl: -sigopt "
              "rsa_pss_saltlen:digest)")
              .arg(token.name)
              .arg(*salt)
              .arg(hashLength));
}

// The kid rules per JWK Set, the salt length with the first key that verifies, and, for the
// software's keys (which the given key's verdict does not cover), signature-keys when none of
// them verifies the token. Each key that verifies it goes to verifiedBy when given.
void checkToken(const SignedToken& token, preflight::Collector* c, QStringList* verifiedBy) {
    bool saltChecked = false;
    for (const KeySource& source : token.sources) {
        if (source.keys.isEmpty() && !source.isJwks)
            continue; // a shared secret: no key to name
        if (c && source.isJwks)
            checkKid(token, source, *c);
        const auto key = signingKeyAmong(token.jws, source.keys);
        if (!key) {
            const QString kid = token.jws.kid();
            if (c && !source.given)
                c->add("signature-keys", QString(),
                       PreflightInteropRulesTr::tr(
                           "%1 verified by none of %2 keys in %3: a bank using them refuses "
                           "it and needs the key that signed it (%4)")
                           .arg(token.name, source.owner, source.where,
                                kid.isEmpty()
                                    ? PreflightInteropRulesTr::tr("its header names no kid")
                                    : PreflightInteropRulesTr::tr("its header names kid \"%1\"")
                                          .arg(kid)));
            continue;
        }
        if (verifiedBy)
            *verifiedBy << (source.isJwks
                                ? PreflightInteropRulesTr::tr("%1 verified by %2 key %3 in %4")
                                      .arg(token.name, source.owner, keyName(*key), source.where)
                                : PreflightInteropRulesTr::tr(
                                      "%1 verified by %2 (RFC 7638 thumbprint %3)")
                                      .arg(token.name, source.where, jwk::thumbprint(key->key)));
        if (c && !saltChecked)
            checkSaltLength(token, *key, *c);
        saltChecked = true;
    }
}

KeySource givenSource(const VerificationKey& key, const QString& owner, const QString& jwksWhere,
                      const QString& keyWhere) {
    const bool isJwks = key.jwks().has_value();
    return KeySource{owner, isJwks ? jwksWhere : keyWhere, key.publicKeys(), isJwks, true};
}

QList<KeySource> requestSources(const PreflightInput& in) {
    QList<KeySource> sources;
    if (in.requestKey)
        sources << givenSource(*in.requestKey, PreflightInteropRulesTr::tr("the given"),
                               PreflightInteropRulesTr::tr("the JWKS given for the request"),
                               PreflightInteropRulesTr::tr("the key given for the request"));
    if (!in.ssa)
        return sources;
    if (auto byValue = softwareJwksByValue(*in.ssa); byValue && *byValue)
        sources << KeySource{PreflightInteropRulesTr::tr("the software's"),
                             PreflightInteropRulesTr::tr("the SSA's software_jwks"),
                             (*byValue)->entries(), true};
    if (in.softwareJwksEndpointKeys)
        sources << KeySource{PreflightInteropRulesTr::tr("the software's"),
                             PreflightInteropRulesTr::tr("the JWKS of software_jwks_endpoint %1")
                                 .arg(in.ssa->softwareJwksEndpoint()),
                             in.softwareJwksEndpointKeys->entries(), true};
    return sources;
}

QSet<QString> thumbprints(const QList<JwkSetEntry>& keys) {
    QSet<QString> out;
    for (const auto& entry : keys)
        out.insert(jwk::thumbprint(entry.key));
    return out;
}

QString listed(const QSet<QString>& items) {
    QStringList sorted(items.begin(), items.end());
    sorted.sort();
    return sorted.isEmpty() ? PreflightInteropRulesTr::tr("none")
                            : sorted.join(QStringLiteral(", "));
}

// software_jwks by value beside software_jwks_endpoint: compared only when the endpoint's keys
// are known here (fetched on request or given as a file); nothing is fetched for it.
void checkSsaKeySources(const PreflightInput& in, preflight::Collector& c) {
    if (!in.ssa || !in.softwareJwksEndpointKeys || in.ssa->softwareJwksEndpoint().isEmpty())
        return;
    const auto byValue = softwareJwksByValue(*in.ssa);
    if (!byValue || !*byValue)
        return;
    const QSet<QString> inline_ = thumbprints((*byValue)->entries());
    const QSet<QString> served = thumbprints(in.softwareJwksEndpointKeys->entries());
    if (inline_ == served)
        return;
    c.add("ssa-jwks-mismatch", QStringLiteral("software_jwks"),
          PreflightInteropRulesTr::tr(
              "the SSA's software_jwks and the JWKS of its software_jwks_endpoint %1 hold "
              "different keys (RFC 7638 thumbprints only in software_jwks: %2; only at the "
              "endpoint: %3): a bank that reads one accepts what a bank that reads the other "
              "refuses")
              .arg(in.ssa->softwareJwksEndpoint(), listed(inline_ - served),
                   listed(served - inline_)));
}

void checkRegisteredAlgorithms(const PreflightInput& in, preflight::Collector& c) {
    if (!in.requestAlgorithm)
        return;
    const QString alg = algorithmName(*in.requestAlgorithm);
    const QString tokenClaim = QStringLiteral("token_endpoint_auth_signing_alg");
    const QString tokenAlg = in.request.string(tokenClaim);
    if (!tokenAlg.isEmpty() && tokenAlg != alg)
        c.add("alg-not-registered", tokenClaim,
              PreflightInteropRulesTr::tr(
                  "the request is signed with %1 but registers %2 \"%3\": the bank will refuse "
                  "client assertions signed with anything but %3 (OpenID Connect Registration "
                  "§2: \"All Token Requests using these authentication methods from this "
                  "Client MUST be rejected, if the JWT is not signed with this algorithm\")")
                  .arg(alg, tokenClaim, tokenAlg));
    const QString requestClaim = QStringLiteral("request_object_signing_alg");
    const QString requestAlg = in.request.string(requestClaim);
    if (!requestAlg.isEmpty() && requestAlg != alg)
        c.add("alg-not-registered", requestClaim,
              PreflightInteropRulesTr::tr(
                  "the request is signed with %1 but registers %2 \"%3\": the bank will refuse "
                  "request objects signed with anything but %3 (OpenID Connect Registration "
                  "§2: \"All Request Objects from this Client MUST be rejected, if not signed "
                  "with this algorithm\")")
                  .arg(alg, requestClaim, requestAlg));
}

} // namespace

std::optional<Result<JwkSet>> softwareJwksByValue(const SoftwareStatement& ssa) {
    const QJsonValue value = ssa.claims().value(QStringLiteral("software_jwks"));
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    return value.isObject() ? JwkSet::fromJson(value.toObject())
                            : JwkSet::parse(value.toString().toUtf8());
}

namespace {

// The request and the SSA with the key sets each may be verified with; c and verifiedBy as in
// checkToken.
void checkTokens(const PreflightInput& in, preflight::Collector* c, QStringList* verifiedBy) {
    if (in.requestJws)
        checkToken({PreflightInteropRulesTr::tr("request"), *in.requestJws, requestSources(in)}, c,
                   verifiedBy);
    if (in.ssa && in.ssa->hasJws() && in.ssaKey)
        checkToken({PreflightInteropRulesTr::tr("SSA"),
                    in.ssa->jws(),
                    {givenSource(*in.ssaKey, PreflightInteropRulesTr::tr("the directory's"),
                                 PreflightInteropRulesTr::tr("the directory's JWKS"),
                                 PreflightInteropRulesTr::tr("the directory's key"))}},
                   c, verifiedBy);
}

} // namespace

QStringList signatureKeys(const PreflightInput& in) {
    QStringList lines;
    checkTokens(in, nullptr, &lines);
    return lines;
}

namespace preflight {

void checkSignatureInterop(const PreflightInput& in, Collector& c) {
    checkTokens(in, &c, nullptr);
    checkSsaKeySources(in, c);
    checkRegisteredAlgorithms(in, c);
}

} // namespace preflight

} // namespace dcr
