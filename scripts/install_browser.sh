#!/usr/bin/env bash
# Installs the headless browser and CJK fonts used by tests/test_ui_browser.py:
#   Debian packages: chromium chromium-driver fonts-noto-cjk
# Fails loudly (non-zero exit, message on stderr) if it cannot.
set -euo pipefail

PACKAGES=(chromium chromium-driver fonts-noto-cjk)

die() { echo "install_browser.sh: ERROR: $*" >&2; exit 1; }

have_all() {
  [ -x /usr/bin/chromium ] || return 1
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 1
  done
}

if have_all; then
  echo "install_browser.sh: already installed: ${PACKAGES[*]} ($(/usr/bin/chromium --version 2>/dev/null || echo chromium))"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${PACKAGES[*]} (Debian/Ubuntu) by hand"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${PACKAGES[*]}"
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update || die "apt-get update failed"
$SUDO apt-get install -y --no-install-recommends "${PACKAGES[@]}" \
  || die "apt-get install ${PACKAGES[*]} failed"

have_all || die "packages reported installed but /usr/bin/chromium or one of ${PACKAGES[*]} is missing"
/usr/bin/chromium --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1 \
  || /usr/bin/chromium --version >/dev/null 2>&1 \
  || die "/usr/bin/chromium is installed but does not run"
fc-list :lang=zh 2>/dev/null | grep -qi "noto" || die "fonts-noto-cjk installed but no Chinese Noto font visible to fontconfig"
echo "install_browser.sh: OK: $(/usr/bin/chromium --version 2>/dev/null)"
