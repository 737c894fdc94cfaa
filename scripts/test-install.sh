#!/usr/bin/env bash
# The installed tree, relocated: builds a copy of this checkout, installs it into a scratch prefix,
# MOVES the prefix and deletes the copy and its build, so nothing but the installed tree is left.
# Then runs the installed mock (its data found beside it) and cdrsim-conform against it, checks
# CDRSIM_DATA and --data still override, and builds consumers of the installed library through
# pkg-config (the examples in C, a C++ program) and through find_package(cdrsim) (C shared, C
# static, C++), each run against the installed mock. Leaves the checkout untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
scripts/install-deps.sh

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cdrsim-install.XXXXXX")
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "a copy of the checkout (tracked and new files) in $scratch/src"
mkdir -p "$scratch/src" "$scratch/consumers"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar -c --null -T - | tar -x -C "$scratch/src"
# The consumers' own sources, kept apart: they are not part of what is installed.
cp -r examples tests/install "$scratch/consumers/"

step "build and install into $scratch/prefix"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$scratch/src" -B "$scratch/build" -DCMAKE_BUILD_TYPE=Release -DCDRSIM_BUILD_TESTS=OFF \
  -DCDRSIM_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX="$scratch/prefix" "${launcher[@]}" >/dev/null
cmake --build "$scratch/build" -j"$(nproc)" >/dev/null
cmake --install "$scratch/build" >/dev/null

step "relocate: move the prefix, delete the source copy and the build tree"
mv "$scratch/prefix" "$scratch/moved"
rm -rf "$scratch/src" "$scratch/build"
prefix="$scratch/moved"
for f in bin/cdrsim-mock bin/cdrsim-client bin/cdrsim-conform lib/libcdrsim.a lib/libcdrsim.so \
  lib/pkgconfig/cdrsim.pc lib/cmake/cdrsim/cdrsimConfig.cmake \
  lib/cmake/cdrsim/cdrsimConfigVersion.cmake include/cdrsim/cdrsim.h \
  share/cdrsim/suites/itnio.json share/cdrsim/fixtures/itnio/schema.json \
  share/doc/cdrsim/LICENSE share/man/man1/cdrsim-mock.1 share/man/man1/cdrsim-client.1 \
  share/man/man1/cdrsim-conform.1; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
