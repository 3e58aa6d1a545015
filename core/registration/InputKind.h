#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace dcr {

// What a file or dropped text holds, judged by its content (never by its name): the console opens
// each kind in its place, and dcrctl can tell a user which command fits.
enum class InputKind {
    RegistrationRequest, // a JWS whose claims carry a software_statement (whatever its signature)
    SoftwareStatement,   // any other JWS with JSON claims
    ClaimsJson,          // a JSON object of registration claims
    KeyOrCertificate,    // PEM, DER, PKCS#12, a JWK or JWKS
    Empty,
    Unrecognised, // none of these: InputClassification::reason says why it is not a JWT
};

struct InputClassification {
    InputKind kind = InputKind::Empty;
    // Unrecognised: why it is not a JWT ("it has 2 '.'-separated parts, a JWS has 3 …").
    QString reason;
};

InputClassification classifyInput(const QByteArray& bytes);
inline InputKind detectInputKind(const QByteArray& bytes) {
    return classifyInput(bytes).kind;
}

// The header and claims of something shaped like a compact JWS (three base64url parts, the first
// two JSON objects), read without judging the third part or the algorithm: a request with a
// corrupt or missing signature is still a request by its claims.
struct JwsShape {
    QJsonObject header;
    QJsonObject claims;
};
Result<JwsShape> readJwsShape(const QByteArray& bytes);

} // namespace dcr
