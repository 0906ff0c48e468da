#!/usr/bin/env bash
# Idempotent machine setup for CI and development on Debian 12 (bookworm), as root:
# the system packages the tests need, then `npm ci` (unless SKIP_NPM=1).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PKGS=(
  chromium xvfb xauth fonts-liberation # end-to-end tests drive Debian's Chromium (Playwright cannot download browsers here)
  python3 make g++ pkg-config          # node-gyp: better-sqlite3 builds from source (no prebuilt download offline)
  sqlite3                              # the sqlite3 shell, used by benchmarks as a reference
  dbus-daemon dbus-user-session gnome-keyring libsecret-1-0 # an OS keychain (Secret Service) for the audit signing key
  openssl                              # docs/audit.md's offline signature check is tested as written
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "ci-setup: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "ci-setup: system packages already present"
fi
if [[ "${SKIP_NPM:-0}" != 1 ]]; then
  # Electron's postinstall would download its binary from the internet: keep it off (package.json's allowScripts does too).
  export ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  npm ci --no-audit --no-fund
fi
