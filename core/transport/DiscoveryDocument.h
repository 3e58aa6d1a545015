#pragma once

#include "common/Result.h"
#include "registration/Preflight.h"

#include <QUrl>

namespace dcr {

// The parts of an ASPSP's /.well-known/openid-configuration that matter for registration.
struct DiscoveryDocument {
    QUrl issuer;
    QUrl registrationEndpoint;
    // RFC 8705 §5 mtls_endpoint_aliases: the values (the same endpoints at their mutual-TLS
    // addresses), which a bearer token may go to as well as the registration endpoint.
    QList<QUrl> mtlsEndpointAliases;
    SupportedValues supported;

    static Result<DiscoveryDocument> parse(const QByteArray& json);
};

} // namespace dcr
