#pragma once

#include "CliSession.h"
#include "CommandLine.h"
#include "session/Session.h"

namespace dcr::cli {

// Where a request goes: --profile NAME (a saved profile, shared with the console), with
// --url/--cert/--key/--cacert/--content-type/--timeout/--insecure overriding its fields, or an
// ad-hoc profile made of those options alone. The session resolves it like the console does.
void addTargetOptions(CommandLine& cmd);
Result<Profile> resolveProfile(const CommandLine& cmd, CliIo& io, const Session& session);

// --signing-key, --signing-passphrase-file, --kid, --alg.
void addSigningOptions(CommandLine& cmd, const QString& keyHelp);
// --alg: PS256, ES256 or RS256 (a registration is never HS256); none given: the session's
// default for the key (signingSetupFor).
Result<std::optional<JwsAlgorithm>> algOption(const CommandLine& cmd);

// --token FILE (sent as it is) or --claims FILE (finalised and signed once by the session, or
// sent as JSON metadata with --body json).
void addRequestOptions(CommandLine& cmd);
// Reads --passphrase-file and --signing-passphrase-file into the passphrase source.
Status readPassphraseFiles(const CommandLine& cmd, CliIo& io, FilePassphrases& passphrases);
// The registration request a command sends; std::nullopt when neither option is given and
// !required.
Result<std::optional<SubmissionPlan>> planRequest(const CommandLine& cmd, CliIo& io,
                                                  Session& session, const Profile& profile,
                                                  bool required);

} // namespace dcr::cli
