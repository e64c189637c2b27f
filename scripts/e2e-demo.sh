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
echo "e2e-demo: ok — $culprit"
