#pragma once

#include "CommandLine.h"
#include "session/Session.h"

namespace dcr::cli {

// --token-url, --scope, --client-secret-file and the auth method option (named methodOption:
// "auth" for 'dcrctl token', "token-auth" for 'dcrctl client').
void addTokenOptions(CommandLine& cmd, const QString& methodOption);
// What those options say: the profile with --token-url and --scope over its own, the auth method
// (the option's, else the profile's) and the client secret.
struct TokenOptionValues {
    Profile profile;
    LifecycleBearerOptions bearer; // method and client secret
};
Result<TokenOptionValues> tokenOptionValues(const CommandLine& cmd, CliIo& io, const Profile& base,
                                            const QString& methodOption);
// --alg over the signing of a private_key_jwt token request.
Status applyAssertionAlgOption(const CommandLine& cmd, TokenRequestSpec& spec);
// The client_credentials request those options (over the profile's settings) describe.
Result<TokenRequestSpec> tokenSpecFromOptions(const CommandLine& cmd, CliIo& io, Session& session,
                                              const Profile& profile, const QString& clientId,
                                              const QString& methodOption);

} // namespace dcr::cli
