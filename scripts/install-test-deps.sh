#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK and Maven. Idempotent; quiet when all is there.
# chromium: the report's browser test opens the HTML report headless (it skips without it, fails under CI=true).
set -euo pipefail
need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "install-test-deps: missing ${need[*]}; install them (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
