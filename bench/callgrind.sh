#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind (unlike req/s, not disturbed by a
# loaded machine), of each vendor's main list endpoint (the requests of bench/vendors.sh) through
# cdrsim-mock (default request log, every check on) and through the static libmicrohttpd server
# sending the same bytes (bench/static_server.c). wrk drives each on one connection for SECONDS;
# counters are zeroed once the server listens and dumped before it stops, so start-up and
# shutdown are left out. Prints, per request: every instruction of the mock and of the static
# server, their ratio, and where the mock's go (inclusive counts of its parts).
# Usage: bench/callgrind.sh [SECONDS] [itnio|yunfu|huawei|aliyun]...   (KEEP=DIR keeps profiles)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
vendors=("$@")
[ ${#vendors[@]} -gt 0 ] || vendors=(itnio yunfu huawei aliyun)
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 2; }
source bench/lib.sh

# The parts of the mock reported; a vendor's own handler and check by their names.
parts=(mock_server_handle mock_journal_record mock_log_request mock_faults_match)
vendor_parts() {
  case $1 in
  itnio) echo itnio_routes_handle itnio_auth_check ;;
  yunfu) echo yunfu_handle yunfu_authenticate ;;
  huawei) echo huawei_handle huawei_check_guid ;;
  aliyun) echo aliyun_handle aliyun_authenticate ;;
  esac
}

# run_profiled NAME: wrk sends the vendor's requests on one connection to the server $pid under
# callgrind (at $url); sets $dump (the profile) and $requests.
run_profiled() {
  local script=request.lua result
  [ -n "${BENCH_REQUESTS:-}" ] && script=replay.lua
  callgrind_control -z "$pid" >/dev/null 2>&1
  result=$(wrk -t1 -c1 -d"${seconds}s" -s "bench/$script" "$url$BENCH_PATH" | grep RESULT)
  callgrind_control -d "$pid" >/dev/null 2>&1
  stop "$pid"
  requests=$(field requests "$result")
  [ "$(field errors "$result")" = 0 ] || { echo "$1: wrk reported errors: $result" >&2; exit 1; }
  dump=$(ls "$work/$1.callgrind".* | sort | head -n 1) # the dump taken before the stop
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$dump" "$KEEP/$1.callgrind"
  return 0
}

# under_callgrind NAME CMD...: starts CMD under callgrind, like start.
under_callgrind() {
  start "$1" valgrind --tool=callgrind --callgrind-out-file="$work/$1.callgrind" "${@:2}"
}

total_of() { awk '/^summary:/ {print $2}' "$1"; }
inclusive() { # DUMP FUNCTION-REGEX: the inclusive instruction count of the first match
  callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
    awk -v f="$2" '$0 ~ (":" f " ") || $0 ~ (":" f "$") {gsub(",", "", $1); print $1; exit}'
}
# libc's memset, whose rep stosb callgrind counts byte by byte (see docs/benchmarks.md).
memset_of() { inclusive "$1" '__memset[a-z0-9_]*'; }
per() { awk -v t="${1:-0}" -v n="$2" 'BEGIN {printf "%.0f", t / n}'; }

now=$(date +%s)
source bench/vendors.sh
echo "callgrind, wrk -t1 -c1 -d${seconds}s per side; instructions per request"
for vendor in "${vendors[@]}"; do
  # The mock is signed in to (Huawei), captured and signed for (Alibaba's Host) under callgrind.
  under_callgrind "mock-$vendor" "$MOCK" --port 0
  mock_url=$url
  host=${mock_url#http://}
  prepare "$vendor"
  capture "$vendor"
  [ "$vendor" = aliyun ] && aliyun_requests $((seconds * 2000))
  run_profiled "mock-$vendor"
  grep -q 'status=200' "$work/mock-$vendor.err" || { echo "$vendor: no 200 answer" >&2; exit 1; }
  mock_dump=$dump mock_requests=$requests
  under_callgrind "static-$vendor" build-bench/bench/cdrsim-bench-static "$work/$vendor.page" \
    "$content_type"
  run_profiled "static-$vendor"
  static_total=$(per "$(total_of "$dump")" "$requests")
  mock_total=$(per "$(total_of "$mock_dump")" "$mock_requests")
  printf '%-8s %6s B  mock %8s  static %8s  static/mock %.2f  (%s and %s requests)\n' "$vendor" \
    "$(wc -c <"$work/$vendor.page")" "$mock_total" "$static_total" \
    "$(awk -v a="$mock_total" -v b="$static_total" 'BEGIN {print b / a}')" "$mock_requests" "$requests"
  printf '    %-28s %8s  (static %s)\n' "memset (rep stosb)" \
    "$(per "$(memset_of "$mock_dump")" "$mock_requests")" "$(per "$(memset_of "$dump")" "$requests")"
  for f in "${parts[@]}" $(vendor_parts "$vendor"); do
    printf '    %-28s %8s\n' "$f" "$(per "$(inclusive "$mock_dump" "$f")" "$mock_requests")"
  done
done
