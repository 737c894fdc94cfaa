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

# One start: prints the milliseconds until "listening on", and the page faults the process had
# taken by then (every thread's, the loaders' that have ended too).
one_start() {
  local t0 t1 line faults
  t0=$(date +%s%N)
  coproc MOCKPROC { exec "$MOCK" --port 0 "$@" 2>/dev/null; }
  local mock_pid=$MOCKPROC_PID
  while IFS= read -r line <&"${MOCKPROC[0]}"; do
    [[ $line == "listening on "* ]] && break
  done
  t1=$(date +%s%N)
  faults=$(awk '{print $10}' "/proc/$mock_pid/stat" 2>/dev/null || echo 0)
  kill "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" -v f="$faults" 'BEGIN {printf "%.1f %d\n", (b - a) / 1e6, f}'
}

"$MOCK" --version >/dev/null # warm the page cache
for _ in $(seq "$runs"); do one_start "$@"; done >"$work/starts"
cut -d' ' -f1 "$work/starts" >"$work/times"
echo "start-up of $MOCK $*: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'wall ms to "listening on": median %s, min %s, max %s (%s starts); page faults median %s\n' \
  "$(median <"$work/times")" "$(sort -g "$work/times" | head -n 1)" \
  "$(sort -g "$work/times" | tail -n 1)" "$runs" "$(cut -d' ' -f2 "$work/starts" | median)"

if command -v valgrind >/dev/null; then
  out=$work/startup.callgrind
  start startup valgrind --tool=callgrind --callgrind-out-file="$out" "$MOCK" --port 0 "$@"
  callgrind_control -d "$pid" >/dev/null 2>&1
  stop "$pid"
  dump=$(ls "$out".* | sort | head -n 1)
  total=$(awk '/^summary:/ {print $2}' "$dump")
  annotated=$(callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null)
  part() { # the inclusive count of function $1 (its own line, not the calls annotated in source)
    awk -v f=":$1 [" 'index($0, f) {gsub(",", "", $1); s += $1} END {print s + 0}' <<<"$annotated"
  }
  loaders=0
  for v in itnio yunfu huawei aliyun; do loaders=$((loaders + $(part "${v}_load"))); done
  awk -v t="$total" -v w="$loaders" 'BEGIN {printf "instructions until listening: %.1f M, " \
    "of which the vendors\047 loaders %.1f M (%.0f%%)\n", t / 1e6, w / 1e6, 100 * w / t}'
  # Where they go: the dynamic linker before main (mapping, relocations) and the libraries'
  # constructors; the main thread (which takes start-up jobs too, so its count holds some of the
  # loaders'); libmicrohttpd opened in its own thread beside them; the schemas' check and each
  # loader (start-up jobs, on the main thread or one more per core) and the HTTP layer's start;
  # lazy symbol binding later on is left in each part.
  m() { awk -v n="$(part "$1")" 'BEGIN {printf "%.2f", n / 1e6}'; }
  printf 'in M instructions: linking %s + constructors %s; main thread %s (HTTP start %s); ' \
    "$(m _dl_start)" "$(m _dl_init)" "$(m main)" "$(m mock_http_start)"
  printf 'libmicrohttpd opened %s; schemas %s;' "$(m open_lib)" "$(m run_schema_job)"
  for v in itnio yunfu huawei aliyun; do printf ' %s %s' "$v" "$(m "${v}_load")"; done
  echo
fi
