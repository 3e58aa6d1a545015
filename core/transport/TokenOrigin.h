#pragma once

#include "common/Result.h"

#include <QList>
#include <QStringList>
#include <QUrl>

namespace dcr {

// Where a bearer token (an OBIE client_credentials access token, an RFC 7592
// registration_access_token) may be sent. A bank's answer names the client's configuration URL
// (registration_client_uri); without this check any URL it names, another host or plain HTTP,
// would receive the token in clear. RFC 6750 §5.3: "Clients MUST always use TLS (https) or
// equivalent transport security when making requests with bearer tokens."
//
// An origin is RFC 6454's triple, scheme, host and port (the default port made explicit), written
// "https://host[:port]".
struct TokenOrigins {
    QUrl registrationEndpoint; // its origin is always allowed
    // The endpoints a discovery document fetched for the profile names (registration_endpoint,
    // mtls_endpoint_aliases values): the bank said these are its own.
    QList<QUrl> discovered;
    // Origins the user allowed (dcrctl --allow-origin, the profile's "Other origins tokens may go
    // to"), each "https://host[:port]".
    QStringList allowed;
    // The profile is marked insecure (a test bank): plain HTTP to an allowed origin is let
    // through, as TLS verification is off anyway.
    bool insecure = false;
};

// The origin of a URL as text ("https://host" or "https://host:8443"); empty when it has none.
QString originOf(const QUrl& url);
// An origin as the user writes it (--allow-origin, the profile field): "https://host[:port]", a
// trailing "/" tolerated; anything with a path, query or another scheme is refused. Returns the
// origin in originOf's form.
Result<QString> parseOrigin(const QString& text);
// Origins separated by spaces, commas or new lines (the profile field), each parsed.
Result<QStringList> parseOriginList(const QString& text);

// Ok when a bearer token may go to `destination`: https (or http on an insecure profile) to the
// registration endpoint's origin, a discovered one, or an allowed one. Otherwise an error (kind
// NetworkOriginRefused) naming both origins and how to allow the other one: the request must not
// leave, and the attempt is recorded with this error as its failure.
Status checkTokenDestination(const QUrl& destination, const TokenOrigins& origins);

} // namespace dcr
