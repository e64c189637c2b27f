#!/usr/bin/env bash
# Attach overhead benchmark (docs/benchmarks.md, "Attach overhead"). Usage: bench/attach-overhead.sh [PAIRS] [WINDOW_S]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-3}"; window="${2:-60}"
mvn -B -o -q -DskipTests package
jar=cli/target/leakscope.jar
run() { java -cp "$jar" bench/AttachOverhead.java "$@"; }
echo "## throughput: two workers at once, 'leakscope attach PID --duration ${window}s' (default settings) on one of them"
run overhead "$pairs" "$window"
echo "## pauses on a 1 GiB live set"
run pauses 1024
echo "## native: async-profiler nativemem unsampled vs sampled, malloc-heavy worker"
lib=$(ls /tmp/leakscope-lib-"$(id -u)"/async-profiler-*/libasyncProfiler.so 2>/dev/null | head -1)
if [ -z "$lib" ]; then
  mkdir -p /tmp/leakscope-bench-lib && unzip -o -q -j "$jar" linux-x64/libasyncProfiler.so -d /tmp/leakscope-bench-lib
  lib=/tmp/leakscope-bench-lib/libasyncProfiler.so
fi
run native "$pairs" 20 "$lib"
