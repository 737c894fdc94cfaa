#!/usr/bin/env bash
# ITNIO /v3/cc/record/query throughput: cdrsim-mock (Sign check, filtering, paging on) against a
# static libmicrohttpd server answering the very same bytes, both driven by wrk -t1 -c64 on
# loopback. Prints req/s, p50 and p99 of each and the ratio. Usage: bench/run_itnio.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCDRSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

start() { # start NAME CMD... : runs CMD, waits for its "listening on" line, sets $url
  : >"$work/$1.out" # exists before the child's redirection, so the poll below never races it
  "${@:2}" >"$work/$1.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do
    url=$(awk '/^listening on/ {print $3; exit}' "$work/$1.out")
    [ -n "$url" ] && return 0
    sleep 0.05
  done
  echo "$1 did not start" >&2; exit 1
}

start mock build-bench/mockserver/cdrsim-mock --port 0 --log-format off
mock_url=$url
export BENCH_KEY=bDqJFiq9 BENCH_TS
BENCH_TS=$(date +%s)
export BENCH_SIGN=$(printf '%s' "${BENCH_KEY}7bz1lzh9${BENCH_TS}" | md5sum | cut -c1-32)

echo "dataset: built-in ITNIO fixtures; window 2025-01-01..2025-03-31 (90 days); wrk -t1 -c64 -d${duration}s"
printf '%-22s %10s %9s %9s %10s %9s %9s %7s\n' case mock_rps p50_ms p99_ms static_rps p50_ms p99_ms ratio
for size in 20 100; do
  export BENCH_BODY="{\"current\":1,\"size\":$size,\"params\":{\"startTime\":\"2025-01-01 00:00:00\",\"endTime\":\"2025-03-31 00:00:00\"}}"
  curl -sf -X POST "$mock_url/v3/cc/record/query" -H 'Content-Type: application/json' -H "Api-Key: $BENCH_KEY" \
    -H "Timestamp: $BENCH_TS" -H "Sign: $BENCH_SIGN" -d "$BENCH_BODY" >"$work/page$size.json"
  grep -q '"status":0' "$work/page$size.json" || { echo "mock did not answer status 0" >&2; exit 1; }
  start static$size build-bench/bench/cdrsim-bench-static "$work/page$size.json"
  static_url=$url
  m=$(wrk -t1 -c64 -d"${duration}s" -s bench/post.lua "$mock_url/v3/cc/record/query" | grep RESULT)
  s=$(wrk -t1 -c64 -d"${duration}s" -s bench/post.lua "$static_url/v3/cc/record/query" | grep RESULT)
  field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
  mr=$(field rps "$m"); sr=$(field rps "$s")
  printf '%-22s %10s %9s %9s %10s %9s %9s %6.1f%%\n' "page of $size ($(wc -c <"$work/page$size.json") B)" \
    "$mr" "$(field p50_ms "$m")" "$(field p99_ms "$m")" "$sr" "$(field p50_ms "$s")" "$(field p99_ms "$s")" \
    "$(awk -v a="$mr" -v b="$sr" 'BEGIN {print 100 * a / b}')"
  [ "$(field errors "$m")" = 0 ] && [ "$(field errors "$s")" = 0 ] || echo "  (wrk reported errors: mock $m / static $s)"
done
