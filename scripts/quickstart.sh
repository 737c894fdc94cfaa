#!/usr/bin/env bash
# Fresh Debian 12 to a running mock: packages, build, then cdrsim-mock on 127.0.0.1:8080 with the
# built-in dataset. It prints the PATH to set for the build's programs, then the URL, the demo
# credentials and a curl request per vendor.
# Extra arguments go to cdrsim-mock (e.g. --port 9090, --variant itnio.status_type=string).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
# The commands the mock prints name cdrsim-client as installed programs are named: put the
# build's programs on the PATH of the shell they are pasted into.
echo "cdrsim-client and cdrsim-conform are built in $PWD/build; to run the commands below as printed:"
echo "  export PATH=\"$PWD/build/client/cli:$PWD/build/conformance:$PWD/build/mockserver:\$PATH\""
echo
exec build/mockserver/cdrsim-mock --port 8080 "$@"
