#!/usr/bin/env bash
# Crash test: runs load against a real `idclaim serve`, SIGKILLs it at
# random moments, restarts it on the same data, and checks that every 2xx
# answer is durable and no invariant broke (docs/reliability.md).
#
#   scripts/crash-test.sh [--short] [--kills N] [sqlite|postgresql|both]
#
# --short is the version the test suite runs (20 kills, short load bursts).
# PostgreSQL: uses the server named by IDCLAIM_TEST_DATABASE_URL_FILE (as
# ctest sets it), else starts a throw-away one with scripts/pg-test-server.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IDCLAIM_BUILD_DIR:-$root/build}
kills=20
min_ms=300
max_ms=2500
backends=both
while (($#)); do
  case $1 in
    --short) min_ms=150; max_ms=700 ;;
    --kills) kills=$2; shift ;;
    sqlite|postgresql|both) backends=$1 ;;
    *) echo "usage: $0 [--short] [--kills N] [sqlite|postgresql|both]" >&2
       exit 2 ;;
  esac
  shift
done
# ctest runs the SQLite and PostgreSQL harnesses at once: one builds what
# is missing while the other waits, so they never write one binary together.
(
  flock 9
  if [[ ! -x $build/idclaim || ! -x $build/idclaim-crash ]]; then
    cmake --build "$build" --target idclaim idclaim-crash >/dev/null
  fi
) 9>"$build/.crash-build.lock"
work=$(mktemp -d "${TMPDIR:-/tmp}/idclaim-crash-XXXXXX")
pg_dir=""
cleanup() {
  if [[ -n $pg_dir ]]; then
    "$root/scripts/pg-test-server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  fi
  if [[ ${status:-1} -eq 0 ]]; then rm -rf "$work"; else
    echo "crash test data and server logs kept in $work" >&2; fi
}
trap cleanup EXIT
run() { # backend, extra driver flags...
  local backend=$1; shift
  mkdir -p "$work/$backend"
  "$build/idclaim-crash" --binary "$build/idclaim" --work-dir "$work/$backend" \
    --photo "$root/fuzz/corpus/photo/tiny.jpg" --kills "$kills" \
    --min-ms "$min_ms" --max-ms "$max_ms" "$@"
}
status=0
if [[ $backends != postgresql ]]; then
  run sqlite || status=1
fi
if [[ $backends != sqlite ]]; then
  if [[ -n ${IDCLAIM_TEST_DATABASE_URL_FILE:-} ]]; then
    server_url=$(cat "$IDCLAIM_TEST_DATABASE_URL_FILE")
  else
    pg_dir="$work/pg-server"
    server_url=$("$root/scripts/pg-test-server.sh" start "$pg_dir" | tail -1)
  fi
  db="idclaim_crash_$$_$RANDOM"
  psql -q "$server_url" -c "CREATE DATABASE $db" >/dev/null
  url="${server_url%/*}/$db"
  run postgresql --database "$url" || status=1
  psql -q "$server_url" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null || true
fi
exit $status
