#!/usr/bin/env bash
# Each vendor's main list endpoint through cdrsim-mock (the default text request log written to a
# file, every check on) against the fastest libmicrohttpd configuration answering the very same
# bytes (bench/static_server.c), and against the mock's HTTP layer alone serving those bytes
# (bench/layer_server.c: what of the gap is the layer, what the handler), all driven by wrk -t1 -c64
# on loopback in the same run. Prints req/s, p50 and p99 of each, the server's CPU time per
# request (user + system, which a loaded machine disturbs less than throughput) and both as ratios
# to the static server. With ROUNDS=N (default 3) the sides run N times, alternating, and the
# medians are shown.
# The requests: bench/vendors.sh.
# Usage: bench/run.sh [SECONDS] [itnio|yunfu|huawei|aliyun]...
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
shift || true
vendors=("$@")
[ ${#vendors[@]} -gt 0 ] || vendors=(itnio yunfu huawei aliyun)
source bench/lib.sh

start mock "$MOCK" --port 0
mock_url=$url
mock_pid=$pid
host=${mock_url#http://}
now=$(date +%s)
source bench/vendors.sh

# run_wrk BASE_URL PID: prints wrk's RESULT line plus cpu_us= (server CPU per request).
run_wrk() {
  local script=request.lua before result
  [ -n "${BENCH_REQUESTS:-}" ] && script=replay.lua
  before=$(cpu_seconds "$2")
  result=$(wrk -t1 -c64 -d"${duration}s" -s "bench/$script" "$1$BENCH_PATH" | grep RESULT)
  echo "$result cpu_us=$(awk -v a="$before" -v b="$(cpu_seconds "$2")" -v n="$(field requests "$result")" \
    'BEGIN {printf "%.1f", (b - a) * 1e6 / n}')"
}

# median_of FIELD RESULT_LINES...
median_of() {
  local f=$1
  shift
  for line in "$@"; do field "$f" "$line"; done | median
}

rounds=${ROUNDS:-3}
echo "wrk -t1 -c64 -d${duration}s on loopback, medians of $rounds alternating rounds; $(nproc) cores;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mock: cdrsim-mock; layer: its HTTP layer with a handler that only copies the page;" \
  "static: libmicrohttpd's fastest configuration"
echo "cpu_us: the server's CPU time (user + system) per request; ratio: req/s and CPU per request" \
  "against static (1 = as fast)"
printf '%-22s %-7s %9s %8s %8s %8s %7s %7s\n' case side req/s p50_ms p99_ms cpu_us ratio cpu
for vendor in "${vendors[@]}"; do
  prepare "$vendor"
  capture "$vendor"
  start "static-$vendor" build-bench/bench/cdrsim-bench-static "$work/$vendor.page" "$content_type"
  static_url=$url
  static_pid=$pid
  start "layer-$vendor" build-bench/bench/cdrsim-bench-layer "$work/$vendor.page" "$content_type"
  layer_url=$url
  layer_pid=$pid
  mock_runs=() layer_runs=() static_runs=()
  for _ in $(seq "$rounds"); do
    if [ "$vendor" = aliyun ]; then
      # Fresh nonces for every run against the mock (enough for 40k req/s): it refuses a replay.
      aliyun_requests $((duration * 40000))
    fi
    mock_runs+=("$(run_wrk "$mock_url" "$mock_pid")")
    layer_runs+=("$(run_wrk "$layer_url" "$layer_pid")")
    static_runs+=("$(run_wrk "$static_url" "$static_pid")")
  done
  stop "$static_pid"
  stop "$layer_pid"
  static_rps=$(median_of rps "${static_runs[@]}")
  static_cpu=$(median_of cpu_us "${static_runs[@]}")
  label="$vendor ($(wc -c <"$work/$vendor.page") B)"
  for side in mock layer static; do
    eval "runs=(\"\${${side}_runs[@]}\")"
    rps=$(median_of rps "${runs[@]}")
    cpu=$(median_of cpu_us "${runs[@]}")
    printf '%-22s %-7s %9.0f %8s %8s %8s %7.2f %7.2f\n' "$label" "$side" "$rps" \
      "$(median_of p50_ms "${runs[@]}")" "$(median_of p99_ms "${runs[@]}")" "$cpu" \
      "$(awk -v a="$rps" -v b="$static_rps" 'BEGIN {print a / b}')" \
      "$(awk -v a="$cpu" -v b="$static_cpu" 'BEGIN {print b / a}')"
    label=""
    for line in "${runs[@]}"; do
      [ "$(field errors "$line")" = 0 ] || echo "  ($side: wrk reported errors: $line)"
    done
  done
done
echo "request log: $(wc -l <"$work/mock.err") lines written to a file"
