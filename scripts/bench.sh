#!/usr/bin/env bash
# Builds the release preset and runs every benchmark; each measurement is printed beside its
# baseline from the same run, as a ratio. Also measures console start-up against an empty Qt
# Widgets window (median of 7 runs each, offscreen).
#   scripts/bench.sh [extra Google Benchmark flags, e.g. --benchmark_min_time=0.5]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

for b in jose preflight history submit; do
  echo "== bench_$b"
  "build/release/bench/bench_$b" "$@"
done

echo "== console start-up to the first shown main window (median of 7)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" QT_QPA_PLATFORM=offscreen
console=build/release/app/dcr-console/dcr-console
"$console" --report-startup >/dev/null 2>&1 # first start creates the sandbox kit; not measured
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=$(for i in 1 2 3 4 5 6 7; do "$console" --report-startup 2>/dev/null | awk '/startup_ms/ {print $2}'; done | median)
base=$(for i in 1 2 3 4 5 6 7; do "$console" --report-startup --baseline-window 2>/dev/null | awk '/startup_ms/ {print $2}'; done | median)
awk -v o="$ours" -v b="$base" 'BEGIN { printf "%-44s %11.2f ms %11.2f ms %7.2fx\n", "startup/first_window", o, b, (b > 0 ? o / b : 0) }'

echo "== built-in test plan against the embedded OBIE 3.3 sandbox: run wall time against the sum of its round trips"
dcrctl=build/release/app/dcrctl/dcrctl
"$dcrctl" profile list >/dev/null # first start creates the sandbox kit; not measured
ms() { date -d "$1" +%s%3N; }
plan_rows() {
  # Each run in a fresh history, so the rows summed are exactly this run's requests (token
  # requests included).
  local db="$work/plan-$1.sqlite"
  "$dcrctl" test run --profile "Local sandbox (OBIE 3.3)" --history-db "$db" --json >"$work/run.json" 2>/dev/null || true
  local started finished trips
  started=$(grep -o '"started": "[^"]*"' "$work/run.json" | cut -d'"' -f4)
  finished=$(grep -o '"finished": "[^"]*"' "$work/run.json" | cut -d'"' -f4)
  trips=$("$dcrctl" history list --history-db "$db" --json --limit 100000 | grep -o '"elapsed_ms": [0-9]*' | awk '{s += $2} END {print s + 0}')
  echo "$(( $(ms "$finished") - $(ms "$started") )) $trips"
}
runs=$(for i in 1 2 3 4 5; do plan_rows "$i"; done)
wall=$(echo "$runs" | awk '{print $1}' | median)
trips=$(echo "$runs" | awk '{print $2}' | median)
awk -v o="$wall" -v b="$trips" 'BEGIN { printf "%-44s %11.2f ms %11.2f ms %7.2fx\n", "test_plan/obie33_wall_vs_round_trips", o, b, (b > 0 ? o / b : 0) }'
