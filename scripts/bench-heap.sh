#!/usr/bin/env bash
# Heap engine vs Shark 2.14, side by side on the same dumps, each run in a fresh JVM under /usr/bin/time.
# Usage: scripts/bench-heap.sh [SIZES_MB...]   (default: 100 1024 4096)
# leakscope runs three times per dump, with the JVM flags scripts/leakscope gives: with the heap it gives (1.2x the
# dump + 256 MB: what a user gets; then the serial collector under 1 GB), with -Xmx at ~95% of the dump's size (the engine's memory target is a peak RSS
# below the dump's size), and with -Xmx at about a third of it (2g for the 4 GB heap's dump), where its big
# tables go to memory-mapped files. Peak RSS is split into anonymous memory (the Java heap, the JVM) and file-backed pages
# (mapped tables: the kernel may write them out and drop them), sampled from /proc/PID/status.
# Dumps go to bench/heap/target/dumps (not in git). Shark runs only on dumps up to 1 GB (it needs ~11.5 GB
# RSS for 1 GB; LEAKSCOPE_BENCH_SHARK=0 skips it). Results: bench/heap/target/results.md
# scripts/bench-heap.sh diff: the dominator diff at scale instead: three dumps of the same program, 300, 600
# and 1200 MB of heap, written in that order (the diff orders dumps by the time in their headers), diffed by
# `leakscope diff` as the launcher runs it; wall, CPU and peak RSS to bench/heap/target/results-diff.md
# scripts/bench-heap.sh gz: the 1 GB heap's dump as jcmd -gz=1 writes it (independent gzip blocks), analysed as
# the launcher's heap rule runs it, three times (the reader as built; git stash to compare); to
# bench/heap/target/results-gz.md
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(100 1024 4096); fi
mvn -B -q -Pbench -pl bench/heap -am -DskipTests package
cp="bench/heap/target/leakscope-bench-heap-0.1.0-SNAPSHOT.jar:$(cat bench/heap/target/classpath.txt)"
dumps=bench/heap/target/dumps
mkdir -p "$dumps"
if [ "${sizes[0]}" = diff ]; then
  series="$dumps/series"
  mkdir -p "$series"
  for mb in 300 600 1200; do
    if [ ! -f "$series/gen-$mb.hprof" ]; then
      rm -f "$series"/gen-*.hprof # a series is written in one go, or its order in time is not its order in size
      for m in 300 600 1200; do
        java -Xmx$(( m * 2 + 512 ))m -XX:+UseParallelGC -cp "$cp" io.leakscope.bench.HeapGen "$m" "$series/gen-$m.hprof"
        sleep 2
      done
      break
    fi
  done
  mvn -B -q -DskipTests package
  tlog=$(mktemp)
  /usr/bin/time -v -o "$tlog" scripts/leakscope diff "$series/gen-300.hprof" "$series/gen-600.hprof" \
    "$series/gen-1200.hprof" -o bench/heap/target/diff-out > /dev/null 2>&1 || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tlog" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$tlog")
  rss=$(awk -F': ' '/Maximum resident/ {print int($2/1024)}' "$tlog")
  rm -f "$tlog"
  verdict=$(python3 -c "import json; f = json.load(open('bench/heap/target/diff-out/findings.json')); print(f['verdict'], '-', f['headline'])")
  echo "| diff of gen-300, gen-600, gen-1200 ($(du -cm "$series"/gen-*.hprof | tail -1 | cut -f1) MB) | $wall s | $cpu s | $rss MiB | $verdict |" \
    | tee bench/heap/target/results-diff.md
  exit 0
fi
if [ "${sizes[0]}" = gz ]; then
  dump="$dumps/gen-1024-jcmd.hprof.gz"
  [ -f "$dump" ] || java -Xmx2560m -XX:+UseParallelGC -cp "$cp" io.leakscope.bench.HeapGen 1024 "$dump"
  out=bench/heap/target/results-gz.md
  echo "| dump | -Xmx | wall s | CPU s (user+sys) | peak RSS MiB | phases |" > "$out"
  echo "|---|---|---|---|---|---|" >> "$out"
  xmx=$(( $(stat -c %s "$dump") * 4 / 1048576 * 6 / 5 + 256 ))m # the launcher's rule: a .gz counts 4x
  for i in 1 2 3; do
    tlog=$(mktemp)
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$tlog" java -Xmx"$xmx" -XX:+UseG1GC -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=5 \
      -Dleakscope.heap.timing=true -cp "$cp" io.leakscope.bench.BenchRun leakscope "$dump" > "$tlog.out" 2> "$tlog.err"
    phases="$(grep -o 'wall pass1.*in [0-9]* part(s)' "$tlog.err") $(tail -1 "$tlog.out")"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tlog" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$tlog")
    rss=$(awk -F': ' '/Maximum resident/ {print int($2/1024)}' "$tlog")
    echo "| $(basename "$dump") ($(( $(stat -c %s "$dump") / 1048576 )) MB) | $xmx | $wall | $cpu | $rss | $phases |" | tee -a "$out"
    rm -f "$tlog" "$tlog.out" "$tlog.err"
  done
  exit 0
fi
out=bench/heap/target/results.md
echo "| dump | size | tool | -Xmx | wall s | CPU s (user+sys) | peak RSS MB | peak anon / file-backed MB | phases |" > "$out"
echo "|---|---|---|---|---|---|---|---|---|" >> "$out"

