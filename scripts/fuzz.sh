#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) in the checked build
# (scripts/build-checked.sh: clang 14, ASan + UBSan) and runs each for
# SECONDS (default 60) on a copy of its seed corpus, with its dictionary.
# Fails on the first crash, leak, UB report or timeout; the input that
# caused it is left in build-check/artifacts/<target>/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: id_number csv ...)
# See docs/fuzzing.md for long runs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true

scripts/install-deps.sh --fuzz
scripts/build-checked.sh fuzz-targets
build="build-check"

targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in fuzz/fuzz_*.cpp; do
    name=${source#fuzz/fuzz_}
    targets+=("${name%.cpp}")
  done
fi

# The largest input worth trying: a photo may be 300 KB (plus a little to
# cross the limit), an imported CSV row block 64 KiB, anything else 4 KiB.
max_len() {
  case $1 in
    photo) echo 310000 ;;
    csv) echo 65536 ;;
    *) echo 4096 ;;
  esac
}

# Leaks and UB must fail the run, like any ASan report.
# shellcheck source=scripts/lib/sanitizer-env.sh
source scripts/lib/sanitizer-env.sh

for name in "${targets[@]}"; do
  binary=$build/fuzz/fuzz_$name
  [[ -x $binary ]] || { echo "no fuzz target '$name'" >&2; exit 2; }
  # New inputs go to a scratch corpus so the committed seeds stay small;
  # `-merge=1` (docs/fuzzing.md) folds the interesting ones back.
  work=$build/corpus/$name
  artifacts=$build/artifacts/$name/
  mkdir -p "$work" "$artifacts"
  args=(-max_total_time="$seconds" -max_len="$(max_len "$name")"
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts")
  if [[ -f fuzz/dict/$name.dict ]]; then
    args+=(-dict="fuzz/dict/$name.dict")
  fi
  log=$build/fuzz_$name.log
  echo "== fuzz_$name for ${seconds}s (log: $log)"
  status=0
  "$binary" "${args[@]}" "$work" "fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss)' \
    "$log" || true
  if ((status != 0)); then
    echo "fuzz_$name FAILED (exit $status); input in $artifacts" >&2
    tail -60 "$log" >&2
    exit 1
  fi
done
echo "fuzzing passed: ${#targets[@]} targets, ${seconds}s each"
