#!/usr/bin/env bash
# Growth detection quality: the Monte-Carlo suite (synthetic, labelled) and, with "real", the sample agents
# run for real. Prints markdown tables for docs/benchmarks.md ("Growth detection quality").
#   scripts/bench-growth.sh [synthetic [SERIES_PER_FAMILY [SEED]] | real [SECONDS]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -pl analyzer -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >&2
cp="analyzer/target/classes:analyzer/target/test-classes:$(cat "$cpfile")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
what="${1:-synthetic}"
shift || true
case "$what" in
  synthetic) exec "$java_bin" -Xmx512m -cp "$cp" io.leakscope.growth.GrowthBench "$@" ;;
  real) exec "$java_bin" -Xmx256m -cp "$cp" io.leakscope.growth.RealScenarioBench "$@" ;;
  *) echo "usage: $0 [synthetic [SERIES_PER_FAMILY [SEED]] | real [SECONDS]]" >&2; exit 2 ;;
esac
