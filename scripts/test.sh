#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, makes the
# checked build (scripts/build-checked.sh: clang 14 with ASan + UBSan, which
# also builds the libFuzzer targets) and runs on it, with every sanitizer
# report failing its test:
#   ctest     the whole suite (SQLite, PostgreSQL @pg variants, kill -9 runs)
#   fuzz      a short run of every fuzz target from its seed corpus
#   browser   the UI in headless Chromium (web/tests/run.sh; screenshots in
#             web/tests/artifacts/)
#   cluster   three processes and nginx on one PostgreSQL (issue 7)
#   package   the .deb installed, started and purged (scripts/deb-test.sh)
# .ci/run calls exactly this. Every part runs; the exit code is non-zero when
# any of them failed. FUZZ_SECONDS (default 10) sets each fuzz run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --ui --fuzz
scripts/build-checked.sh
# shellcheck source=scripts/lib/sanitizer-env.sh
source scripts/lib/sanitizer-env.sh
build="build-check"
status=0
part() {
  local name=$1 started=$SECONDS
  shift
  echo "== $name"
  "$@" || { s=$?; echo "FAILED: $name ($s)" >&2; status=$s; }
  echo "== $name: $((SECONDS - started)) s"
}
part ctest bash -c "cd $build && ctest --output-on-failure -j\"\$(nproc)\" --timeout 1200"
part fuzz scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
part browser web/tests/run.sh "$build/idclaim"
part cluster scripts/cluster-test.sh "$build"
part package scripts/deb-test.sh "$build"
exit "$status"
