#!/usr/bin/env bash
# Runs `leakscope gate run` N times (default 10) on the leaking `history` sample and the non-leaking `churn`
# one, side by side, and counts the outcomes: the check that the gate is not flaky. About 40 s per round.
#   scripts/gate-repeat.sh [N] [DURATION]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10}"; duration="${2:-25s}"
"$root/scripts/leakscope" --version >/dev/null
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
jar="$work/leakscope.jar"
cp "$root/cli/target/leakscope.jar" "$jar" # a frozen copy: edits to the checkout must not rebuild it mid-run
leak_ok=0; steady_ok=0
for i in $(seq "$n"); do
  run() { # scenario rate
    "$java_bin" -jar "$jar" gate run --duration "$duration" --warmup 3s --iterations 2 --out "$work/$1-$i" -- \
      "$java_bin" -Xmx128m -XX:+UseG1GC -cp "$jar" io.leakscope.samples.SampleAgent "$1" --rate "$2" >"$work/$1-$i.out" 2>&1
  }
  set +e
  run history 100 & a=$!
  run churn 50 & b=$!
  wait $a; leak_rc=$?
  wait $b; steady_rc=$?
  set -e
  named=no; grep -q '^FAIL .*ConversationHistoryLeak\$Session.history' "$work/history-$i.out" && named=yes
  [ "$leak_rc" = 1 ] && [ "$named" = yes ] && leak_ok=$((leak_ok + 1))
  [ "$steady_rc" = 0 ] && steady_ok=$((steady_ok + 1))
  echo "round $i: history exit $leak_rc (path named: $named), churn exit $steady_rc"
done
echo "history failed naming the path: $leak_ok/$n; churn passed: $steady_ok/$n"
