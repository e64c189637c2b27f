#!/usr/bin/env bash
# Runs the @LeakCheck tests (junit/: a leaking and a non-leaking test method and a saturating cache, each
# repeated in-process with heap dumps between rounds) N times (default 10): the check that the extension is
# not flaky. About 40 s per round, most of it Maven.
#   scripts/leakcheck-repeat.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-10}"; ok=0
for i in $(seq "$n"); do
  if mvn -B -o -q -pl junit -am test -Dtest=LeakCheckTest -Dsurefire.failIfNoSpecifiedTests=false >"/tmp/leakcheck-$i.log" 2>&1; then
    ok=$((ok + 1)); echo "round $i: pass"
  else
    echo "round $i: FAIL (see /tmp/leakcheck-$i.log)"
  fi
done
echo "LeakCheckTest passed $ok/$n"
