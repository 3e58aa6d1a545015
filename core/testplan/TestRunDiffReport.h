#pragma once

#include "TestRunDiff.h"

#include <QByteArray>

namespace dcr {

// A comparison as one standalone HTML page for the ASPSP's contact (no scripts, no external
// resources), in the style of testRunHtml: both runs, the counts, then each kind of change with
// both sides' verdict and answer, and for what newly fails the new answer's body. Secrets are
// masked with the same helpers as every other view.
QByteArray testRunDiffHtml(const TestRunDiff& diff);

} // namespace dcr
