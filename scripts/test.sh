#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, builds,
# runs the whole suite through ctest, the browser tests of the UI in headless
# Chromium (web/tests/run.sh; screenshots in web/tests/artifacts/), the
# three-process cluster behind nginx and the .deb package test.
# .ci/run calls exactly this. Every part runs; the exit code is non-zero when
# any of them failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --ui
scripts/build.sh
status=0
part() {
  local name=$1
  shift
  "$@" || { s=$?; echo "FAILED: $name ($s)" >&2; status=$s; }
}
part ctest bash -c 'cd build && ctest --output-on-failure -j"$(nproc)" --timeout 600'
part browser web/tests/run.sh build/idclaim
# Three processes and nginx on one PostgreSQL (issue 7), then the .deb.
part cluster scripts/cluster-test.sh build
part package scripts/deb-test.sh build
exit "$status"
