#!/usr/bin/env bash
# The store at scale. First how long each generated dataset takes to become ready (start until
# the "listening on" line) and what it costs: wall time, the process's CPU time (which a loaded
# machine disturbs less) and its RSS then. Then, over 1,000,000 generated ITNIO records, the
# record query's rate unfiltered and with each documented filter kind (wrk -t1 -c64 on loopback,
# a 90-day window, pages of 20), each as a ratio to the unfiltered page in the same run: single
# filters, combinations, number searches (repeated, as a client paging or polling sends them,
# and a new number on every request, which the cache of recent searches cannot answer: 4 digits,
# full numbers, 7-digit middles, company lines, 3 digits) and deep pages. Then Yunfu's record list
# over 1,000,000 generated records (one task's share, pages of 15): unfiltered, the indexed filters
# (intention_tags, levels), keyword (the index of three-digit runs; shorter numbers scan) and
# hangup_date (the task's hang-up bounds).
# Usage: bench/store.sh [SECONDS] (per wrk run, default 5); LOAD_ONLY=1 skips the wrk part,
# ITNIO_ONLY=1 loads only the 1,000,000 ITNIO records, YUNFU_ONLY=1 runs only the Yunfu queries
# (YUNFU_RECORDS=N of them instead of 1,000,000).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5}
source bench/lib.sh

