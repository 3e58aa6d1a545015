#pragma once

#include "common/Result.h"
#include "session/SubmissionPlan.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>

#include <functional>
#include <optional>

namespace dcr {

// One way a test scenario departs from the user's valid request. A scenario applies a list of
// these to the request finalised for the send (fresh iat/exp/jti, the profile's aud), so every
// negative case differs from an accepted request in exactly what it names.
enum class MutationKind {
    SetClaim,           // set a claim to a JSON value (added when absent)
    ReplaceClaim,       // like set, but the claim must already be there (a typo is an error)
    RemoveClaim,        // remove a claim
    ShiftTime,          // set iat or exp to now + seconds (negative: in the past)
    SignAlgorithm,      // sign with another algorithm (PS256, RS256, ES256)
    UnknownKey,         // sign with a fresh key the ASPSP cannot know, under the profile's kid
    TamperSsaSignature, // change one character of the software statement's signature
    ContentType,        // send with another Content-Type
    ReplayJti,          // send the same request twice: the verdict is on the second answer
    ClientCertificate,  // TLS: present no client certificate, or one from a CA nobody trusts
};

QString mutationKindName(MutationKind kind); // "set", "replace", "remove", "time", ...
std::optional<MutationKind> mutationKindFromName(const QString& name);

struct ScenarioMutation {
    MutationKind kind = MutationKind::SetClaim;
    QString claim;      // set, replace, remove, time
    QJsonValue value;   // set, replace
    qint64 seconds = 0; // time: relative to the moment of sending, within +-MaxShiftSeconds
    static constexpr qint64 MaxShiftSeconds = 3155760000; // 100 years of 365.25 days
    QString text; // alg: the algorithm; content_type: the media type;
                  // client_certificate: "none" or "untrusted"

    // Errors name the field ("claim", "value", ...) so a plan error can point at it.
    static Result<ScenarioMutation> fromJson(const QJsonValue& json);
    QJsonObject toJson() const;
    QString describe() const; // one line for reports: "remove iss", "alg RS256"
};

// A TLS client identity no ASPSP can trust: a certificate for TLS client authentication issued
// by a CA made on the spot, whose key never left this process. Made once per run.
struct UntrustedIdentity {
    Certificate certificate;
    Key key;
    static Result<UntrustedIdentity> make();
};

// What a scenario's request is made from: the user's valid draft and how the profile signs and
// sends it. unknownKey and untrusted are made once per run (generating keys per scenario would
// be slow).
struct ScenarioMaterial {
    RegistrationRequest draft;
    SigningSetup signing;
    Target target;
    Key unknownKey;
    UntrustedIdentity untrusted;
    QDateTime now;
    // Set for the embedded Open Finance Brasil and CDR sandboxes (Session::
    // softwareStatementMinter): the request gets a freshly minted SSA before the mutations.
    std::function<QString(const QString& current)> freshSoftwareStatement = {};
};

// The request a scenario sends: the draft finalised at `now` (fresh iat, exp, jti; the profile's
// aud when absent), then each mutation in order, signed once.
Result<SubmissionPlan> planScenarioRequest(const ScenarioMaterial& material,
                                           const QList<ScenarioMutation>& mutations);

bool replaysJti(const QList<ScenarioMutation>& mutations);

// The transport a plan is sent with after the scenario's client_certificate mutations: no
// client identity, or the run's untrusted one. Lifecycle steps use it too.
Status applyTransportMutations(TransportSettings& transport, const ScenarioMaterial& material,
                               const QList<ScenarioMutation>& mutations);

// True when every mutation is one a lifecycle step can take (only the transport ones: a step
// sends the registered client's own request).
bool onlyTransportMutations(const QList<ScenarioMutation>& mutations);
// True when an update step can take every mutation: all but content_type and replay_jti (the
// update's body is mutated like a registration's, then sent once with the profile's type).
bool updateStepMutations(const QList<ScenarioMutation>& mutations);

} // namespace dcr
