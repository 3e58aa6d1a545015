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

echo "== the console with a 100,000-row history (medians of 7; memory as resident set, KiB)"
# The rows are written straight into the console's own history file (the schema its first start
# created), as bench_history's fixture writes them; the search index is filled by its triggers.
fill_history() {
  sqlite3 "$1" "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
    INSERT INTO submissions (created_at, completed_at, state, profile, method, url, content_type,
      request_jwt, request_claims, software_id, client_name, response_status, response_body,
      outcome, error_class, error_text, elapsed_ms, uid, writer_user, writer_host, writer_pid)
    SELECT 1700000000000 + i * 1000, 1700000000000 + i * 1000 + 40, 'completed',
      CASE WHEN i % 2 THEN 'Bank A' ELSE 'Bank B' END, 'POST',
      'https://aspsp' || (i % 10) || '.example/register', 'application/jwt', printf('%.900c', 'a'),
      '{}', 'soft-' || i, 'Client ' || (i % 100), CASE WHEN i % 4 = 0 THEN 406 ELSE 200 END,
      CASE WHEN i % 4 = 0 THEN '{\"tppMessages\":[{\"category\":\"Invalid\",\"code\":406}]}'
        ELSE '{\"message\":\"ok\"}' END,
      CASE WHEN i % 4 = 0 THEN 'error' ELSE 'accepted' END,
      CASE WHEN i % 4 = 0 THEN 'Invalid' ELSE '' END,
      CASE WHEN i % 4 = 0 THEN 'scope not allowed' ELSE '' END, 40, 'bench-' || i, 'bench',
      'bench-host', 1 FROM n;"
}
full="$work/history-100k.sqlite"
empty="$work/history-empty.sqlite"
DCR_HISTORY_DB="$full" "$console" --report-startup >/dev/null 2>&1 # creates the schema
DCR_HISTORY_DB="$empty" "$console" --report-startup >/dev/null 2>&1
fill_history "$full"
figure() { # history file, figure name, extra options
  local db=$1 name=$2; shift 2
  for i in 1 2 3 4 5 6 7; do
    DCR_HISTORY_DB="$db" "$console" --report-startup "$@" 2>/dev/null | awk -v n="$name" '$1 == n {print $2}'
  done | median
}
ratio_row() { awk -v name="$1" -v o="$2" -v b="$3" -v u="$4" 'BEGIN { printf "%-44s %11.2f %-2s %11.2f %-2s %7.2fx\n", name, o, u, b, u, (b > 0 ? o / b : 0) }'; }
ratio_row "console/first_window_100k_vs_empty_history" "$(figure "$full" startup_ms)" "$(figure "$empty" startup_ms)" ms
ratio_row "console/rss_first_window_100k_vs_empty" "$(figure "$full" rss_kib_first_window)" "$(figure "$empty" rss_kib_first_window)" kB
scrolled=$(DCR_HISTORY_DB="$full" "$console" --report-startup --report-history-scroll 2>&1)
rows=$(echo "$scrolled" | awk '$1 == "history_rows_scrolled" {print $2}')
[ "$rows" = 100000 ] || { echo "bench: scrolling reached ${rows:-no} rows, not 100000:" >&2; echo "$scrolled" >&2; exit 1; }
ratio_row "console/rss_scrolled_to_row_100000_vs_start" "$(echo "$scrolled" | awk '$1 == "rss_kib_scrolled" {print $2}')" "$(echo "$scrolled" | awk '$1 == "rss_kib_first_window" {print $2}')" kB
echo "   (scrolling to the end took $(echo "$scrolled" | awk '$1 == "history_scroll_ms" {print $2}') ms: 500 pages of 200 rows, each read on the history thread)"

