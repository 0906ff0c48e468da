#!/bin/sh
# Runs a command with an OS keychain available. On Linux without a session bus (CI, SSH sessions,
# containers) it starts a private D-Bus session with gnome-keyring's Secret Service unlocked (password
# $KEYRING_PASSWORD, default "ci") in a throwaway data folder, and stops it afterwards. Elsewhere, or
# when a session bus already exists, it runs the command as it is.
if [ "$(uname)" != Linux ] || [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] ||
  ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-run-session >/dev/null 2>&1; then
  exec "$@"
fi
data=$(mktemp -d)
export XDG_DATA_HOME="$data"
dbus-run-session -- sh -c '
  ready=$(mktemp)
  printf "%s" "${KEYRING_PASSWORD:-ci}" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >"$ready" 2>/dev/null &
  kpid=$!
  i=0; while [ ! -s "$ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
  rm -f "$ready"
  kill -0 "$kpid" 2>/dev/null || { echo "with-keyring: gnome-keyring-daemon did not start" >&2; exit 97; }
  "$@"; rc=$?
  kill "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null
  exit $rc' sh "$@"
rc=$?
rm -rf "$data"
exit $rc
