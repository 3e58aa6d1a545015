#!/bin/sh
# Runs a test binary inside its own D-Bus session with a GNOME Keyring (the Secret Service)
# unlocked in a throwaway HOME, so the desktop-keychain tests use a real keychain and never the
# user's. Works as root. The keyring daemon runs in the foreground of this script, so it is
# stopped when the test ends, whatever happens. Usage: with-keyring.sh TEST-BINARY [ARGS...]
set -u
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
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
        echo -n throwaway |
            gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
        keyring=$!
        # Up to 5 s for the Secret Service to own its bus name (asking does not activate it);
        # if it never does, the test fails on its own check.
        tries=0
        until dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
                org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
                grep -q "boolean true"; do
            tries=$((tries + 1))
            [ "$tries" -gt 100 ] && break
            sleep 0.05
        done
        "$@"
        status=$?
        kill "$keyring" 2>/dev/null
        wait "$keyring" 2>/dev/null
        exit "$status"' sh "$@"