echo "== a 510-scenario plan against the embedded OBIE 3.3 sandbox (the built-in plan x15)"
# The built-in plan fifteen times over, each copy's ids suffixed, in the plan's own order so each
# lifecycle runs register → read → update → delete again. Under OBIE 3.3, 34 of its 72 scenarios
# run (the others are for other ecosystems and are skipped), so x15 runs 510.
plan_copies() { # copies, output file
  sqlite3 :memory: "WITH RECURSIVE r(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM r WHERE k < $1)
    SELECT json_object('name', 'built-in plan x$1', 'scenarios', json_group_array(json(s)))
    FROM (SELECT json_set(value, '\$.id', json_extract(value, '\$.id') || '-copy' || k) AS s
          FROM r, json_each(readfile('resources/plans/builtin.json'), '\$.scenarios')
          ORDER BY k, key);" >"$2"
}
# Prints: wall ms, sum of round trips ms, scenarios passed, scenarios run. The run's JSON gives
# the times; the history the round trips.
plan_run() { # copies
  local copies=$1 db="$work/plan-x$1.sqlite" json="$work/run-x$1.json"
  plan_copies "$copies" "$work/plan-x$copies.json"
  "$dcrctl" test run --plan "$work/plan-x$copies.json" --profile "Local sandbox (OBIE 3.3)" \
    --history-db "$db" --json >"$json" 2>/dev/null || true
  local started finished trips
  started=$(grep -o '"started": "[^"]*"' "$json" | head -1 | cut -d'"' -f4)
  finished=$(grep -o '"finished": "[^"]*"' "$json" | head -1 | cut -d'"' -f4)
  trips=$("$dcrctl" history list --history-db "$db" --json --limit 1000000 | grep -o '"elapsed_ms": [0-9]*' | awk '{s += $2} END {print s + 0}')
  echo "$(( $(ms "$finished") - $(ms "$started") )) $trips $(grep -c '"verdict": "passed"' "$json") $(grep -c '"verdict": "\(passed\|failed\|error\)"' "$json")"
}
# Peak resident memory of the same run (#26: flat, not growing with the plan): without reports,
# then writing all three (--json, --html, --junit), which are streamed from the results. A run
# keeps the details of its first 100 results in memory and the rest in a spool file.
plan_rss() { # copies, extra options
  local copies=$1; shift
  rm -f "$work/plan-rss-x$copies.sqlite"
  /usr/bin/time -f "%M" -o "$work/rss-x$copies" "$dcrctl" test run --plan "$work/plan-x$copies.json" \
    --profile "Local sandbox (OBIE 3.3)" --history-db "$work/plan-rss-x$copies.sqlite" "$@" \
    >/dev/null 2>&1 || true
  cat "$work/rss-x$copies"
}
large=$(plan_run 15)
plan_run 1 >/dev/null
echo "   scenarios passed: $(echo "$large" | awk '{print $3}') of $(echo "$large" | awk '{print $4}') run"
ratio_row "test_plan/510_scenarios_wall_vs_round_trips" "$(echo "$large" | awk '{print $1}')" "$(echo "$large" | awk '{print $2}')" ms
ratio_row "test_plan/peak_rss_510_vs_34_scenarios" "$(plan_rss 15)" "$(plan_rss 1)" kB
with_reports() { plan_rss "$1" --json --html "$work/report-x$1.html" --junit "$work/report-x$1.xml"; }
ratio_row "test_plan/peak_rss_510_vs_34_with_reports" "$(with_reports 15)" "$(with_reports 1)" kB
# What the plan itself costs, loaded and listed but not run: the part of the rows above that grows
# with the plan file (its scenarios, their spec quotes), not with the run.
list_rss() {
  /usr/bin/time -f "%M" -o "$work/rss-list-x$1" "$dcrctl" test list --plan "$work/plan-x$1.json" >/dev/null 2>&1 || true
  cat "$work/rss-list-x$1"
}
ratio_row "test_plan/peak_rss_plan_x15_vs_x1_loaded_only" "$(list_rss 15)" "$(list_rss 1)" kB
