#!/usr/bin/env bash
# End-to-end check of README's first command: `scripts/leakscope demo` must name the planted leak
# (ConversationHistoryLeak's session history) with verdict LEAK and write a self-contained report.
# Run by .ci/run after the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d)/leakscope-demo"
trap 'rm -rf "$(dirname "$out")"' EXIT
log="$(dirname "$out")/demo.log"
fail() { echo "e2e-demo: FAILED: $*" >&2; sed 's/^/  | /' "$log" >&2; exit 1; }

if ! "$root/scripts/leakscope" demo --out "$out" >"$log" 2>&1; then
  fail "scripts/leakscope demo exited with $?"
fi
grep -q '^verdict: LEAK' "$log" || fail "the verdict is not LEAK"
culprit="$(grep '^culprit: ' "$log" || true)"
[[ "$culprit" == *'ConversationHistoryLeak$Session'*'.history'* ]] || fail "wrong culprit: ${culprit:-none}"
[ -s "$out/report.html" ] || fail "no report.html"
[ -s "$out/findings.json" ] || fail "no findings.json"
# self-contained: nothing fetched from the network
if grep -Eq '(src|href)="(https?:)?//' "$out/report.html"; then fail "report.html references the network"; fi
# the launcher's JVM for a small dump: the serial collector, a heap from 16 MB, the client compiler only (what
# keeps a dump's analysis below its size, docs/heap-engine.md); a collector or heap size of the user's wins
dump="$root/samples/captures/dumps/listeners-1.hprof.gz"
flags() { # the flags the JVM ran with, after an analysis that ended with a verdict (exit 0 or 3)
  local rc=0
  LEAKSCOPE_JAVA_OPTS="-XX:+PrintCommandLineFlags $1" "$root/scripts/leakscope" analyze "$dump" \
    --out "$(dirname "$out")/small" >"$log" 2>&1 || rc=$?
  { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; } && grep -m 1 -e '-XX:' "$log"
}
f="$(flags "")" || fail "analyze $dump failed"
[[ "$f" == *-XX:+UseSerialGC* && "$f" == *-XX:InitialHeapSize=16777216* && "$f" == *-XX:TieredStopAtLevel=1* \
  && "$f" == *-XX:MinHeapDeltaBytes=33554432* && "$f" == *-XX:Tier3BackEdgeThreshold=15000* \
  && "$f" == *-XX:MaxNewSize=2097152* && "$f" == *-XX:MaxHeapFreeRatio=60* ]] \
  || fail "the launcher's flags for a small dump: $f"
f="$(flags "-XX:+UseG1GC -Xmx300m")" || fail "analyze $dump failed"
[[ "$f" == *-XX:+UseG1GC* && "$f" != *-XX:+UseSerialGC* && "$f" != *-XX:InitialHeapSize=16777216* \
  && "$f" == *-XX:MaxHeapFreeRatio=20* ]] \
  || fail "the user's collector and heap did not win: $f"
# the launcher's malloc settings: for its own JVM (what keeps a small dump's analysis below its size), not for the
# process `gate run` starts, whose memory is what the gate measures; a java that prints its environment stands in
fake="$(dirname "$out")/stand-in-java" # removed with the rest on exit
mkdir -p "$fake/bin"
printf '#!/bin/sh\nenv | grep "^MALLOC_" | sort | tr "\\n" " "\n' > "$fake/bin/java"
chmod +x "$fake/bin/java"
e="$(env -u MALLOC_ARENA_MAX -u MALLOC_MMAP_THRESHOLD_ JAVA_HOME="$fake" "$root/scripts/leakscope" analyze "$dump")"
[[ "$e" == *MALLOC_ARENA_MAX=2* && "$e" == *MALLOC_MMAP_THRESHOLD_=131072* ]] \
  || fail "the launcher's malloc settings for analyze: ${e:-none}"
e="$(env MALLOC_MMAP_THRESHOLD_=65536 JAVA_HOME="$fake" "$root/scripts/leakscope" analyze "$dump")"
[[ "$e" == *MALLOC_MMAP_THRESHOLD_=65536* ]] || fail "the user's malloc setting did not win: ${e:-none}"
e="$(env -u MALLOC_ARENA_MAX -u MALLOC_MMAP_THRESHOLD_ JAVA_HOME="$fake" "$root/scripts/leakscope" gate run -- true)"
[ -z "$e" ] || fail "gate run would pass the launcher's malloc settings on: $e"
# transparent huge pages for the heap from 200 MB of dumps on, where the kernel gives them on request and the heap
# fits in the memory available (the launcher's or the user's); never against the user's word, nor asked of a kernel
# that gives none on request. A java that prints its arguments stands in, a sparse file for a 300 MB dump
printf '#!/bin/sh\necho "$*"\n' > "$fake/bin/java"
truncate -s 300M "$fake/big.hprof"
args() { env -u LEAKSCOPE_JAVA_OPTS ${1:+LEAKSCOPE_JAVA_OPTS="$1"} JAVA_HOME="$fake" "$root/scripts/leakscope" analyze "$2"; }
a="$(args "" "$dump")"
[[ "$a" != *UseTransparentHugePages* ]] || fail "huge pages for a dump of under 200 MB: $a"
# the serial collector's free ratio: the user's wins
a="$(args "-XX:MaxHeapFreeRatio=30" "$dump")"
[[ "$a" == *-XX:MaxHeapFreeRatio=30* && "$a" != *MaxHeapFreeRatio=60* && "$a" != *MaxHeapFreeRatio=20* ]] \
  || fail "the user's MaxHeapFreeRatio did not win: $a"
if grep -qF '[madvise]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  a="$(args "" "$fake/big.hprof")"
  [[ "$a" == *-XX:+UseTransparentHugePages* ]] || fail "no huge pages for the launcher's heap for 300 MB: $a"
  a="$(args "-Xmx1g" "$fake/big.hprof")"
  [[ "$a" == *-XX:+UseTransparentHugePages* ]] || fail "no huge pages for the user's heap of 1 GB: $a"
  a="$(args "-XX:-UseTransparentHugePages" "$fake/big.hprof")"
  [[ "$a" != *-XX:+UseTransparentHugePages* ]] || fail "the user's -XX:-UseTransparentHugePages did not win: $a"
  big=$(( $(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo) * 9 / 10 ))
  a="$(args "-Xmx${big}m" "$fake/big.hprof")"
  [[ "$a" != *-XX:+UseTransparentHugePages* ]] || fail "huge pages for a heap of 90% of the memory available: $a"
else
  a="$(args "" "$fake/big.hprof")"
  [[ "$a" != *UseTransparentHugePages* ]] || fail "huge pages asked of a kernel that gives none on request: $a"
fi
echo "e2e-demo: ok — $culprit"
