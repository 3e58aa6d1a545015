#pragma once

#include "CommandLine.h"
#include "session/Session.h"

namespace dcr::cli {

// --token-url, --scope, --client-secret-file and the auth method option (named methodOption:
// "auth" for 'dcrctl token', "token-auth" for 'dcrctl client').
void addTokenOptions(CommandLine& cmd, const QString& methodOption);
// The client_credentials request those options (over the profile's settings) describe.
Result<TokenRequestSpec> tokenSpecFromOptions(const CommandLine& cmd, CliIo& io, Session& session,
                                              const Profile& profile, const QString& clientId,
                                              const QString& methodOption);

} // namespace dcr::cli
