#!/usr/bin/env bash
# Sets up a Debian 12 machine (missing packages only), builds, and starts DCR Console. On first
# start the console opens on the "Local sandbox" profile with an in-process sandbox ASPSP.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting the console under Xvfb (xvfb-run)" >&2
  exec xvfb-run -a ./build/dev/app/dcr-console/dcr-console "$@"
fi
exec ./build/dev/app/dcr-console/dcr-console "$@"
