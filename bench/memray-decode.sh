#!/usr/bin/env bash
# Memray capture decoding: writes a synthetic streaming capture of N iterations (3 allocation records and one
# memory record each; the fixture writer in analyzer/src/test/resources/memray/capture) plain and LZ4, then
# times `leakscope analyze` on each (JVM start, decode, growth fit, report) and reports its peak RSS.
#   bench/memray-decode.sh [ITERATIONS]   (default 1000000: 3 M allocation records)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-1000000}"
"$root/scripts/leakscope" --version >/dev/null
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$root/analyzer/src/test/resources/memray/capture" && python3 - "$n" "$work" <<'PY'
import subprocess, sys
import memray_synth as m
n, out = int(sys.argv[1]), sys.argv[2]
data, _ = m.leaky_service(n_iter=n)
open(out + "/big.bin", "wb").write(data)
comp = subprocess.run(["lz4", "-q", "-B4", "-BD", "--no-frame-crc", "-c"], input=data, check=True, capture_output=True).stdout
open(out + "/big.lz4.bin", "wb").write(comp)
PY
)
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for f in big.bin big.lz4.bin; do
  size=$(stat -c %s "$work/$f")
  /usr/bin/time -f "%e %M" -o "$work/time" "$java_bin" -jar "$root/cli/target/leakscope.jar" analyze "$work/$f" \
    --out "$work/out-$f" >/dev/null 2>&1
  read -r secs kb <"$work/time"
  echo "| $f | $((size / 1048576)) MiB | $((3 * n)) | ${secs} s | $((kb / 1024)) MiB |"
done
