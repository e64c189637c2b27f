#!/usr/bin/env bash
# Regenerates samples/captures/: small real captures of the sample agents, made with leakscope itself, so
# `leakscope analyze samples/captures/...` works offline in seconds. Takes about two minutes.
#
#   scripts/make-sample-captures.sh            # all of them
#
# What it writes (and what each shows) is listed in samples/captures/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/samples/captures"
leakscope="$root/scripts/leakscope"
jar="$root/cli/target/leakscope.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$leakscope" --version >/dev/null # builds the jar when needed

# Starts a JVM sample agent in the background and prints its PID once it said "ready".
start_jvm_agent() { # scenario rate extra-jvm-flags...
  local scenario="$1" rate="$2"; shift 2
  local log="$work/$scenario.log"
  "$java_bin" -Xmx64m -XX:+UseG1GC "$@" -cp "$jar" io.leakscope.samples.SampleAgent "$scenario" --rate "$rate" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    grep -q '^ready' "$log" 2>/dev/null && { echo "$pid"; return; }
    sleep 0.1
  done
  echo "make-sample-captures: sample agent $scenario did not start: $(cat "$log")" >&2
  exit 1
}

# Moves the one bundle an attach wrote under $1 to $2.
take_bundle() {
  local from="$1" to="$2"
  rm -rf "$to"
  mv "$(find "$from" -maxdepth 1 -name '*.leakscope' -type d | head -n 1)" "$to"
}

rm -rf "$out.new"
mkdir -p "$out.new/dumps"
cp "$out/README.md" "$out.new/README.md" 2>/dev/null || true

# 1. A JVM capture bundle: the conversation-history leak with NMT on, JFR, NMT, histograms, process series.
pid=$(start_jvm_agent history 100 -XX:NativeMemoryTracking=summary)
"$leakscope" attach "$pid" --duration 40s --interval 1s --out "$work/history" >/dev/null || true
kill "$pid" 2>/dev/null || true
take_bundle "$work/history" "$out.new/agent-history.leakscope"
# The same recording on its own, for `leakscope analyze FILE.jfr`.
cp "$out.new/agent-history.leakscope/jfr/recording.jfr" "$out.new/agent-history.jfr"

# 2. A pair of heap dumps of the same process a while apart (gzip, as jcmd GC.heap_dump -gz=1 writes them).
pid=$(start_jvm_agent listeners 20)
"$leakscope" attach "$pid" --duration 40s --interval 2s --heap-dumps 2 --out "$work/dumps" >/dev/null || true
kill "$pid" 2>/dev/null || true
n=1
for d in $(find "$work/dumps" -path '*/heap/*.hprof' | sort); do
  gzip -9 -c "$d" >"$out.new/dumps/listeners-$n.hprof.gz"
  n=$((n + 1))
done

# 3. A Python worker that keeps every tool output: the process collector's smaps series.
python3 "$root/samples/python/leaky_agent.py" >"$work/py.log" 2>&1 &
pypid=$!
pids+=("$pypid")
sleep 1
"$leakscope" attach "$pypid" --duration 30s --interval 1s --out "$work/python" >/dev/null || true
kill "$pypid" 2>/dev/null || true
take_bundle "$work/python" "$out.new/python-leaky.leakscope"

chmod -R u+rwX,go-rwx "$out.new"
rm -rf "$out"
mv "$out.new" "$out"
echo "make-sample-captures: wrote $out"
du -sh "$out"/*
