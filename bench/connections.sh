#!/usr/bin/env bash
# 10,000 connections held against cdrsim-mock at once (default: a third idle, a third sending a
# header line per second and never finishing, a third Huawei event long polls re-sent whenever
# answered) for SECONDS, while /__cdrsim/health and a signed ITNIO query are sent on fresh
# connections every 100 ms and timed. Shows how promptly the mock answers others meanwhile, and
# that the idle and trickling connections are cut at the header deadline (10 s) while the polls
# go on. Usage: bench/connections.sh [SECONDS] [IDLE SLOW POLLS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-14}
idle=${2:-3400}
slow=${3:-3300}
polls=${4:-3300}
source bench/lib.sh

start mock "$MOCK" --port 0
port=${url##*:}
guid=$(curl -sfi -X PUT "$url/agentgateway/resource/onlineagent/291" -H 'Content-Type: application/json' \
  -d '{"password":"demo-pass-291","phonenum":"70291"}' | tr -d '\r' | awk -F': ' 'tolower($1)=="guid" {print $2}')
[ -n "$guid" ] || { echo "huawei sign-in failed" >&2; exit 1; }
now=$(date +%s)
sign=$(printf '%s' "bDqJFiq97bz1lzh9$now" | md5sum | cut -c1-32)
body='{"current":1,"size":20,"params":{"startTime":"2025-01-01 00:00:00","endTime":"2025-03-31 00:00:00"}}'
crlf=$'\r\n'
poll="GET /agentgateway/resource/agentevent/291 HTTP/1.1${crlf}Host: bench${crlf}Guid: $guid${crlf}${crlf}"
health="GET /__cdrsim/health HTTP/1.1${crlf}Host: bench${crlf}Connection: close${crlf}${crlf}"
query="POST /v3/cc/record/query HTTP/1.1${crlf}Host: bench${crlf}Connection: close${crlf}"
query+="Content-Type: application/json${crlf}Api-Key: bDqJFiq9${crlf}Timestamp: $now${crlf}"
query+="Sign: $sign${crlf}Content-Length: ${#body}${crlf}${crlf}$body"

echo "cdrsim-mock with its defaults (header deadline 10 s, request log to a file);" \
  "$(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cpu_before=$(cpu_seconds "$pid")
build-bench/bench/cdrsim-bench-connections "$port" "$seconds" "$idle" "$slow" "$polls" \
  "$poll" "$health" "$query"
echo "mock: $(awk -v a="$cpu_before" -v b="$(cpu_seconds "$pid")" 'BEGIN {printf "%.1f", b - a}') s of CPU" \
  "over the run, $(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status") MB resident," \
  "$(ls "/proc/$pid/task" | wc -l) threads"
