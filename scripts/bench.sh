#!/usr/bin/env bash
# Builds the server and the load generator, then runs the benchmark:
#   scripts/bench.sh short   # under 3 minutes on 2 cores
#   scripts/bench.sh full    # longer; S6 fills 10^6 accounts
# Extra arguments go to idclaim-bench (e.g. --scenarios S1,S2). Results go
# to bench/results/<time>-<mode>.{json,svg,txt} (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-short}"
case "$mode" in
  short|full) shift || true ;;
  *) echo "usage: scripts/bench.sh short|full [idclaim-bench options]" >&2
     exit 2 ;;
esac
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target idclaim idclaim-bench
exec ./build/idclaim-bench "--$mode" --server build/idclaim \
  --out bench/results "$@"
