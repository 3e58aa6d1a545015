#include "ScenarioMutation.h"

#include "PlanFieldError.h"
#include "common/Utf8.h"

#include "common/JsonInteger.h"
#include "jose/CertificateBuilder.h"

#include <QJsonDocument>

#include <algorithm>

namespace dcr {

namespace {

const std::pair<MutationKind, const char*> kNames[] = {
    {MutationKind::SetClaim, "set"},
    {MutationKind::ReplaceClaim, "replace"},
    {MutationKind::RemoveClaim, "remove"},
    {MutationKind::ShiftTime, "time"},
    {MutationKind::SignAlgorithm, "alg"},
    {MutationKind::UnknownKey, "unknown_key"},
    {MutationKind::TamperSsaSignature, "tamper_ssa_signature"},
    {MutationKind::ContentType, "content_type"},
    {MutationKind::ReplayJti, "replay_jti"},
    {MutationKind::ClientCertificate, "client_certificate"},
};

// What only means something for a signed (JWT) request body.
bool signedBodyOnly(MutationKind kind) {
    return kind == MutationKind::ShiftTime || kind == MutationKind::SignAlgorithm ||
           kind == MutationKind::UnknownKey || kind == MutationKind::ReplayJti;
}

QString compact(const QJsonValue& v) {
    const QByteArray wrapped =
        QJsonDocument(QJsonObject{{s("v"), v}}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(5).chopped(1)); // {"v":...}
}

} // namespace

QString mutationKindName(MutationKind kind) {
    for (const auto& [k, name] : kNames)
        if (k == kind)
            return s(name);
    return {};
}

std::optional<MutationKind> mutationKindFromName(const QString& name) {
    for (const auto& [k, n] : kNames)
        if (name == QLatin1String(n))
            return k;
    return std::nullopt;
}

Result<ScenarioMutation> ScenarioMutation::fromJson(const QJsonValue& json) {
    if (!json.isObject())
        return planFieldError(s("(mutation)"), s("must be an object like {\"kind\": \"remove\", "
                                                 "\"claim\": \"iss\"}"));
    const QJsonObject o = json.toObject();
    ScenarioMutation m;
    const auto kind = mutationKindFromName(o.value(s("kind")).toString());
    if (!kind) {
        QStringList names;
        for (const auto& [k, n] : kNames)
            names << s(n);
        return planFieldError(
            s("kind"),
            s("\"%1\" is not one of %2").arg(o.value(s("kind")).toString(), names.join(s(", "))));
    }
    m.kind = *kind;
    switch (m.kind) {
    case MutationKind::SetClaim:
    case MutationKind::ReplaceClaim:
        if (!o.contains(s("value")))
            return planFieldError(s("value"), s("required for %1").arg(mutationKindName(m.kind)));
        m.value = o.value(s("value"));
        [[fallthrough]];
    case MutationKind::RemoveClaim:
        m.claim = o.value(s("claim")).toString();
        if (m.claim.isEmpty())
            return planFieldError(
                s("claim"), s("a claim name is required for %1").arg(mutationKindName(m.kind)));
        break;
    case MutationKind::ShiftTime:
        m.claim = o.value(s("claim")).toString();
        if (m.claim != s("iat") && m.claim != s("exp"))
            return planFieldError(s("claim"), s("must be iat or exp, not \"%1\"").arg(m.claim));
        if (!o.value(s("seconds")).isDouble())
            return planFieldError(s("seconds"), s("a number of seconds from now is required"));
        // 1e300 would overflow iat/exp (a cast to qint64 is undefined behaviour, and was seen
        // sending a negative exp): whole seconds within a century either way.
        if (const auto seconds = jsonInteger(o.value(s("seconds")));
            seconds && qAbs(*seconds) <= MaxShiftSeconds)
            m.seconds = *seconds;
        else
            return planFieldError(s("seconds"),
                                  s("%1 is out of range: a whole number from %2 to %3 (100 years)")
                                      .arg(o.value(s("seconds")).toVariant().toString())
                                      .arg(-MaxShiftSeconds)
                                      .arg(MaxShiftSeconds));
        break;
    case MutationKind::SignAlgorithm: {
        m.text = o.value(s("alg")).toString();
        const auto alg = algorithmFromName(m.text);
        if (!alg || *alg == JwsAlgorithm::HS256)
            return planFieldError(s("alg"),
                                  s("must be PS256, RS256 or ES256, not \"%1\"").arg(m.text));
        break;
    }
    case MutationKind::ContentType:
        m.text = o.value(s("content_type")).toString();
        if (m.text.isEmpty() || m.text.contains(u'\n') || m.text.contains(u'\r'))
            return planFieldError(s("content_type"), s("a media type on one line is required"));
        break;
    case MutationKind::ClientCertificate:
        m.text = o.value(s("certificate")).toString();
        if (m.text != s("none") && m.text != s("untrusted"))
            return planFieldError(
                s("certificate"),
                s("must be \"none\" (no client certificate) or \"untrusted\" (one "
                  "from a CA the ASPSP cannot know), not \"%1\"")
                    .arg(o.value(s("certificate")).toVariant().toString()));
        break;
    case MutationKind::UnknownKey:
    case MutationKind::TamperSsaSignature:
    case MutationKind::ReplayJti:
        break;
    }
    return m;
}

QJsonObject ScenarioMutation::toJson() const {
    QJsonObject o{{s("kind"), mutationKindName(kind)}};
    switch (kind) {
    case MutationKind::SetClaim:
    case MutationKind::ReplaceClaim:
        o.insert(s("value"), value);
        [[fallthrough]];
    case MutationKind::RemoveClaim:
        o.insert(s("claim"), claim);
        break;
    case MutationKind::ShiftTime:
        o.insert(s("claim"), claim);
        o.insert(s("seconds"), static_cast<double>(seconds));
        break;
    case MutationKind::SignAlgorithm:
        o.insert(s("alg"), text);
        break;
    case MutationKind::ContentType:
        o.insert(s("content_type"), text);
        break;
    case MutationKind::ClientCertificate:
        o.insert(s("certificate"), text);
        break;
    default:
        break;
    }
    return o;
}

QString ScenarioMutation::describe() const {
    switch (kind) {
    case MutationKind::SetClaim:
    case MutationKind::ReplaceClaim:
        return s("%1 %2 = %3").arg(mutationKindName(kind), claim, compact(value));
    case MutationKind::RemoveClaim:
        return s("remove %1").arg(claim);
    case MutationKind::ShiftTime:
        return s("%1 = now %2 %3 s").arg(claim, seconds < 0 ? s("-") : s("+")).arg(qAbs(seconds));
    case MutationKind::SignAlgorithm:
        return s("sign with %1").arg(text);
    case MutationKind::ContentType:
        return s("Content-Type: %1").arg(text);
    case MutationKind::UnknownKey:
        return s("sign with an unknown key");
    case MutationKind::TamperSsaSignature:
        return s("tamper with the SSA signature");
    case MutationKind::ReplayJti:
        return s("send twice with the same jti");
    case MutationKind::ClientCertificate:
        return text == s("none") ? s("TLS without a client certificate")
                                 : s("TLS with a client certificate from an untrusted CA");
    }
    return {};
}

bool replaysJti(const QList<ScenarioMutation>& mutations) {
    for (const auto& m : mutations)
        if (m.kind == MutationKind::ReplayJti)
            return true;
    return false;
}

Result<SubmissionPlan> planScenarioRequest(const ScenarioMaterial& material,
                                           const QList<ScenarioMutation>& mutations) {
    const bool json = material.target.bodyFormat == RequestBodyFormat::Json;
    if (material.signing.key.isNull() && !json)
        return Error{ErrorKind::SessionNoSigningKey, s("no signing key for the test plan")};
    ClaimsPolicy policy; // a valid baseline: fresh iat, exp and jti on every scenario
    RegistrationRequest claims =
        finaliseClaims(material.draft, policy, material.target.aud, material.now);
    if (material.freshSoftwareStatement && claims.has(s("software_statement")))
        claims.setString(s("software_statement"),
                         material.freshSoftwareStatement(claims.softwareStatement()));
    SigningSetup signing = material.signing;
    Target target = material.target;
    for (const ScenarioMutation& m : mutations) {
        if (json && signedBodyOnly(m.kind))
            return Error{ErrorKind::InputUnreadable,
                         s("%1: applies to signed request bodies, and this profile sends a JSON "
                           "body (RFC 7591: no iat, exp, jti or signature)")
                             .arg(m.describe())};
        switch (m.kind) {
        case MutationKind::ReplaceClaim:
            if (!claims.has(m.claim))
                return Error{ErrorKind::JsonInvalid,
                             s("replace %1: the request has no such claim").arg(m.claim)};
            [[fallthrough]];
        case MutationKind::SetClaim:
            claims.claims().insert(m.claim, m.value);
            break;
        case MutationKind::RemoveClaim:
            claims.remove(m.claim);
            break;
        case MutationKind::ShiftTime:
            claims.setInteger(m.claim, material.now.toSecsSinceEpoch() + m.seconds);
            break;
        case MutationKind::SignAlgorithm:
            signing.alg = *algorithmFromName(m.text);
            break;
        case MutationKind::UnknownKey:
            if (material.unknownKey.isNull())
                return Error{ErrorKind::SessionNoSigningKey, s("no unknown key was made")};
            signing.key = material.unknownKey;
            break;
        case MutationKind::TamperSsaSignature: {
            // One changed character of the signature segment: still a well-formed JWS whose
            // signature cannot verify, so only the signature check can catch it.
            QString ssa = claims.softwareStatement();
            const qsizetype dot = ssa.lastIndexOf(u'.');
            if (dot < 0 || dot + 1 >= ssa.size())
                return Error{
                    ErrorKind::JsonInvalid,
                    s("tamper_ssa_signature: the request has no signed software_statement")};
            ssa[dot + 1] = ssa[dot + 1] == u'A' ? u'B' : u'A';
            claims.setString(s("software_statement"), ssa);
            break;
        }
        case MutationKind::ContentType:
            target.contentType = m.text.toLatin1();
            break;
        case MutationKind::ReplayJti:
            break; // the runner sends the same plan twice
        case MutationKind::ClientCertificate:
            break; // applied to the plan's transport below
        }
    }
    Result<SubmissionPlan> plan = Error{ErrorKind::InputUnreadable, QString()};
    if (json) {
        plan = planJsonRegistration(claims, target);
    } else {
        auto jwt = claims.sign(signing.key, {signing.alg, signing.kid, {}});
        if (!jwt)
            return jwt.error();
        plan = planSignedRegistration(*jwt, target);
    }
    if (!plan)
        return plan;
    if (auto applied = applyTransportMutations(plan->transport, material, mutations); !applied)
        return applied.error();
    return plan;
}

Result<UntrustedIdentity> UntrustedIdentity::make() {
    // EC keys: made in microseconds, and the CA only has to be unknown, not strong.
    auto caKey = Key::generateEcP256();
    if (!caKey)
        return caKey.error();
    CertificateRequest ca;
    ca.commonName = s("DCR Console test plan: a CA no ASPSP trusts");
    ca.isCa = true;
    auto caCert = issueCertificate(ca, *caKey, *caKey);
    if (!caCert)
        return caCert.error();
    auto key = Key::generateEcP256();
    if (!key)
        return key.error();
    CertificateRequest leaf;
    leaf.commonName = s("untrusted TPP (DCR Console test plan)");
    leaf.clientAuth = true;
    auto cert = issueCertificate(leaf, *key, *caKey, *caCert);
    if (!cert)
        return cert.error();
    return UntrustedIdentity{*cert, *key};
}

Status applyTransportMutations(TransportSettings& transport, const ScenarioMaterial& material,
                               const QList<ScenarioMutation>& mutations) {
    for (const ScenarioMutation& m : mutations) {
        if (m.kind != MutationKind::ClientCertificate)
            continue;
        transport.clientChain.clear();
        if (m.text == s("none")) {
            transport.clientCertificate = {};
            transport.clientKey = {};
            continue;
        }
        if (material.untrusted.certificate.isNull())
            return Error{ErrorKind::SessionNotReady,
                         s("client_certificate untrusted: no untrusted identity was made")};
        transport.clientCertificate = material.untrusted.certificate;
        transport.clientKey = material.untrusted.key;
    }
    return {};
}

bool updateStepMutations(const QList<ScenarioMutation>& mutations) {
    return std::none_of(mutations.begin(), mutations.end(), [](const ScenarioMutation& m) {
        return m.kind == MutationKind::ContentType || m.kind == MutationKind::ReplayJti;
    });
}

bool onlyTransportMutations(const QList<ScenarioMutation>& mutations) {
    return std::all_of(mutations.begin(), mutations.end(), [](const ScenarioMutation& m) {
        return m.kind == MutationKind::ClientCertificate;
    });
}

} // namespace dcr
