#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace dcr {

// An RFC 6750 section 3 challenge from a WWW-Authenticate header, e.g.
// Bearer realm="example", error="invalid_token", error_description="The access token expired"
struct AuthChallenge {
    QString scheme; // "Bearer", as sent
    QString realm;
    QString error;
    QString errorDescription;
    QString scope;
};

// The first challenge of a WWW-Authenticate value (Bearer preferred); nullopt when the value has
// no scheme. Auth-params may be tokens or quoted strings (RFC 7235 2.1). The value comes from the
// ASPSP, so anything is accepted: characters no grammar rule allows are skipped, an unterminated
// quoted string ends at the end of the value, and parameters other than realm, error,
// error_description and scope are ignored.
std::optional<AuthChallenge> parseWwwAuthenticate(const QByteArray& value);

} // namespace dcr
