#pragma once

#include <QByteArray>

namespace dcr {

// What a file or dropped text holds, judged by its content (never by its name): the console opens
// each kind in its place, and dcrctl can tell a user which command fits.
enum class InputKind {
    RegistrationRequest, // a JWS whose claims carry a software_statement
    SoftwareStatement,   // any other JWS
    ClaimsJson,          // a JSON object of registration claims
    KeyOrCertificate,    // PEM, DER, PKCS#12, a JWK or JWKS
    Empty,
};

InputKind detectInputKind(const QByteArray& bytes);

} // namespace dcr
