#!/usr/bin/env bash
# Installs the Debian 12 packages DCR Console needs, but only those that are missing, so a second
# run is a no-op that takes about a second.
#   scripts/setup.sh         build, run and test (and package: scripts/package.sh)
#   scripts/setup.sh fuzz    also clang and its sanitizer runtimes (libFuzzer)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
  qt6-httpserver-dev qt6-websockets-dev
  libssl-dev openssl curl
  libbenchmark-dev
  xvfb xauth
  libgl-dev libxkbcommon-dev
  dpkg-dev fakeroot file help2man lintian desktop-file-utils appstream shared-mime-info
  bash-completion
)
if [ "${1:-}" = "fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "setup: need root to install packages (run as root or install sudo)" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
