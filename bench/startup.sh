#!/usr/bin/env bash
# Start-up of cdrsim-mock with the built-in data: the median wall time of N starts from exec to
# its "listening on" line (read through a pipe, so measured when the line arrives), and, once,
# the instructions it ran until then, counted by valgrind's callgrind (which a loaded machine does
# not disturb) with the share of the vendors' loaders (their datasets, in whichever thread).
# Extra arguments go to the mock (e.g. --generate itnio=100000).
# Usage: bench/startup.sh [N] [MOCK-ARGS]...
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
shift || true
source bench/lib.sh

# One start: prints the milliseconds until "listening on".
one_start() {
  local t0 t1 line
  t0=$(date +%s%N)
  coproc MOCKPROC { exec "$MOCK" --port 0 "$@" 2>/dev/null; }
  local mock_pid=$MOCKPROC_PID
  while IFS= read -r line <&"${MOCKPROC[0]}"; do
    [[ $line == "listening on "* ]] && break
  done
  t1=$(date +%s%N)
  kill "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f\n", (b - a) / 1e6}'
}

"$MOCK" --version >/dev/null # warm the page cache
for _ in $(seq "$runs"); do one_start "$@"; done >"$work/times"
echo "start-up of $MOCK $*: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'wall ms to "listening on": median %s, min %s, max %s (%s starts)\n' \
  "$(median <"$work/times")" "$(sort -g "$work/times" | head -n 1)" \
  "$(sort -g "$work/times" | tail -n 1)" "$runs"

if command -v valgrind >/dev/null; then
  out=$work/startup.callgrind
  start startup valgrind --tool=callgrind --callgrind-out-file="$out" "$MOCK" --port 0 "$@"
  callgrind_control -d "$pid" >/dev/null 2>&1
  stop "$pid"
  dump=$(ls "$out".* | sort | head -n 1)
  total=$(awk '/^summary:/ {print $2}' "$dump")
  loaders=$(callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null |
    awk '/:(itnio|yunfu|huawei|aliyun)_load / {gsub(",", "", $1); s += $1} END {print s + 0}')
  awk -v t="$total" -v w="$loaders" 'BEGIN {printf "instructions until listening: %.1f M, " \
    "of which the vendors\047 loaders %.1f M (%.0f%%)\n", t / 1e6, w / 1e6, 100 * w / t}'
fi
