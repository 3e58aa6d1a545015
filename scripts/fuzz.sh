#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a set time.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 600 s, all eight targets
# Each target starts from tests/fuzz/corpus/<name>; new inputs go to build/fuzz/corpus/<name>,
# crashes to build/fuzz/artifacts/. Exits non-zero if any target found a crash, leak or hang.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(jws jwks ssa response keys dn token mask http)

bash scripts/setup.sh fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_all -j "$(nproc)"

mkdir -p build/fuzz/artifacts build/fuzz/logs
status=0
for t in "${targets[@]}"; do
  mkdir -p "build/fuzz/corpus/$t"
  echo "fuzz: $t for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "build/fuzz/tests/fuzz/fuzz_$t" "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="build/fuzz/artifacts/$t-" -print_final_stats=1 > "build/fuzz/logs/$t.log" 2>&1; then
    echo "fuzz: $t FAILED, see build/fuzz/logs/$t.log and build/fuzz/artifacts/"
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "build/fuzz/logs/$t.log" | tail -2 || true
done
exit $status
