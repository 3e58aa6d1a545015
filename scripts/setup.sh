#!/usr/bin/env bash
# Installs the Debian 12 packages DCR Console needs, but only those that are missing, so a second
# run is a no-op that takes about a second.
#   scripts/setup.sh         build, run and test (and package: scripts/package.sh)
#   scripts/setup.sh fuzz    also clang and its sanitizer runtimes (libFuzzer)
#   scripts/setup.sh test    also the test peers: PostgreSQL (the history tests start a
#                            throwaway server), Node.js (when missing), the pinned
#                            oidc-provider (npm ci from tests/peers/oidc-provider's lockfile),
#                            SoftHSM2 and OpenSC's pkcs11-tool for the PKCS#11 tests
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git lld
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql
  qt6-httpserver-dev qt6-websockets-dev
  libssl-dev openssl curl
  libbenchmark-dev
  xvfb xauth
  libgl-dev libxkbcommon-dev
  dpkg-dev fakeroot file help2man lintian desktop-file-utils appstream shared-mime-info
  bash-completion
  libengine-pkcs11-openssl p11-kit p11-kit-modules libp11-kit-dev
  qtkeychain-qt6-dev
)
if [ "${1:-}" = "fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi
# The history tests start a throwaway PostgreSQL server (initdb, pg_ctl, pg_dump); the
# hardware-token tests use a software token and the tool that makes keys in it; the keychain
# test runs GNOME Keyring in a private D-Bus session and reads it back with secret-tool.
if [ "${1:-}" = "test" ]; then
  packages+=(postgresql softhsm2 opensc gnome-keyring dbus-daemon libsecret-tools)
fi
if [ "${1:-}" = "test" ] && ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
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
fi

# The third-party DCR server the interop tests run against, exactly as the lockfile pins it.
# Reinstalled only when the lockfile changed (its hash is kept beside node_modules).
if [ "${1:-}" = "test" ]; then
  peer=tests/peers/oidc-provider
  want=$(sha256sum "$peer/package-lock.json" | cut -d' ' -f1)
  have=$(cat "$peer/node_modules/.dcr-lock-sha256" 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    echo "setup: installing the oidc-provider test peer (npm ci)"
    (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$peer/node_modules/.dcr-lock-sha256"
  fi
fi
