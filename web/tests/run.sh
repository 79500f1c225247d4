#!/usr/bin/env bash
# End-to-end tests of the browser UI in Debian's headless Chromium.
#
# Usage: web/tests/run.sh [PATH/TO/idclaim] [SPEC...]
#   PATH/TO/idclaim defaults to $IDCLAIM_BIN, then build/idclaim.
#   SPEC: spec files to run (default: every specs/*.test.mjs).
#
# Builds nothing. Installs playwright-core from the lockfile when missing
# (npm ci; no browser is downloaded: Debian's /usr/bin/chromium is used),
# starts the server on a free port with a fresh data directory, the fast
# password hash and the test clock, makes the two staff accounts with the
# CLI, seeds the demo data (idclaim demo), runs the specs with Node's own
# test runner, saves a screenshot of every page to web/tests/artifacts/,
# and stops the server.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-${IDCLAIM_BIN:-$root/build/idclaim}}
shift || true
chromium=${CHROMIUM:-/usr/bin/chromium}

for tool in node npm sqlite3 "$chromium"; do
  if ! command -v "$tool" >/dev/null; then
    echo "ui tests: $tool is missing (scripts/install-deps.sh --ui installs it)" >&2
    exit 1
  fi
done
if [[ ! -x "$bin" ]]; then
  echo "ui tests: no server binary at $bin (build it first)" >&2
  exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

cd "$here"
if [[ ! -f node_modules/playwright-core/package.json ]] \
   || ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
  # Fails loudly, never skips: without playwright-core nothing is tested.
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "ui tests: FAILED to install playwright-core with npm ci (no registry" \
      "or cache reachable?); the browser tests did not run" >&2
    exit 1
  fi
fi

artifacts=${IDCLAIM_ARTIFACTS:-$here/artifacts}
rm -rf "$artifacts"
mkdir -p "$artifacts"
data=$(mktemp -d "${TMPDIR:-/tmp}/idclaim-ui.XXXXXX")
server_pid=

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap stop_server EXIT

# A free port: bind port 0 and read what the kernel gave.
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')

export IDCLAIM_REVIEWER_PASSWORD=Review2024pass
export IDCLAIM_OPERATOR_PASSWORD=Operate2024pass
"$bin" staff add --data-dir "$data" --password-hash fast --role reviewer \
  --username reviewer01 --password "$IDCLAIM_REVIEWER_PASSWORD" >>"$artifacts/server.log" 2>&1
"$bin" staff add --data-dir "$data" --password-hash fast --role operator \
  --username operator01 --password "$IDCLAIM_OPERATOR_PASSWORD" >>"$artifacts/server.log" 2>&1

# The demo data set too (its own IDs and usernames, apart from the specs'),
# so specs/demo.test.mjs can show every page with content.
"$bin" demo --data-dir "$data" --password-hash fast >>"$artifacts/server.log" 2>&1

"$bin" serve --listen "127.0.0.1:$port" --data-dir "$data" --password-hash fast \
  --test-clock --web-dir "$root/web" >>"$artifacts/server.log" 2>&1 &
server_pid=$!

url="http://127.0.0.1:$port"
ready=
for _ in $(seq 100); do
  if curl -fsS "$url/readyz" >/dev/null 2>&1; then ready=1; break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [[ -z "$ready" ]]; then
  echo "ui tests: the server did not become ready; its log:" >&2
  cat "$artifacts/server.log" >&2
  exit 1
fi

export IDCLAIM_URL=$url IDCLAIM_DATA_DIR=$data IDCLAIM_BIN=$bin IDCLAIM_ARTIFACTS=$artifacts
export CHROMIUM=$chromium
specs=("$@")
if ((${#specs[@]} == 0)); then specs=(specs/*.test.mjs); fi
# One spec file at a time: the machine has two cores and each file drives
# its own Chromium.
status=0
node --test --test-concurrency=1 --test-reporter=spec "${specs[@]}" || status=$?
echo "ui tests: screenshots in $artifacts"
exit "$status"
