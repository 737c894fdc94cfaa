#!/usr/bin/env bash
# How fast cdrsim-client crawls a vendor through the mock: the mock serves N generated ITNIO
# records (--generate itnio=N, default 100,000), and `cdrsim-client fetch itnio` reads every one
# in pages of 100 and writes them as normalized JSON Lines to a file. Prints records/s of the
# whole crawl (the mock's work included, both on this machine's cores) and the client's own CPU
# time per record, and the mock's CPU time per page it rendered (the other half of the machine's
# work). With ROUNDS=N (default 3) the median of N crawls. With CALLGRIND=1 one more crawl under
# valgrind's callgrind counts the client's instructions per record, which load does not disturb.
# Usage: bench/crawl.sh [RECORDS] [--raw]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-100000}
raw=${2:-}
source bench/lib.sh
cmake --build build-bench -j"$(nproc)" --target cdrsim-client >/dev/null
CLIENT=build-bench/client/cli/cdrsim-client

# The mock's clock is the real one: the client signs with the real time. The records lie in the
# 365 days before it; the window asked for (China time, as ITNIO reads it) covers them all.
start mock "$MOCK" --port 0 --generate "itnio=$records" --seed 7 --log-format off
mock=$pid
from=$(TZ=Asia/Shanghai date -d '-367 days' '+%Y-%m-%d %H:%M:%S')
to=$(TZ=Asia/Shanghai date -d '+1 day' '+%Y-%m-%d %H:%M:%S')
out=$work/records.jsonl
rounds=${ROUNDS:-3}
echo "cdrsim-client fetch itnio ${raw:+$raw }over $records generated records, pages of 100;" \
  "$(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
results=()
pages=$(((records + 99) / 100))
crawl() { # crawl [WRAPPER...]: one fetch of every record into $out
  "$@" "$CLIENT" fetch itnio --base-url "$url" --api-key bDqJFiq9 --api-secret 7bz1lzh9 \
    --from "$from" --to "$to" --page-size 100 $raw >"$out" 2>"$work/client.err" ||
    { cat "$work/client.err" >&2; exit 1; }
}
for round in $(seq "$rounds"); do
  mock_before=$(cpu_seconds "$mock")
  begin=$(date +%s.%N)
  crawl /usr/bin/time -f '%U %S' -o "$work/time"
  end=$(date +%s.%N)
  mock_after=$(cpu_seconds "$mock")
  lines=$(wc -l <"$out")
  [ "$lines" -eq "$records" ] || { echo "crawled $lines records, not $records" >&2; exit 1; }
  line=$(awk -v b="$begin" -v e="$end" -v n="$lines" -v cpu="$(awk '{print $1 + $2}' "$work/time")" \
    -v m="$(awk -v a="$mock_before" -v z="$mock_after" 'BEGIN {print z - a}')" -v p="$pages" \
    'BEGIN {printf "%.0f %.2f %.2f %.0f", n / (e - b), e - b, cpu * 1e6 / n, m * 1e6 / p}')
  echo "  round $round: $line (records/s, seconds, client CPU us per record, mock CPU us per page)"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | awk '{print $1}' | median |
  awk '{printf "median: %.0f records/s\n", $1}'
if [ "${CALLGRIND:-0}" = 1 ]; then
  crawl valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out"
  callgrind_annotate "$work/callgrind.out" 2>/dev/null | awk -v n="$records" \
    '/PROGRAM TOTALS/ {gsub(",", "", $1); printf "client: %.0f instructions per record\n", $1 / n}'
fi
