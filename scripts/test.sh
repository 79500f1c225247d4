#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, builds,
# runs the whole suite through ctest, then the browser tests of the UI in
# headless Chromium (web/tests/run.sh; screenshots in web/tests/artifacts/).
# .ci/run calls exactly this. Both parts always run; the exit code is
# non-zero when either failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --ui
scripts/build.sh
status=0
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 600) || status=$?
web/tests/run.sh build/idclaim || { s=$?; echo "browser tests failed ($s)" >&2; status=$s; }
exit "$status"