run() { # tool xmx dump [gc options]
  local tool=$1 xmx=$2 dump=$3 gc=${4:--XX:+UseParallelGC} tlog olog
  tlog=$(mktemp)
  olog=$(mktemp)
  local line tpid jpid anon=0 file=0 a f rc=0
  # leakscope as the launcher runs it, with two malloc arenas and a fixed mmap threshold (scripts/leakscope);
  # Shark with glibc's defaults
  local arenas="${MALLOC_ARENA_MAX:-}"
  local mmap="${MALLOC_MMAP_THRESHOLD_:-}"
  [ "$tool" = leakscope ] && arenas=2 && mmap=131072
  # shellcheck disable=SC2086
  env ${arenas:+MALLOC_ARENA_MAX=$arenas} ${mmap:+MALLOC_MMAP_THRESHOLD_=$mmap} /usr/bin/time -v -o "$tlog" java -Xmx"$xmx" $gc -cp "$cp" \
    io.leakscope.bench.BenchRun "$tool" "$dump" > "$olog" &
  tpid=$!
  while kill -0 "$tpid" 2>/dev/null; do
    jpid=${jpid:-$(pgrep -P "$tpid" java || true)}
    if [ -n "$jpid" ] && [ -r "/proc/$jpid/status" ]; then
      read -r a f < <(awk '/^RssAnon/ {a=$2} /^RssFile/ {f+=$2} /^RssShmem/ {f+=$2} END {print a+0, f+0}' "/proc/$jpid/status" 2>/dev/null || echo "0 0")
      [ "$a" -gt "$anon" ] && anon=$a
      [ "$f" -gt "$file" ] && file=$f
    fi
    sleep 0.2
  done
  wait "$tpid" || rc=$?
  line=$(tail -1 "$olog")
  [ "$rc" = 0 ] || line="FAILED (exit $rc)"
  rm -f "$olog"
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tlog" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  user=$(awk -F': ' '/User time/ {print $2}' "$tlog")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tlog")
  rss=$(awk -F': ' '/Maximum resident/ {print int($2/1024)}' "$tlog")
  rm -f "$tlog"
  echo "| $(basename "$dump") | $(( $(stat -c %s "$dump") / 1048576 )) MB | $tool | $xmx $gc | $wall | $(echo "$user + $sys" | bc) | $rss | $(( anon / 1024 )) / $(( file / 1024 )) | $line |" | tee -a "$out"
}

for mb in "${sizes[@]}"; do
  dump="$dumps/gen-$mb.hprof"
  if [ ! -f "$dump" ]; then
    java -Xmx$(( mb * 2 + 512 ))m -XX:+UseParallelGC -cp "$cp" io.leakscope.bench.HeapGen "$mb" "$dump"
  fi
  # into the page cache first, where a dump the JVM has just written is, so that no run below reads it from the
  # disk: a run after the 5.69 GB dump had been pushed out parsed it at 319 MB/s, its pass 1 at disk speed. (The
  # parse still varies, 377-696 MB/s with the dump cached throughout: the index phase's first touch of 2.7 GB
  # of fresh tables takes 1.8-7.2 s on this VM; docs/benchmarks.md)
  cat "$dump" > /dev/null
  launcher_gc="-XX:+UseG1GC -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=5" # as scripts/leakscope runs
  # and, for dumps under 200 MB, with the client compiler only
  [ "$(stat -c %s "$dump")" -lt $(( 200 * 1048576 )) ] && launcher_gc="$launcher_gc -XX:TieredStopAtLevel=1 -XX:Tier3BackEdgeThreshold=15000 -XX:CompileCommand=quiet -XX:CompileCommand=inline,java/lang/Long.reverseBytes -XX:CompileCommand=inline,java/lang/Integer.reverseBytes -XX:CompileCommand=inline,java/lang/Integer.bitCount -XX:CompileCommand=inline,java/lang/Long.bitCount"
  # from 200 MB on, with transparent huge pages for the heap where the kernel gives them on request (the heaps here
  # fit in the memory available on this machine, as the launcher asks)
  [ "$(stat -c %s "$dump")" -ge $(( 200 * 1048576 )) ] && grep -qF '[madvise]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null \
    && launcher_gc="$launcher_gc -XX:+UseTransparentHugePages"
  # on the heap it sizes itself, under 1 GB, the serial collector with a small young generation and initial heap
  own_gc="$launcher_gc"
  [ "$(stat -c %s "$dump")" -lt $(( 1024 * 1048576 )) ] \
    && own_gc="${launcher_gc/-XX:+UseG1GC/-XX:+UseSerialGC -Xmn2m -Xms16m -XX:-ShrinkHeapInSteps -XX:PretenureSizeThreshold=128k -XX:MinHeapDeltaBytes=32m}" \
    && own_gc="${own_gc/-XX:MaxHeapFreeRatio=20/-XX:MaxHeapFreeRatio=60}"
  # the launcher's rule (scripts/leakscope), without its cap at 60% of the memory available
  run leakscope "$(( $(stat -c %s "$dump") / 1048576 * 6 / 5 + 256 ))m" "$dump" "$own_gc"
  # the same with a Java heap of 95% of the dump's size (given by the user, so G1 as the launcher runs it)
  run leakscope "$(( $(stat -c %s "$dump") / 1048576 * 95 / 100 / 100 * 100 + 100 ))m" "$dump" "$launcher_gc"
  # and with a third of it (the tables the heap cannot take are mapped; the 4 GB heap's dump gets -Xmx2g)
  small=$(( $(stat -c %s "$dump") / 1048576 / 3 / 100 * 100 + 100 ))m
  [ "$mb" -ge 4096 ] && small=2g
  run leakscope "$small" "$dump" "$launcher_gc"
  if [ "$mb" -le 1024 ] && [ "${LEAKSCOPE_BENCH_SHARK:-1}" != 0 ]; then
    run shark 12g "$dump"
  fi
done
echo "results: $out"
