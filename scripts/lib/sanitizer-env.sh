# shellcheck shell=bash
# Sourced by the scripts that run sanitized code (test.sh, fuzz.sh,
# sanitize.sh): every sanitizer report fails the process that made it,
# instead of printing a line nobody reads. Suppressions, each with its
# reason, live in tests/lsan.supp and tests/tsan.supp. Options already in
# the environment are kept and come last, so they win.
sanitizer_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$sanitizer_root/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export TSAN_OPTIONS="suppressions=$sanitizer_root/tests/tsan.supp:halt_on_error=1:second_deadlock_stack=1:print_suppressions=0${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
