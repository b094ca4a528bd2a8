#!/usr/bin/env bash
# Installs what the tests need beyond Python packages: Debian's chromium for the dashboard test.
# Idempotent and quiet when everything is already there.
set -uo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian chromium for the dashboard test…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; the browser test will be skipped" >&2
  else
    echo "warning: chromium missing and apt-get unavailable; the browser test will be skipped" >&2
  fi
fi
