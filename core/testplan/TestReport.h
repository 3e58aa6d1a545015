#pragma once

#include "TestRunSummary.h"

#include <QByteArray>

namespace dcr {

// A run as JUnit XML for CI: one <testsuite> (the plan) with one <testcase> per scenario;
// failed → <failure>, error → <error>, skipped → <skipped>; history ids in <system-out>.
QByteArray testRunJunitXml(const TestRunSummary& summary);
Status writeTestRunJunitXml(const TestRunSummary& summary, const ByteSink& put);

// A run as one standalone HTML page (no scripts, no external resources): the summary, then each
// scenario with its mutations, request claims, response and verdict. Secrets are masked with
// the same helpers as every other view.
QByteArray testRunHtml(const TestRunSummary& summary);
// The same bytes, put out a scenario at a time (a long run's report never sits whole in memory;
// its spooled details are read back one by one). An unreadable spool stops it with an error.
Status writeTestRunHtml(const TestRunSummary& summary, const ByteSink& put);

using TestRunReportWriter = Status (*)(const TestRunSummary&, const ByteSink&);
// One of the reports (writeTestRunJunitXml, writeTestRunHtml) streamed into a file, atomically.
Status saveTestRunReport(const QString& path, const TestRunSummary& summary,
                         TestRunReportWriter writer);

} // namespace dcr
