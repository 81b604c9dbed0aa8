#!/usr/bin/env bash
# PDF documents (offers, invoices) are drawn by WeasyPrint, which loads Pango and HarfBuzz
# from the system (pip cannot bring them). Install Debian's packages when they are missing.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing() {
  for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
    /sbin/ldconfig -p 2>/dev/null | grep -q "$lib" || return 0
  done
  return 1
}
if ! missing; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "[pdf] installing Debian's ${PACKAGES[*]} (WeasyPrint draws PDF documents with them)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
else
  echo "[pdf] Pango is missing: install Debian's packages (as root: apt-get install ${PACKAGES[*]})" >&2
  exit 1
fi
