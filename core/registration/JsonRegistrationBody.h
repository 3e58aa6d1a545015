#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace dcr {

// The RFC 7591 §3.1 body of a JSON registration: the draft's claims as client metadata, without
// the claims that only make sense in a JWT envelope (iss, aud, iat, exp, jti), and with the SSA,
// when there is one, as the `software_statement` member (RFC 7591 §2.3, "a string value
// containing the entire signed JWT"). Every other claim, known or not, is kept as it is.
class JsonRegistrationBody {
public:
    // iss, aud, iat, exp, jti: the JWT claims of a signed request (RFC 7519 §4.1), not client
    // metadata (RFC 7591 §2).
    static const QStringList& jwtOnlyClaims();
    static bool isJwtOnlyClaim(const QString& name);

    // The metadata a draft becomes: the draft without jwtOnlyClaims().
    static QJsonObject metadata(const QJsonObject& claims);
    // The exact bytes sent: compact UTF-8 JSON of metadata(claims).
    static QByteArray encode(const QJsonObject& claims);
    // A JSON body back into its members (a history row, a received body). Not an object, invalid
    // JSON: InputUnreadable naming the problem and its offset; empty: InputEmpty.
    static Result<QJsonObject> decode(const QByteArray& body);
};

} // namespace dcr
