#!/usr/bin/env bash
# Instructions per request of Alibaba's V3 check, counted by valgrind's callgrind (unlike req/s,
# not disturbed by a loaded machine): cdrsim-mock (default request log, every check on) under
# callgrind answers signed V3 HotlineSessionQuery requests, a fresh nonce each, from wrk on one
# connection for SECONDS. The counters are zeroed once the mock listens and dumped before it
# stops, so start-up and shutdown are left out. Prints, per request: every instruction the mock
# ran, those under the vendor's handler, and those of the authentication alone.
# Usage: bench/callgrind.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 2; }
source bench/lib.sh

out=$work/callgrind.out
start mock valgrind --tool=callgrind --callgrind-out-file="$out" "$MOCK" --port 0
host=${url#http://}
callgrind_control -z "$pid" >/dev/null 2>&1
export BENCH_REQUESTS=$work/aliyun.requests
build-bench/bench/cdrsim-bench-aliyun-requests 100000 "$host" "$(date +%s)" >"$BENCH_REQUESTS"
result=$(wrk -t1 -c1 -d"${seconds}s" -s bench/replay.lua "$url/" | grep RESULT)
callgrind_control -d "$pid" >/dev/null 2>&1
stop "$pid"
requests=$(field requests "$result")
[ "$(field errors "$result")" = 0 ] || { echo "wrk reported errors: $result" >&2; exit 1; }
grep -q 'status=200' "$work/mock.err" || { echo "the mock answered no request with 200" >&2; exit 1; }
dump=$(ls "$out".* | sort | head -n 1) # the dump taken before the stop
[ -n "${KEEP:-}" ] && cp "$dump" "$KEEP" # KEEP=FILE keeps the profile for callgrind_annotate
total=$(awk '/^summary:/ {print $2}' "$dump")
inclusive() { # the inclusive instruction count of the function FUNCTION
  callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null |
    awk -v f="$1" '$0 ~ (":" f " ") || $0 ~ (":" f "$") {gsub(",", "", $1); print $1; exit}'
}
echo "$requests requests answered ($(grep -c 'status=200' "$work/mock.err") with 200) under callgrind"
printf '%-36s %10s\n' "instructions per request" ""
awk -v t="$total" -v n="$requests" 'BEGIN {printf "%-36s %10.0f\n", "  the whole mock", t / n}'
for f in aliyun_handle aliyun_authenticate; do
  awk -v t="$(inclusive "$f")" -v n="$requests" -v f="$f" \
    'BEGIN {printf "%-36s %10.0f\n", "  " f " (inclusive)", t / n}'
done
