#!/usr/bin/env bash
# README command 2: the whole test suite (config, unit, snapshot, chart, policy), then one summary line
# "N passed, N failed[, N skipped]". Extra arguments go to dotnet test (e.g. --filter Network).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/build/env.sh"
if ! bash build/bootstrap.sh; then
  echo "0 passed, 1 failed"; exit 1
fi
results="$ROOT/tests/EasyPay.Tf.Tests/TestResults"
rm -rf "$results"
dotnet test EasyPay.Tf.sln -c Release --nologo --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
rc=$?
trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "[test] no test results (the build failed?)" >&2
  echo "0 passed, 1 failed"; exit 1
fi
counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(get passed); failed=$(get failed); total=$(get total); executed=$(get executed)
skipped=$(( ${total:-0} - ${executed:-0} ))
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped} skipped"
[ "$rc" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
