#pragma once

#include "TestRunSummary.h"

namespace dcr {

// A saved run, named by its run id (as `dcrctl test runs` and the console's Runs list show it)
// among the runs saved in dir, or by the path of a saved run file (one of dir's, or a copy a
// colleague sent). The error says which name was not found and where it was looked for, or why
// the file is not a saved run.
Result<TestRunSummary> findTestRun(const QString& dir, const QString& idOrPath);

} // namespace dcr
