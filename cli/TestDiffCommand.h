#pragma once

#include "CommandLine.h"

namespace dcr::cli {

// dcrctl test diff RUN_A RUN_B [--json] [--html FILE]: two saved runs compared (TestRunDiff).
// Exit 1 when anything fails now that did not in RUN_A, 0 otherwise, 2 on bad input.
int testDiff(const CommandLine& cmd, CliIo& io);

} // namespace dcr::cli
