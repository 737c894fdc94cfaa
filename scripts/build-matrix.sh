#!/usr/bin/env bash
# Builds every target (tests and benchmarks included) with -Werror for each compiler and build type
# asked for, each in its own build-matrix/<compiler>-<type>/ directory. Without arguments: Release
# with gcc and clang, what CI builds. --all: Release, MinSizeRel, Debug and RelWithDebInfo. Then
# the library alone (-DCDRSIM_LIBRARY_ONLY=ON) with the first compiler, installed into a scratch
# prefix: the library, headers, cdrsim.pc and the CMake package, and no program.
#   scripts/build-matrix.sh [--all] [--types "Release Debug"] [--compilers "gcc clang"]
set -euo pipefail
cd "$(dirname "$0")/.."

types="Release"
compilers="gcc clang"
while [ $# -gt 0 ]; do
  case "$1" in
    --all) types="Release MinSizeRel Debug RelWithDebInfo" ;;
    --types) types="$2"; shift ;;
    --compilers) compilers="$2"; shift ;;
    *) echo "usage: scripts/build-matrix.sh [--all] [--types LIST] [--compilers LIST]" >&2; exit 2 ;;
  esac
  shift
done

scripts/install-deps.sh
if [[ " $compilers " == *" clang "* ]] && ! command -v clang >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends clang
fi

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
for cc in $compilers; do
  case "$cc" in
    gcc) cxx=g++ ;;
    clang) cxx=clang++ ;;
    *) echo "build-matrix: unknown compiler '$cc' (gcc, clang)" >&2; exit 2 ;;
  esac
  for type in $types; do
    dir="build-matrix/$cc-$type"
    echo "== $cc $type ($dir)"
    start=$(date +%s)
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_CXX_COMPILER="$cxx" -DCDRSIM_WERROR=ON "${launcher[@]}" >/dev/null
    cmake --build "$dir" -j"$(nproc)"
    echo "== $cc $type: built in $(($(date +%s) - start)) s"
  done
done

cc=${compilers%% *}
dir="build-matrix/$cc-library-only"
echo "== $cc Release, library only ($dir)"
start=$(date +%s)
rm -rf "$dir"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$cc" -DCDRSIM_LIBRARY_ONLY=ON \
  -DCMAKE_INSTALL_PREFIX="$PWD/$dir/prefix" "${launcher[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
cmake --install "$dir" >/dev/null
for f in lib/libcdrsim.a lib/libcdrsim.so lib/pkgconfig/cdrsim.pc lib/cmake/cdrsim/cdrsimConfig.cmake \
  include/cdrsim/cdrsim.h; do
  [ -e "$dir/prefix/$f" ] || { echo "build-matrix: library only: $f not installed" >&2; exit 1; }
done
if [ -e "$dir/prefix/bin" ] || [ -e "$dir/prefix/share/cdrsim" ]; then
  echo "build-matrix: library only installed programs or their data" >&2
  exit 1
fi
echo "== $cc library only: built and installed in $(($(date +%s) - start)) s"
