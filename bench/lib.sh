# Sourced by the benchmark drivers: a Release build in build-bench/, processes started and
# stopped, wrk's RESULT line read.
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
export BENCH_DIR=$PWD/bench
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCDRSIM_BUILD_TESTS=OFF \
  -DCMAKE_C_COMPILER_LAUNCHER="$(command -v ccache || true)" >/dev/null
cmake --build build-bench -j"$(nproc)" --target cdrsim-mock cdrsim-bench-static cdrsim-bench-layer cdrsim-bench-connections \
  cdrsim-bench-aliyun-requests >/dev/null
MOCK=${MOCK:-build-bench/mockserver/cdrsim-mock} # MOCK=PATH: another build of it (a baseline)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME CMD...: runs CMD (stdout to $work/NAME.out, stderr to $work/NAME.err), waits for
# its "listening on" line, sets $url and $pid.
start() {
  : >"$work/$1.out" # exists before the child's redirection, so the poll below never races it
  "${@:2}" >"$work/$1.out" 2>"$work/$1.err" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 200); do
    url=$(awk '/^listening on/ {print $3; exit}' "$work/$1.out")
    [ -n "$url" ] && return 0
    sleep 0.05
  done
  echo "$1 did not start: $(cat "$work/$1.err")" >&2
  exit 1
}

stop() { # stop PID
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