soname=$(readelf -d "$prefix/lib/libcdrsim.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ -n "$soname" ] && [ -e "$prefix/lib/$soname" ] || fail "libcdrsim.so has no installed SONAME ($soname)"
echo "libcdrsim SONAME $soname"
# From here on nothing runs from the checkout: a relative "fixtures" must not resolve either.
cd /

step "installed mock: data found beside the binary"
"$prefix/bin/cdrsim-mock" --port 0 --log-format off >"$scratch/mock.out" 2>"$scratch/mock.err" &
mock_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on //p' "$scratch/mock.out")
  [ -n "$url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { cat "$scratch/mock.err" >&2; fail "the installed mock did not start"; }
if grep -q "no .* data under" "$scratch/mock.err"; then
  cat "$scratch/mock.err" >&2
  fail "the installed mock did not find its data"
fi
health=$(curl -fsS "$url/__cdrsim/health")
echo "$health" | grep -q '"status":"ok"' || fail "health: $health"
for v in itnio yunfu huawei aliyun; do
  echo "$health" | grep -q "\"$v\"" || fail "health does not list $v: $health"
done
echo "mock at $url: $health"
for doc in admin itnio yunfu huawei aliyun; do
  curl -fsS "$url/__cdrsim/openapi/$doc.json" | cmp -s - "$prefix/share/cdrsim/openapi/$doc.json" ||
    fail "the installed mock does not serve share/cdrsim/openapi/$doc.json"
done

step "CDRSIM_DATA and --data still override the installed data"
mkdir -p "$scratch/empty"
if CDRSIM_DATA="$scratch/empty" "$prefix/bin/cdrsim-mock" --dump-records itnio >/dev/null 2>&1; then
  fail "CDRSIM_DATA pointing at an empty directory still served itnio"
fi
CDRSIM_DATA="$scratch/empty" "$prefix/bin/cdrsim-mock" --data "$prefix/share/cdrsim/fixtures" \
  --dump-records itnio >/dev/null || fail "--data did not override CDRSIM_DATA"

step "installed cdrsim-conform run --vendor all --target mock"
"$prefix/bin/cdrsim-conform" run --vendor all --target mock --quiet >"$scratch/conform.out" 2>&1 ||
  { cat "$scratch/conform.out" >&2; fail "cdrsim-conform failed"; }
tail -n 1 "$scratch/conform.out"

step "installed cdrsim-client against the mock"
n=$("$prefix/bin/cdrsim-client" fetch aliyun --base-url "$url" --access-key-id testid \
  --access-key-secret testsecret --instance-id ccc_xp_pre-cn-demo001 | wc -l)
[ "$n" -gt 0 ] || fail "cdrsim-client fetch aliyun printed no record"
echo "cdrsim-client fetch aliyun: $n records"

# Runs a consumer; it must succeed and print at least one line carrying `expect`.
run_consumer() {
  local expect=$1
  shift
  local out
  out=$("$@") || fail "$*: exit status $?"
  echo "$out" | grep -q -- "$expect" || fail "$*: no line with $expect in: $out"
  echo "$(basename "$1"): $(echo "$out" | wc -l) line(s)"
}
run_examples() {
  local dir=$1
  run_consumer '"vendor":"itnio"' "$dir/example-itnio" "$url" bDqJFiq9 7bz1lzh9 2025-01-01
  run_consumer '"vendor":"yunfu"' "$dir/example-yunfu" "$url" demo-yunfu-token \
    4d99d91c-f5d9-49da-88da-758977cc58a9 287e19c4-1966-49d6-8f02-b53ef11c0a55 2021-11-30
  run_consumer '"vendor":"aliyun"' "$dir/example-aliyun" "$url" testid testsecret \
    ccc_xp_pre-cn-demo001 2025-03-01
  run_consumer '"vendor":"huawei"' "$dir/example-huawei" "$url" 291 demo-pass-291
}

step "pkg-config: the examples (C) and a C++ consumer"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion cdrsim)" = "$(sed -n 's/^#define CDRSIM_VERSION "\(.*\)"/\1/p' \
  "$prefix/include/cdrsim/version.h")" ] || fail "cdrsim.pc's version is not CDRSIM_VERSION"
make -s -C "$scratch/consumers/examples" >/dev/null
run_examples "$scratch/consumers/examples"
# shellcheck disable=SC2046 # pkg-config's flags are words
c++ -std=c++11 -Wall -Wextra -Werror "$scratch/consumers/install/consumer.cpp" \
  -o "$scratch/consumer-cxx" $(pkg-config --cflags --libs cdrsim) \
  -Wl,-rpath,"$(pkg-config --variable=libdir cdrsim)"
run_consumer "records" "$scratch/consumer-cxx" "$url" bDqJFiq9 7bz1lzh9
loaded=$(ldd "$scratch/consumer-cxx" | awk -v so="$soname" '$1 == so { print $3 }')
[ -n "$loaded" ] && [ "$(readlink -f "$loaded")" = "$(readlink -f "$prefix/lib/$soname")" ] ||
  fail "the C++ consumer loads $soname from '$loaded', not from the installed tree"
unset PKG_CONFIG_PATH

step "find_package(cdrsim): C (shared and static) and C++ consumers"
cmake -S "$scratch/consumers/install" -B "$scratch/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCDRSIM_EXAMPLES="$scratch/consumers/examples" >/dev/null
cmake --build "$scratch/consumer-build" -j"$(nproc)" >/dev/null
run_consumer '"vendor":"itnio"' "$scratch/consumer-build/consumer-c" "$url" bDqJFiq9 7bz1lzh9 2025-01-01
run_consumer '"vendor":"itnio"' "$scratch/consumer-build/consumer-c-static" "$url" bDqJFiq9 7bz1lzh9 \
  2025-01-01
run_consumer "records" "$scratch/consumer-build/consumer-cxx" "$url" bDqJFiq9 7bz1lzh9
if ldd "$scratch/consumer-build/consumer-c-static" | grep -q libcdrsim; then
  fail "the static consumer loads libcdrsim.so"
fi

echo "test-install: the installed tree works moved to $prefix"
