#pragma once

#include "CommandLine.h"
#include "session/Session.h"

namespace dcr::cli {

// Sends one planned request through the session (recorded unless --no-history), waits for it
// (a command line may block; the library never does) and prints the classified outcome, or JSON
// with --json. Returns dcrctl's exit code.
int sendAndReport(const CommandLine& cmd, CliIo& io, Session& session, const SubmissionPlan& plan);

// Asks the token endpoint and waits; the exchange's failure or the classified answer. Kept in the
// history unless record is false (--no-history).
TokenResult requestTokenAndWait(Session& session, const Profile& profile,
                                const TokenRequestSpec& spec, bool record = true);

} // namespace dcr::cli
