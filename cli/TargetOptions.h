#pragma once

#include "CommandLine.h"
#include "transport/Profile.h"
#include "transport/TransportSettings.h"

namespace dcr::cli {

// Where a request goes and how: from --profile, or --url/--cert/--key/--cacert given directly.
struct Target {
    QString profileName;
    QUrl endpoint;
    QString aud;
    QByteArray contentType = "application/jwt";
    TransportSettings transport;
    QString signingKeyPath;
    QString signingKid;
};

void addTargetOptions(CommandLine& cmd);
Result<Target> resolveTarget(const CommandLine& cmd, CliIo& io);

// --token FILE, or --claims FILE with --signing-key (profile's key as fallback). Fills iat/exp/jti
// and aud (from the profile) when absent.
void addRequestOptions(CommandLine& cmd);
struct SignedRequest {
    QByteArray jwt;
    QJsonObject claims;
};
Result<SignedRequest> resolveRequest(const CommandLine& cmd, CliIo& io, const Target& target,
                                     bool required);

} // namespace dcr::cli
