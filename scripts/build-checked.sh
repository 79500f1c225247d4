#!/usr/bin/env bash
# Builds the *checked* build into build-check/: clang 14 with AddressSanitizer
# + UndefinedBehaviorSanitizer on every target, and libFuzzer's coverage
# instrumentation, so the one compile gives the sanitized server, test suite
# and crash harness *and* the fuzz targets (fuzz/). scripts/test.sh runs the
# whole suite on it; scripts/fuzz.sh fuzzes with it.
#
#   scripts/build-checked.sh [TARGET...]   (default: idclaim idclaim-test
#                                           idclaim-crash fuzz-targets)
#
# -O1 compiles much faster than -O2 and keeps sanitized code quick; -g1
# (line tables) is all that symbolized reports need. The release build of
# scripts/build.sh (build/) is separate and untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
targets=("$@")
((${#targets[@]})) || targets=(idclaim idclaim-test idclaim-crash fuzz-targets)
CC=clang-14 CXX=clang++-14 cmake -S . -B build-check -DIDCLAIM_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" >/dev/null
cmake --build build-check -j"$(nproc)" --target "${targets[@]}"
