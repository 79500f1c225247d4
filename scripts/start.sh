#!/usr/bin/env bash
# The one command for a fresh machine: installs what is missing, builds,
# seeds the demo data (once) and starts the server on 127.0.0.1:8080 with
# the embedded SQLite database under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
data_dir="${IDCLAIM_DATA_DIR:-var}"
if [[ ! -f "$data_dir/idclaim.sqlite3" ]] && ./build/idclaim help 2>/dev/null | grep -q "^  demo"; then
  ./build/idclaim demo --data-dir "$data_dir"
fi
exec ./build/idclaim serve --listen "${IDCLAIM_LISTEN:-127.0.0.1:8080}" --data-dir "$data_dir" "$@"
