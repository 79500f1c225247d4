#!/usr/bin/env bash
# Configures and builds idclaim into build/ (server, tests, benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target idclaim idclaim-test idclaim-crash "$@"
