#!/usr/bin/env bash
# The real scenario suite end to end through `leakscope attach` (JFR + NMT + /proc + heap dumps): every
# sample agent runs in its own JVM, two at a time, is attached for DURATION with 3 heap dumps, and the
# verdict, headline and the console's culprit line are printed as a markdown table for docs/benchmarks.md.
#   scripts/bench-culprits.sh [DURATION] [SCENARIO...]     (default 150s, all nine scenarios)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-150s}"; shift || true
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(history listeners offheap slowleak spans churn cache bursty warmup)
"$root/scripts/leakscope" --version >/dev/null
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
jar="$work/leakscope.jar"
cp "$root/cli/target/leakscope.jar" "$jar" # frozen: edits to the checkout must not rebuild it mid-run
one() { # scenario
  "$java_bin" -Xms256m -Xmx256m -XX:+UseG1GC -XX:NativeMemoryTracking=summary -cp "$jar" \
    io.leakscope.samples.SampleAgent "$1" >"$work/$1.agent.log" 2>&1 &
  local pid=$!
  sleep 20 # leakscope attaches to processes that already run
  "$java_bin" -jar "$jar" attach "$pid" --duration "$duration" --interval 2s --heap-dumps 3 \
    --out "$work/$1" >"$work/$1.out" 2>&1 || true
  kill "$pid" 2>/dev/null || true
}
echo "| scenario | verdict | headline |"
echo "|---|---|---|"
for ((i = 0; i < ${#scenarios[@]}; i += 2)); do
  one "${scenarios[i]}" &
  [ $((i + 1)) -lt ${#scenarios[@]} ] && one "${scenarios[i + 1]}" &
  wait
  for s in "${scenarios[i]}" ${scenarios[i + 1]:+"${scenarios[i + 1]}"}; do
    line="$(grep '^verdict: ' "$work/$s.out" | tail -1 || true)"
    verdict="${line#verdict: }"; verdict="${verdict%% —*}"
    headline="${line#* — }"; headline="${headline% report: *}"
    echo "| $s | ${verdict:-error} | ${headline:-$(tail -1 "$work/$s.out")} |"
  done
done
