#!/usr/bin/env bash
# Sets up a Debian 12 machine (missing packages only), builds, and runs the whole test suite.
#   scripts/test.sh          dev preset (Debug, -Werror)
#   scripts/test.sh asan     AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"

bash scripts/setup.sh test
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
export QT_QPA_PLATFORM=offscreen
ctest --preset "$preset" -j "$(nproc)"
# Every throwaway PostgreSQL server dies with the test that started it (tests/support/
# PostgresCluster.h); one still running now is a leak the suite must not hide.
if stray=$(pgrep -af "bin/postgres -D ${TMPDIR:-/tmp}/"); then
  echo "test: PostgreSQL servers outlived the suite:" >&2
  echo "$stray" >&2
  exit 1
fi
# The same for the dcr-sandbox servers tests start (tests/support/TestSupport.h).
if stray=$(pgrep -af "dcr-sandbox serve --dir ${TMPDIR:-/tmp}/"); then
  echo "test: dcr-sandbox servers outlived the suite:" >&2
  echo "$stray" >&2
  exit 1
fi
