#pragma once

#include "common/Result.h"
#include "registration/Preflight.h"

#include <QUrl>

namespace dcr {

// The parts of an ASPSP's /.well-known/openid-configuration that matter for registration.
struct DiscoveryDocument {
    QUrl issuer;
    QUrl registrationEndpoint;
    SupportedValues supported;

    static Result<DiscoveryDocument> parse(const QByteArray& json);
};

} // namespace dcr
