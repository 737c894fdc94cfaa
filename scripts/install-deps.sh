#!/usr/bin/env bash
# Installs the Debian 12 packages cdrsim builds and tests with, when any is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libmicrohttpd-dev libcjson-dev libssl-dev libcurl4-openssl-dev libcmocka-dev
  openssl curl
  clang libclang-rt-14-dev # the libFuzzer targets (scripts/fuzz.sh): clang and its fuzzer runtime
  libtsan2 # gcc's ThreadSanitizer runtime, for scripts/test.sh --tsan (build-essential pulls it in
           # through libgcc-12-dev today; named so a leaner toolchain cannot drop it)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The aliyun SDK compatibility test runs Alibaba Cloud's own Node.js clients (installed by npm).
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
