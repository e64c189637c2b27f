#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK and Maven. Idempotent; quiet when all is there.
set -euo pipefail
need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "install-test-deps: missing ${need[*]}; install them (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
