#!/usr/bin/env bash
# Three `idclaim serve` processes and nginx on one PostgreSQL, all on
# loopback, then the cluster suite of idclaim-test against them (issue 7):
# concurrent registrations, assist quota and resolution races across
# processes and through nginx, a WebSocket on one process hearing of a
# request sent through another, and kill -9 of one process under load.
#
#   scripts/cluster-test.sh [BUILD_DIR]      (default: build)
#
# nginx runs packaging/nginx/idclaim.conf, the file docs/deploy.md shows,
# with only its ports replaced. As root (CI), PostgreSQL runs as idclaim-pg
# (scripts/pg-test-server.sh) and nginx's workers as nobody.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=$(cd "${1:-build}" && pwd)
bin=$build/idclaim
tests=$build/idclaim-test

# docs/deploy.md must show the tested file, byte for byte.
python3 - "$src/docs/deploy.md" "$src/packaging/nginx/idclaim.conf" <<'PY'
import sys
doc, conf = open(sys.argv[1]).read(), open(sys.argv[2]).read()
if "```nginx\n" + conf + "```" not in doc:
    sys.exit("docs/deploy.md does not show packaging/nginx/idclaim.conf as it is")
PY

work=$(mktemp -d /tmp/idclaim-cluster.XXXXXX)
chmod 711 "$work"
cleanup() {
  local rc=$?
  for f in "$work"/p*.pid; do
    [[ -f "$f" ]] && kill -9 "$(cat "$f")" 2>/dev/null || true
  done
  if [[ -f "$work/nginx/nginx.pid" ]]; then
    kill -TERM "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  scripts/pg-test-server.sh stop "$work/pg" >/dev/null 2>&1 || true
  if ((rc != 0)); then
    echo "cluster test failed; logs:" >&2
    for f in "$work"/p*.log "$work"/nginx/error.log; do
      [[ -f "$f" ]] && { echo "== $f" >&2; tail -n 30 "$f" >&2; }
    done
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

# shellcheck source=scripts/lib/free-port.sh
source scripts/lib/free-port.sh

url=$(scripts/pg-test-server.sh start "$work/pg")
echo "$url" >"$work/database_url"
"$bin" keys create --key-file "$work/secret.keys" >/dev/null

ports=()
for i in 0 1 2 3; do ports+=("$(free_port)"); done
echo "${ports[*]}" >"$work/ports"

# ctl.sh kill|start N: what the suite uses to kill -9 and restart process N.
cat >"$work/ctl.sh" <<CTL
#!/usr/bin/env bash
set -euo pipefail
work=$work
bin=$bin
ports=(${ports[*]})
url='$url'
CTL
cat >>"$work/ctl.sh" <<'CTL'
n=$2
port=${ports[$((n + 1))]}
case $1 in
  kill)
    pid=$(cat "$work/p$n.pid")
    kill -9 "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    ;;
  start)
    mkdir -p "$work/p$n"
    "$bin" serve --listen "127.0.0.1:$port" --database "$url" \
      --key-file "$work/secret.keys" --data-dir "$work/p$n" \
      --password-hash fast --log-level warn >>"$work/p$n.log" 2>&1 &
    echo $! >"$work/p$n.pid"
    for _ in $(seq 300); do
      curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && exit 0
      kill -0 "$(cat "$work/p$n.pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "process $n did not become ready" >&2
    exit 1
    ;;
esac
CTL
chmod 755 "$work/ctl.sh"
for n in 0 1 2; do "$work/ctl.sh" start "$n"; done

# nginx: the documented site file inside a minimal main config.
mkdir -p "$work/nginx/tmp"
sed -e "s/127\.0\.0\.1:8081/127.0.0.1:${ports[1]}/" \
  -e "s/127\.0\.0\.1:8082/127.0.0.1:${ports[2]}/" \
  -e "s/127\.0\.0\.1:8083/127.0.0.1:${ports[3]}/" \
  -e "s/listen 80;/listen 127.0.0.1:${ports[0]};/" \
  packaging/nginx/idclaim.conf >"$work/nginx/idclaim.conf"
user_line=""
if [[ $(id -u) -eq 0 ]]; then
  user_line="user nobody nogroup;"
  chown -R nobody:nogroup "$work/nginx/tmp"
fi
cat >"$work/nginx/nginx.conf" <<NGINX
$user_line
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  include $work/nginx/idclaim.conf;
}
NGINX
nginx=$(command -v nginx || echo /usr/sbin/nginx)
"$nginx" -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf"
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:${ports[0]}/readyz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:${ports[0]}/readyz" >/dev/null

# An exact suite name: with clang the runner's -s is a list of names, not a
# regex. A run that selected no suite fails rather than passing empty.
IDCLAIM_CLUSTER=$work "$tests" -s cluster.nginx -n -v 5 -r 170 \
  | tee "$work/suite.log"
status=${PIPESTATUS[0]}
if grep -qE 'suites: +0$' "$work/suite.log"; then
  echo "cluster-test: no suite ran" >&2
  exit 1
fi
exit "$status"
