#!/usr/bin/env bash
# Regenerates the screenshots in docs/ from the real console under Xvfb, against a fresh
# in-process sandbox (temporary data and settings, nothing of the user's is touched).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target dcr-console -j "$(nproc)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
unset QT_QPA_PLATFORM
console=build/dev/app/dcr-console/dcr-console
shot() { xvfb-run -a -s "-screen 0 1280x860x24" "$console" "$@" 2>/dev/null; }
shot --screenshot docs/console-compose.png --tab compose
shot --send --screenshot docs/console-response.png --tab response
shot --send --screenshot docs/console-history.png --tab history
shot --screenshot docs/console-ssa.png --tab ssa
shot --screenshot docs/console-inspect-seed.png --tab compose resources/examples/seed-example-request.jwt
shot --profile "Local sandbox (OBIE 3.3)" --send --screenshot docs/console-clients.png --tab clients
shot --run-plan --screenshot docs/console-test-plan.png --tab "test plan"
ls -la docs/*.png
