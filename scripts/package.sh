#!/usr/bin/env bash
# Builds the release preset and makes the Debian package with CPack:
#   build/release/dcr-console_<version>-1_<arch>.deb
# Install it with: apt install ./build/release/dcr-console_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
# Only what the package holds (the programs, man pages, completion, changelog), not the tests
# and benchmarks that the release preset also builds.
cmake --build --preset release -j "$(nproc)" --target dcr-console dcrctl dcr-sandbox dcr_package_files
cd build/release
cpack -G DEB
ls -1 "$PWD"/dcr-console_*.deb
