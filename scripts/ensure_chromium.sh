#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright; never download a browser.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "[chromium] installing Debian's chromium and chromium-driver"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "[chromium] /usr/bin/chromium is missing: install Debian's chromium package (as root: apt-get install chromium chromium-driver)" >&2
  exit 1
fi
