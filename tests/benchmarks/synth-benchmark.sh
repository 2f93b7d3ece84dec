#!/usr/bin/env bash
# Synthesis benchmark (a script that prints figures, not a timed test): wall time and peak memory of
# synthesizing every stack of every environment, against a baseline app that only loads the same
# provider bindings and synthesizes one resource each. Prints both and their ratio.
#   tests/benchmarks/synth-benchmark.sh [RUNS]      (default 3; the median run is reported)
# Record notable results in docs/performance.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-3}"
. "$ROOT/build/env.sh"
cd "$ROOT"
bash build/bootstrap.sh
echo "building the app and the baseline (Release) ..." >&2
dotnet build stacks/EasyPay.Tf.Stacks/EasyPay.Tf.Stacks.csproj -c Release --nologo -v q -clp:ErrorsOnly >&2
dotnet build tests/benchmarks/Baseline/EasyPay.Tf.Benchmarks.Baseline.csproj -c Release --nologo -v q -clp:ErrorsOnly >&2
APP="$ROOT/stacks/EasyPay.Tf.Stacks/bin/Release/net10.0/EasyPay.Tf.Stacks.dll"
BASE="$ROOT/tests/benchmarks/Baseline/bin/Release/net10.0/EasyPay.Tf.Benchmarks.Baseline.dll"

# Runs a command, sampling the summed RSS of its whole process tree (dotnet + the jsii node child)
# every 50 ms; prints "<wall seconds> <peak MiB>".
measure() {
  local out; out="$(mktemp -d)"
  local start end peak=0
  start=$(date +%s.%N)
  CDKTF_OUTDIR="$out" "$@" >/dev/null 2>"$out.err" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    local rss=0 p
    for p in $pid $(pgrep -P "$pid" 2>/dev/null) $(for c in $(pgrep -P "$pid" 2>/dev/null); do pgrep -P "$c"; done); do
      local kb; kb="$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true)"
      rss=$(( rss + ${kb:-0} ))
    done
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.05
  done
  wait "$pid" || { cat "$out.err" >&2; echo "benchmark: '$*' failed" >&2; exit 1; }
  end=$(date +%s.%N)
  rm -rf "$out" "$out.err"
  awk -v s="$start" -v e="$end" -v p="$peak" 'BEGIN { printf "%.2f %.0f\n", e - s, p / 1024 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

run_series() { # label, command...
  local label="$1"; shift
  local times=() mems=()
  for i in $(seq "$RUNS"); do
    read -r t m < <(measure "$@")
    echo "  $label run $i: ${t}s, ${m} MiB" >&2
    times+=("$t"); mems+=("$m")
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $(printf '%s\n' "${mems[@]}" | median)"
}

echo "warm-up (first jsii start-up unpacks the bindings) ..." >&2
measure dotnet "$BASE" >/dev/null
read -r base_t base_m < <(run_series baseline dotnet "$BASE")
read -r app_t app_m < <(run_series app dotnet "$APP")
stacks="$(cd "$ROOT" && ls environments/*.json | grep -vc schema) environments"
echo
echo "synthesis benchmark ($RUNS runs each, median; $(nproc) cores; $stacks)"
printf '  %-10s %8s %10s\n' "" "wall" "peak RSS"
printf '  %-10s %7.2fs %7d MiB\n' baseline "$base_t" "$base_m"
printf '  %-10s %7.2fs %7d MiB\n' app "$app_t" "$app_m"
awk -v at="$app_t" -v bt="$base_t" -v am="$app_m" -v bm="$base_m" \
  'BEGIN { printf "  ratio      %7.2fx %9.2fx   (app / baseline)\n", at / bt, am / bm }'
