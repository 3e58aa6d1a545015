#pragma once

#include "history/SubmissionRecord.h"
#include "jose/JwsSigner.h"
#include "registration/RegistrationRequest.h"
#include "registration/RequestBodyFormat.h"
#include "transport/HttpExchange.h"
#include "transport/TransportSettings.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

#include <functional>

namespace dcr {

// Where a request goes and how, resolved once from a profile (and a front end's overrides).
struct Target {
    QString profileName; // empty for an ad-hoc target (dcrctl --url)
    QUrl endpoint;       // the registration endpoint
    QString aud;         // filled into requests that have none
    QByteArray contentType = "application/jwt";
    RequestBodyFormat bodyFormat =
        RequestBodyFormat::Jwt; // json: RFC 7591 metadata, nothing signed
    TransportSettings transport;
};

// The key a request is signed with, and how.
struct SigningSetup {
    Key key;
    JwsAlgorithm alg = JwsAlgorithm::PS256;
    QString kid;    // the profile's, or the key's RFC 7638 thumbprint
    QString source; // where the key came from, for the user
};

// How a key signs when nothing else is said: alg as asked, else ES256 for an EC P-256 key and PS256
// for any other; kid as given, else the key's RFC 7638 thumbprint. The one default of every front
// end (the session's profiles, dcrctl sign).
SigningSetup signingSetupFor(const Key& key, std::optional<JwsAlgorithm> alg = std::nullopt,
                             const QString& kid = {}, const QString& source = {});

// How the draft's claims are finalised at the moment of sending.
struct ClaimsPolicy {
    // The console: iat = now and exp = now + lifetime on every send. dcrctl: fill them only when
    // the claims file has none, so a tester can send deliberately expired requests.
    bool refreshTimes = true;
    int lifetimeSeconds = 300;
    // A fresh UUIDv4 jti on every send ("send again" included): an ASPSP rejects a replayed jti.
    // Off only when a tester asks to replay one on purpose (dcrctl --keep-jti).
    bool freshJti = true;
};

// One request, decided completely before anything leaves: the claims were finalised and signed
// once, and the body below is byte for byte what goes over the wire and into the history.
struct SubmissionPlan {
    RegistrationOperation operation = RegistrationOperation::Register;
    QString clientId; // read, update, delete: the client it is about
    QString profile;
    QByteArray method = "POST";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    QByteArray contentType; // empty when there is no body
    RequestBodyFormat bodyFormat = RequestBodyFormat::Jwt;
    QByteArray requestJwt; // the signed request (the body of a JWT POST/PUT), empty otherwise
    // Decoded from the body itself (the signed JWT's claims, or the JSON body's members), never
    // from the draft.
    QJsonObject claims;
    TransportSettings transport;
    // The ASPSP's keys when known (profile or discovery jwks_uri): signed answers are verified.
    std::optional<VerificationKey> responseKey;
    // Decided against before anything leaves (a bearer token to an origin it may not go to,
    // TokenOrigin.h): submitting records the attempt with this as its failure and sends nothing.
    std::optional<Error> refusal;

    // The history's first row for this plan, built from the exact bytes above: the row's request
    // is `body` (a JWT or the JSON metadata) with its Content-Type.
    SubmissionStart historyStart() const;
};

// The claims a draft becomes when it is sent at `now`.
RegistrationRequest finaliseClaims(const RegistrationRequest& draft, const ClaimsPolicy& policy,
                                   const QString& aud, const QDateTime& now);

// Finalised claims signed with the setup: the request JWT a registration sends and the console's
// preview shows. Refused without a key.
Result<QByteArray> signClaims(const RegistrationRequest& claims, const SigningSetup& signing);

// RFC 7592 §2.2 for a signed update body: "The client MUST include its client_id field in the
// request". An update JWT that names no client_id is signed again with it added, by the setup
// signerFor gives for the original's algorithm (keeping its kid), after checking that its key is
// the one that signed the original: nothing is signed with another key than the user's. An
// update already naming the client is returned as it is; one naming another client is refused.
using SignerFor = std::function<Result<SigningSetup>(JwsAlgorithm)>;
Result<QByteArray> updateJwtWithClientId(const QByteArray& jwt, const QString& clientId,
                                         const SignerFor& signerFor);

// POST a new registration: finalise, sign once (signClaims), and describe the request.
Result<SubmissionPlan> planRegistration(const RegistrationRequest& draft,
                                        const SigningSetup& signing, const ClaimsPolicy& policy,
                                        const Target& target, const QDateTime& now);

// POST the draft as RFC 7591 §3.1 JSON metadata: the JWT-only claims (iss, aud, iat, exp, jti) are
// left out, nothing is signed, and the claims recorded are those of the bytes sent.
Result<SubmissionPlan> planJsonRegistration(const RegistrationRequest& draft, const Target& target);

// POST an already signed request JWT as it is (dcrctl submit --token; a received request).
Result<SubmissionPlan> planSignedRegistration(const QByteArray& jwt, const Target& target);

// OBIE / RFC 7592 client management: GET, PUT or DELETE the client's configuration URL,
// authorised with a bearer token. The URL is the registration_client_uri the ASPSP returned when
// there is one (RFC 7592 §3), else {endpoint}/{percent-encoded client_id}. A PUT carries
// requestBody in the target's format: a signed request JWT, or JSON metadata (RFC 7592 §2.2,
// which gets the client_id it MUST include when it has none).
QUrl clientConfigurationUrl(const QUrl& endpoint, const QString& clientId);
Result<SubmissionPlan> planClientOperation(RegistrationOperation operation, const QString& clientId,
                                           const QUrl& registrationClientUri,
                                           const QByteArray& accessToken,
                                           const QByteArray& requestBody, const Target& target);

} // namespace dcr
