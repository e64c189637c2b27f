#!/usr/bin/env bash
# Which part of leak.jfc costs the target CPU? Four identical workers at once (same background load), three
# with a variant of leakscope's JFR settings started by jcmd at 12 s, measured from 40 s to 88 s as operations
# per CPU-second of the worker process. Usage: bench/jfr-settings-experiment.sh  (docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -DskipTests package
jar=cli/target/leakscope.jar
tmp=$(mktemp -d)
sed -e 's/@OBJECT_COUNT_PERIOD@/10000 ms/; s/@SAMPLE_PERIOD@/5000 ms/g' \
  collectors/src/main/resources/io/leakscope/collect/jvm/leak.jfc > "$tmp/objectcount-10s.jfc"
grep -v 'ObjectCount' "$tmp/objectcount-10s.jfc" > "$tmp/no-objectcount.jfc"
grep -v 'ObjectCountAfterGC' "$tmp/objectcount-10s.jfc" > "$tmp/objectcount-10s-no-aftergc.jfc"
declare -A pid
for c in none objectcount-10s no-objectcount objectcount-10s-no-aftergc; do
  java -Xmx256m -XX:+UseG1GC -cp "$jar" bench/AttachOverhead.java workload java 95 > "$tmp/w-$c.log" 2>&1 &
  pid[$c]=$!
done
sleep 12
for c in objectcount-10s no-objectcount objectcount-10s-no-aftergc; do
  jcmd "${pid[$c]}" JFR.start name=x settings="$tmp/$c.jfc" > /dev/null
done
wait
for c in none objectcount-10s no-objectcount objectcount-10s-no-aftergc; do
  python3 - "$tmp/w-$c.log" "$c" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith('ops')]
a, b = 40, min(88, len(rows) - 1)
ops = sum(int(r[1]) for r in rows[a + 1:b + 1]); cpu = (int(rows[b][3]) - int(rows[a][3])) / 1e9
print(f"| {sys.argv[2]} | {ops / cpu:.0f} | {ops / (b - a):.0f} |")
PY
done
rm -rf "$tmp"
