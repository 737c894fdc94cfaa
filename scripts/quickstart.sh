#!/usr/bin/env bash
# Fresh Debian 12 to a running mock: packages, build, then cdrsim-mock on 127.0.0.1:8080 with the
# built-in dataset. It prints the URL, the demo credentials and a curl request per vendor.
# Extra arguments go to cdrsim-mock (e.g. --port 9090, --variant itnio.status_type=string).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec build/mockserver/cdrsim-mock --port 8080 "$@"