# ready NAME ARGS...: starts the mock with ARGS, prints the load line, leaves $url and $pid set.
ready() {
  local name=$1 t0 t1
  shift
  : >"$work/$name.out"
  t0=$(date +%s.%N)
  "$MOCK" --port 0 "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pid=$!
  pids+=("$pid")
  until grep -q '^listening on' "$work/$name.out"; do
    kill -0 "$pid" 2>/dev/null || { echo "$name did not start: $(cat "$work/$name.err")" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s.%N)
  url=$(awk '/^listening on/ {print $3; exit}' "$work/$name.out")
  printf '%-22s ready %6.2f s wall, %5.2f s CPU, RSS %4d MB\n' "$name" \
    "$(echo "$t1 - $t0" | bc)" "$(cpu_seconds "$pid")" \
    "$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
specs="itnio=100000 yunfu=100000 huawei=100000 aliyun=100000 itnio=1000000"
[ -n "${ITNIO_ONLY:-}" ] && specs=itnio=1000000
[ -n "${YUNFU_ONLY:-}" ] && specs=
for spec in $specs; do
  ready "${spec%%=*} ${spec#*=}" --generate "$spec" --seed 1
  [ "$spec" = itnio=1000000 ] && break
  stop "$pid"
done
[ -n "${LOAD_ONLY:-}" ] && exit 0

# The 1,000,000-record mock stays up for the queries: the 90 days before now, UTC+8.
to=$(TZ=Asia/Shanghai date +'%Y-%m-%d %H:%M:%S')
from=$(TZ=Asia/Shanghai date -d '-90 days' +'%Y-%m-%d %H:%M:%S')
export BENCH_METHOD=POST BENCH_PATH=/v3/cc/record/query
query() { # query LABEL PAGE FILTER [SCRIPT]: the filter's RESULT line with the mock's CPU per request
  local now sign before result script=${4:-request.lua}
  now=$(date +%s)
  sign=$(printf '%s' "bDqJFiq97bz1lzh9$now" | md5sum | cut -c1-32)
  export BENCH_HEADERS=$'Content-Type: application/json;charset=UTF-8\nApi-Key: bDqJFiq9\n'"Timestamp: $now"$'\n'"Sign: $sign"
  export BENCH_BODY="{$2,\"params\":{\"startTime\":\"$from\",\"endTime\":\"$to\"$3}}"
  local total
  total=$(curl -sf -X POST -H 'Content-Type: application/json;charset=UTF-8' -H 'Api-Key: bDqJFiq9' \
    -H "Timestamp: $now" -H "Sign: $sign" --data-binary "${BENCH_BODY//@N@/${needle:-1391}}" "$url$BENCH_PATH" |
    sed -E 's/.*"total":([0-9]+).*/\1/')
  before=$(cpu_seconds "$pid")
  result=$(wrk -t1 -c64 -d"${duration}s" -s "bench/$script" "$url$BENCH_PATH" | grep RESULT)
  local rps cpu
  rps=$(field rps "$result")
  cpu=$(awk -v a="$before" -v b="$(cpu_seconds "$pid")" -v n="$(field requests "$result")" \
    'BEGIN {printf "%.1f", (b - a) * 1e6 / n}')
  [ -z "${base_rps:-}" ] && base_rps=$rps
  printf '%-34s %8s matches %9.0f req/s  %6.2fx  %7s us CPU/req  errors=%s\n' "$1" "$total" "$rps" \
    "$(echo "$rps / $base_rps" | bc -l)" "$cpu" "$(field errors "$result")"
}
first='"current":1,"size":20'
if [ -z "${YUNFU_ONLY:-}" ]; then
echo "ITNIO record query over 1,000,000 records, $from .. $to, wrk -t1 -c64 -d${duration}s"
query "unfiltered" "$first" ""
query "unfiltered, page 5000" '"current":5000,"size":20' ""
query "callType [2] (enum list)" "$first" ',"callType":[2]'
query "callType [1,3] (enum list)" "$first" ',"callType":[1,3]'
query "hangupReason [0,7] (enum list)" "$first" ',"hangupReason":[0,7]'
query "hangingDirection [3] (enum list)" "$first" ',"hangingDirection":[3]'
query "seatId [5000016] (exact id)" "$first" ',"seatId":[5000016]'
query "voiceGroupId 1000037 (exact id)" "$first" ',"voiceGroupId":1000037'
query "seatNameList (exact name)" "$first" ',"seatNameList":["bob.li"]'
query "sipGroupName (exact name)" "$first" ',"sipGroupName":"support-inbound"'
query "ccode [63] (code prefix)" "$first" ',"ccode":["63"]'
query "labelNames [vip] (labels)" "$first" ',"labelNames":["vip"]'
query "callType [2], page 5000" '"current":5000,"size":20' ',"callType":[2]'
query "callType [2] + labelNames [vip]" "$first" ',"callType":[2],"labelNames":["vip"]'
query "callType [2] + labels, page 800" '"current":800,"size":20' ',"callType":[2],"labelNames":["vip"]'
query "callType [3] + hangupReason [0,7]" "$first" ',"callType":[3],"hangupReason":[0,7]'
query "seatId + callType [2] + ccode [86]" "$first" ',"seatId":[5000016],"callType":[2],"ccode":["86"]'
query "seatNameList + labelNames [vip]" "$first" ',"seatNameList":["bob.li"],"labelNames":["vip"]'
query "calledOrCaller 8613 (substring)" "$first" ',"calledOrCaller":"8613"'
query "calledOrCaller 13912 (substring)" "$first" ',"calledOrCaller":"13912"'
query "calledOrCaller 8613, page 1500" '"current":1500,"size":20' ',"calledOrCaller":"8613"'
query "calledOrCaller 8613 + callType [2]" "$first" ',"calledOrCaller":"8613","callType":[2]'
query "calledOrCaller, new each request" "$first" ',"calledOrCaller":"@N@"' request_vary.lua
query "new number + callType [2]" "$first" ',"calledOrCaller":"@N@","callType":[2]' request_vary.lua
# A different number of the window on every request (request_list.lua): customers' numbers whole
# and their 7 middle digits (the gram index: candidates from the rarest 4 digits), the company
# lines (kept whole by the index: their records need no check), and 3 digits (the union of the 20
# grams around them). The gram index is built after the mock is ready: the queries above come
# first, so it is built by the time these run.
now=$(date +%s)
page=$(curl -sf -X POST -H 'Content-Type: application/json;charset=UTF-8' -H 'Api-Key: bDqJFiq9' \
  -H "Timestamp: $now" -H "Sign: $(printf '%s' "bDqJFiq97bz1lzh9$now" | md5sum | cut -c1-32)" \
  --data-binary "{\"current\":1,\"size\":100,\"params\":{\"startTime\":\"$from\",\"endTime\":\"$to\"}}" \
  "$url$BENCH_PATH")
numbers=$(grep -oE '"(caller|encryptCalled)":"[0-9]+"' <<<"$page" | cut -d'"' -f4 | sort -u)
needles() { # needles WORD...: sets BENCH_NEEDLES and the first one shown by query
  export BENCH_NEEDLES="$*"
  needle=$1
}
needles $(grep -v 2000000 <<<"$numbers")
query "calledOrCaller, new full number" "$first" ',"calledOrCaller":"@N@"' request_list.lua
needles $(grep -v 2000000 <<<"$numbers" | cut -c5-11)
query "calledOrCaller, new 7-digit middle" "$first" ',"calledOrCaller":"@N@"' request_list.lua
needles $(grep 2000000 <<<"$numbers")
query "calledOrCaller, new company line" "$first" ',"calledOrCaller":"@N@"' request_list.lua
needles $(seq 100 999)
query "calledOrCaller, new 3 digits" "$first" ',"calledOrCaller":"@N@"' request_list.lua
needles $(grep -v 2000000 <<<"$numbers")
query "new full number + callType [2]" "$first" ',"calledOrCaller":"@N@","callType":[2]' request_list.lua
unset needle
fi

# Yunfu: GET with a Bearer token; the filters are PHP query strings on one task's record list.
yunfu_query() { # yunfu_query LABEL QUERY
  export BENCH_METHOD=GET BENCH_BODY= BENCH_HEADERS='Authorization: Bearer demo-yunfu-token'
  local path="$yunfu_path?$2" total before result rps cpu
  total=$(curl -gsf -H "$BENCH_HEADERS" "$url$path" | sed -E 's/.*"total":([0-9]+).*/\1/')
  before=$(cpu_seconds "$pid")
  result=$(wrk -t1 -c64 -d"${duration}s" -s bench/request.lua "$url$path" | grep RESULT)
  rps=$(field rps "$result")
  cpu=$(awk -v a="$before" -v b="$(cpu_seconds "$pid")" -v n="$(field requests "$result")" \
    'BEGIN {printf "%.1f", (b - a) * 1e6 / n}')
  [ -z "${yunfu_base:-}" ] && yunfu_base=$rps
  printf '%-34s %8s matches %9.0f req/s  %6.2fx  %7s us CPU/req  errors=%s\n' "$1" "$total" "$rps" \
    "$(echo "$rps / $yunfu_base" | bc -l)" "$cpu" "$(field errors "$result")"
}
[ -n "${ITNIO_ONLY:-}" ] && exit 0
[ -z "${YUNFU_ONLY:-}" ] && stop "$pid"
yunfu_records=${YUNFU_RECORDS:-1000000}
ready "yunfu $yunfu_records" --generate "yunfu=$yunfu_records" --seed 1
yunfu_path=/agent-api/user/4d99d91c-f5d9-49da-88da-758977cc58a9/task/963e2153-82c0-4b18-939f-9f5e6cb965cb/record
h0=$(TZ=Asia/Shanghai date -d '-90 days' +'%Y-%m-%d%%20%H:%M:%S')
h1=$(TZ=Asia/Shanghai date +'%Y-%m-%d%%20%H:%M:%S')
h1d=$(TZ=Asia/Shanghai date -d '-30 days' +'%Y-%m-%d%%20%H:%M:%S')
h0d=$(TZ=Asia/Shanghai date -d '-31 days' +'%Y-%m-%d%%20%H:%M:%S')
echo "Yunfu record list over $yunfu_records records (one task's ~1/7), wrk -t1 -c64 -d${duration}s"
yunfu_query "unfiltered" ""
yunfu_query "unfiltered, page 5000" "page=5000"
yunfu_query "intention_tags [1,2] (index)" "intention_tags[]=1&intention_tags[]=2"
yunfu_query "intention_tags [1], page 2000" "intention_tags[]=1&page=2000"
yunfu_query "levels [300,900] (index)" "levels[0][]=300&levels[0][]=900"
yunfu_query "intention [1] + keyword (walk)" "intention_tags[]=1&keyword=139"
yunfu_query "keyword 139 (run index)" "keyword=139"
yunfu_query "keyword 13912 (run index, tested)" "keyword=13912"
yunfu_query "keyword 139, page 500" "keyword=139&page=500"
yunfu_query "keyword 13 (scan: under 3 digits)" "keyword=13"
yunfu_query "hangup_date 90 days (bounds)" "hangup_date[]=$h0&hangup_date[]=$h1"
yunfu_query "hangup_date 1 day (bounds)" "hangup_date[]=$h0d&hangup_date[]=$h1d"
yunfu_query "hangup_date 90 days, page 2000" "hangup_date[]=$h0&hangup_date[]=$h1&page=2000"
yunfu_query "hangup_date + keyword 139" "hangup_date[]=$h0&hangup_date[]=$h1&keyword=139"
