#pragma once

#include "history/SubmissionRecord.h"
#include "jose/JwsSigner.h"
#include "registration/RegistrationRequest.h"
#include "transport/HttpExchange.h"
#include "transport/TransportSettings.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

namespace dcr {

// Where a request goes and how, resolved once from a profile (and a front end's overrides).
struct Target {
    QString profileName; // empty for an ad-hoc target (dcrctl --url)
    QUrl endpoint;       // the registration endpoint
    QString aud;         // filled into requests that have none
    QByteArray contentType = "application/jwt";
    TransportSettings transport;
};

// The key a request is signed with, and how.
struct SigningSetup {
    Key key;
    JwsAlgorithm alg = JwsAlgorithm::PS256;
    QString kid;    // the profile's, or the key's RFC 7638 thumbprint
    QString source; // where the key came from, for the user
};

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
    QString profile;
    QByteArray method = "POST";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    QByteArray contentType; // empty when there is no body
    QByteArray requestJwt;  // the signed request (the body of a POST/PUT), empty otherwise
    QJsonObject claims;     // decoded from requestJwt itself, never from the draft
    TransportSettings transport;

    // The history's first row for this plan, built from the exact bytes above.
    SubmissionStart historyStart() const;
};

// The claims a draft becomes when it is sent at `now`.
RegistrationRequest finaliseClaims(const RegistrationRequest& draft, const ClaimsPolicy& policy,
                                   const QString& aud, const QDateTime& now);

// POST a new registration: finalise, sign once, and describe the request.
Result<SubmissionPlan> planRegistration(const RegistrationRequest& draft,
                                        const SigningSetup& signing, const ClaimsPolicy& policy,
                                        const Target& target, const QDateTime& now);

// POST an already signed request JWT as it is (dcrctl submit --token; a received request).
Result<SubmissionPlan> planSignedRegistration(const QByteArray& jwt, const Target& target);

// OBIE / RFC 7592 client management: GET, PUT (with a signed request) or DELETE
// {endpoint}/{client_id}, authorised with a bearer token.
enum class ClientOperation { Read, Update, Delete };
QUrl clientConfigurationUrl(const QUrl& endpoint, const QString& clientId);
Result<SubmissionPlan> planClientOperation(ClientOperation operation, const QString& clientId,
                                           const QByteArray& accessToken,
                                           const QByteArray& signedRequest, const Target& target);

} // namespace dcr
