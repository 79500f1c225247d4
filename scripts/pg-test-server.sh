#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite, on loopback only.
#
#   scripts/pg-test-server.sh start DIR   initdb, start the server on a free
#                                          port, print its URL and write it
#                                          to DIR/url
#   scripts/pg-test-server.sh stop DIR    stop it and remove its files
#
# The cluster lives in DIR/data, its log in DIR/postgres.log. PostgreSQL
# refuses to run as root, and CI runs as root: then the server runs as the
# unprivileged system user idclaim-pg (created on first use), and when that
# user cannot reach DIR (a parent directory closed to others, as /root is)
# or DIR's path is too long for a socket, the server's files go to a fresh
# directory under /tmp named in DIR/server-home. The binaries come from
# Debian's postgresql package (/usr/lib/postgresql/<version>/bin); PG_BIN
# overrides.
set -euo pipefail

pg_user=idclaim-pg
db_role=idclaim

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

(($# == 2)) || usage
cmd=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
    return
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr); do
    if [[ -x "$d/initdb" && -x "$d/postgres" ]]; then
      echo "$d"
      return
    fi
  done
  echo "no PostgreSQL server binaries found; install the postgresql" \
    "package (scripts/install-deps.sh)" >&2
  exit 1
}

is_root() {
  [[ $(id -u) -eq 0 ]]
}

# Runs a command as the server's owner.
as_owner() {
  if is_root; then
    runuser -u "$pg_user" -- "$@"
  else
    "$@"
  fi
}

ensure_user() {
  is_root || return 0
  if ! id "$pg_user" >/dev/null 2>&1; then
    # Two test runs may race to create it; either one winning is fine.
    useradd --system --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$pg_user" 2>/dev/null \
      || id "$pg_user" >/dev/null
  fi
}

# Where the server's files live: DIR, or the directory DIR/server-home names.
server_home() {
  if [[ -f "$dir/server-home" ]]; then
    cat "$dir/server-home"
  else
    echo "$dir"
  fi
}

# Picks (and makes) the server's home for a new cluster.
choose_home() {
  # The socket path, HOME/.s.PGSQL.NNNNN, must fit in 107 bytes.
  if ((${#dir} <= 80)); then
    if ! is_root; then
      echo "$dir"
      return
    fi
    chown "$pg_user" "$dir"
    if runuser -u "$pg_user" -- test -w "$dir" -a -x "$dir"; then
      echo "$dir"
      return
    fi
  fi
  local home
  home=$(mktemp -d /tmp/idclaim-pg.XXXXXX)
  if is_root; then chown "$pg_user" "$home"; fi
  echo "$home" >"$dir/server-home"
  echo "$home"
}

# shellcheck source=lib/free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/free-port.sh"

stop_server() {
  local bin=$1 home
  home=$(server_home)
  if [[ -f "$home/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$home/data" -m fast -w -t 60 stop \
      >/dev/null 2>&1 || true
  fi
  if [[ "$home" != "$dir" ]]; then
    cp "$home/postgres.log" "$dir/postgres.log" 2>/dev/null || true
    rm -rf "$home" "$dir/server-home"
  fi
  rm -rf "$dir/data" "$dir/url"
}

start_server() {
  local bin=$1 home data
  # A server left behind by an interrupted run is stopped and wiped.
  stop_server "$bin"
  ensure_user
  home=$(choose_home)
  data=$home/data
  as_owner "$bin/initdb" -D "$data" -U "$db_role" --auth=trust -E UTF8 \
    --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  # Only loopback clients, and only through TCP or the socket in HOME.
  as_owner tee "$data/pg_hba.conf" >/dev/null <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  # Durable like production (fsync on), but small: a 2-core CI box runs
  # the whole suite against it, two test binaries at a time.
  as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 64MB
fsync = on
synchronous_commit = on
max_wal_size = 256MB
max_worker_processes = 4
max_parallel_workers_per_gather = 0
jit = off
deadlock_timeout = 100ms
log_min_messages = warning
log_min_error_statement = panic
EOF
  local try port
  for try in 1 2 3 4 5 6 7 8; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$data" -l "$home/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -k $home -p $port" start >/dev/null; then
      if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$db_role" \
        -d postgres -t 30; then
        local url="postgresql://$db_role@127.0.0.1:$port/postgres"
        echo "$url" >"$dir/url"
        echo "$url"
        return 0
      fi
      as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null || true
    fi
  done
  echo "PostgreSQL did not start; see $home/postgres.log" >&2
  tail -n 20 "$home/postgres.log" >&2 || true
  exit 1
}

bin=$(find_bin)
case "$cmd" in
  start) start_server "$bin" ;;
  stop) stop_server "$bin" ;;
  *) usage ;;
esac
