#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang (-Werror, ASan + UBSan) in build-fuzz/
# and runs each for SECONDS (default 600) from its seed corpus in tests/fuzz/corpus/<target>/.
# New inputs the fuzzer finds go to build-fuzz/corpus/<target>/, never into the repository;
# a crash, leak or timeout stops the run with the input saved in build-fuzz/artifacts/.
# CI runs every target briefly: scripts/fuzz.sh 20. Usage: scripts/fuzz.sh [SECONDS] [TARGET]...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
command -v clang >/dev/null || { echo "clang is needed: apt-get install clang" >&2; exit 2; }
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCDRSIM_FUZZ=ON -DCDRSIM_BUILD_TESTS=OFF \
  -DCDRSIM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER_LAUNCHER="$(command -v ccache || true)" >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$src" .c)"); done
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/artifacts
for target in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/${target#fuzz_}
  [ -d "$seeds" ] || { echo "$target: no seed corpus in $seeds" >&2; exit 1; }
  found=build-fuzz/corpus/${target#fuzz_}
  mkdir -p "$found"
  start=$(date +%s)
  # The first corpus directory receives what the fuzzer finds; the seeds are only read.
  if ! "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$target-" "$found" "$seeds" \
    >"build-fuzz/$target.log" 2>&1; then
    tail -n 60 "build-fuzz/$target.log" >&2
    echo "$target: FAILED (input saved under build-fuzz/artifacts/, log build-fuzz/$target.log)" >&2
    exit 1
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "build-fuzz/$target.log")
  echo "$target: ${runs:-?} inputs in $(($(date +%s) - start)) s, no crash or leak"
done
