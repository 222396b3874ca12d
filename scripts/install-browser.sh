#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for router-demo's real-browser test
# (BrowserDemoTest drives /usr/bin/chromium through /usr/bin/chromedriver; nothing downloads a browser at build time).
#
# Idempotent and quick when both are present: it exits without touching apt.
# Needs root (or sudo) and a Debian/Ubuntu apt; run: bash scripts/install-browser.sh
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
  echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium) and $("$CHROMEDRIVER" --version 2>/dev/null | cut -d' ' -f1-2 || echo chromedriver) already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; install Chromium and ChromeDriver so that $CHROMIUM and $CHROMEDRIVER exist" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-browser: run as root (or install sudo): apt-get install chromium chromium-driver" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrent apt/dpkg run instead of failing on its lock.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

echo "install-browser: installing chromium and chromium-driver with apt-get"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends chromium chromium-driver

if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
  echo "install-browser: apt-get finished but $CHROMIUM or $CHROMEDRIVER is still missing" >&2
  exit 1
fi
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null) and $("$CHROMEDRIVER" --version 2>/dev/null | cut -d' ' -f1-2)"
