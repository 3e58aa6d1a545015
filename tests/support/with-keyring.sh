#!/bin/sh
# Runs a test binary inside its own D-Bus session with a GNOME Keyring (the Secret Service)
# unlocked in a throwaway HOME, so the desktop-keychain tests use a real keychain and never the
# user's. Works as root. Usage: with-keyring.sh TEST-BINARY [ARGS...]
set -u
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-keyring.sh: $tool is missing (scripts/setup.sh test installs it)" >&2
        exit 1
    fi
done
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/run"
HOME=$home XDG_DATA_HOME=$home/data XDG_RUNTIME_DIR=$home/run \
    dbus-run-session -- sh -c '
        echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        "$@"' sh "$@"
