#pragma once

#include "TestRunSummary.h"

#include <QByteArray>

namespace dcr {

// A run as JUnit XML for CI: one <testsuite> (the plan) with one <testcase> per scenario;
// failed → <failure>, error → <error>, skipped → <skipped>; history ids in <system-out>.
QByteArray testRunJunitXml(const TestRunSummary& summary);

// A run as one standalone HTML page (no scripts, no external resources): the summary, then each
// scenario with its mutations, request claims, response and verdict. Secrets are masked with
// the same helpers as every other view.
QByteArray testRunHtml(const TestRunSummary& summary);

} // namespace dcr
