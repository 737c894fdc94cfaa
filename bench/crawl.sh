#!/usr/bin/env bash
# How fast cdrsim-client crawls a vendor through the mock: the mock serves N generated ITNIO
# records (--generate itnio=N, default 100,000), and `cdrsim-client fetch itnio` reads every one
# in pages of 100 and writes them as normalized JSON Lines to a file. Prints records/s of the
# whole crawl (the mock's work included, both on this machine's cores) and the client's own CPU
# time per record. With ROUNDS=N (default 3) the median of N crawls.
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
from=$(TZ=Asia/Shanghai date -d '-367 days' '+%Y-%m-%d %H:%M:%S')
to=$(TZ=Asia/Shanghai date -d '+1 day' '+%Y-%m-%d %H:%M:%S')
out=$work/records.jsonl
rounds=${ROUNDS:-3}
echo "cdrsim-client fetch itnio ${raw:+$raw }over $records generated records, pages of 100;" \
  "$(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
results=()
for round in $(seq "$rounds"); do
  begin=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/time" "$CLIENT" fetch itnio --base-url "$url" \
    --api-key bDqJFiq9 --api-secret 7bz1lzh9 --from "$from" \
    --to "$to" --page-size 100 $raw >"$out" 2>"$work/client.err" ||
    { cat "$work/client.err" >&2; exit 1; }
  end=$(date +%s.%N)
  lines=$(wc -l <"$out")
  [ "$lines" -eq "$records" ] || { echo "crawled $lines records, not $records" >&2; exit 1; }
  line=$(awk -v b="$begin" -v e="$end" -v n="$lines" -v cpu="$(awk '{print $1 + $2}' "$work/time")" \
    'BEGIN {printf "%.0f %.2f %.2f", n / (e - b), e - b, cpu * 1e6 / n}')
  echo "  round $round: $line (records/s, seconds, client CPU us per record)"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | awk '{print $1}' | median |
  awk '{printf "median: %.0f records/s\n", $1}'
