#pragma once

namespace dcr {

// The exit codes of every program of the project (dcrctl, dcr-sandbox, dcr-console's --send and
// --run-plan): one table, so that a script reads the console's automation like dcrctl.
enum ExitCode : int {
    ExitOk = 0,
    ExitNegative = 1, // invalid signature, lint errors, an error response, an unmet expectation
    ExitUsage = 2,    // usage error, unreadable or malformed input, nothing sent
    ExitNetwork = 3,  // network or TLS failure
};

} // namespace dcr
