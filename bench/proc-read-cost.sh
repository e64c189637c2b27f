#!/usr/bin/env bash
# The process collector's cost per sample on a JVM (many mappings) and a Python worker (few):
# in-process reads of status, smaps_rollup and the full smaps. Results go to docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/leakscope" --version >/dev/null
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" -Xmx1g -Xms1g -XX:+AlwaysPreTouch -cp "$root/cli/target/leakscope.jar" io.leakscope.samples.SampleAgent churn >/dev/null 2>&1 &
jvm=$!
python3 "$root/samples/python/steady_agent.py" >/dev/null 2>&1 &
py=$!
trap 'kill $jvm $py 2>/dev/null || true' EXIT
sleep 8
"$java_bin" "$root/bench/ProcReadCost.java" "$jvm"
"$java_bin" "$root/bench/ProcReadCost.java" "$py"
