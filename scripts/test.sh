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
