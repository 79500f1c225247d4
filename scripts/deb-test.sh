#!/usr/bin/env bash
# Builds the .deb with CPack, installs it on this machine with dpkg, starts
# the installed binary exactly as packaging/idclaim.service would (its user,
# its ExecStart line; only the port differs), checks /readyz and the
# installed UI, stops it with SIGTERM, then removes and purges the package.
#
#   scripts/deb-test.sh [BUILD_DIR]      (default: build; needs root)
#
# It refuses to run where idclaim is installed already or /etc/idclaim
# exists, and removes everything it made (keys, state, the user) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "deb-test: SKIPPED (dpkg -i needs root; CI runs as root)"
  exit 0
fi
if dpkg-query -W -f='${Status}' idclaim 2>/dev/null | grep -q installed \
  || [[ -e /etc/idclaim || -e /var/lib/idclaim ]]; then
  echo "deb-test: idclaim is installed on this machine; not touching it" >&2
  exit 1
fi
user_existed=0
getent passwd idclaim >/dev/null && user_existed=1

work=$(mktemp -d /tmp/idclaim-deb.XXXXXX)
server=""
cleanup() {
  local rc=$?
  [[ -n "$server" ]] && kill -9 "$server" 2>/dev/null || true
  dpkg --purge idclaim >/dev/null 2>&1 || true
  rm -f /etc/idclaim/secret.keys
  rmdir /etc/idclaim 2>/dev/null || true
  rm -rf /var/lib/idclaim
  ((user_existed)) || userdel idclaim 2>/dev/null || true
  if ((rc != 0)) && [[ -f "$work/server.log" ]]; then
    tail -n 30 "$work/server.log" >&2
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

fail() {
  echo "deb-test: $*" >&2
  exit 1
}

# -- build and look inside ----------------------------------------------------
(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) \
  || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/pkg/idclaim_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/idclaim ./usr/share/idclaim/web/index.html \
  ./usr/share/idclaim/idclaim.conf.example \
  ./usr/share/idclaim/nginx/idclaim.conf \
  ./usr/lib/systemd/system/idclaim.service \
  ./usr/lib/systemd/system/idclaim@.service \
  ./usr/share/doc/idclaim/deploy.md; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
dpkg-deb -f "$deb" Depends | grep -q libpqxx || fail "Depends lacks libpqxx"

# -- install ----------------------------------------------------------------------
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i failed"; }
getent passwd idclaim >/dev/null || fail "postinst made no idclaim user"
[[ -f /etc/idclaim/idclaim.conf ]] || fail "no /etc/idclaim/idclaim.conf"
[[ $(stat -c %U:%a /var/lib/idclaim) == idclaim:700 ]] \
  || fail "/var/lib/idclaim is not idclaim's, mode 0700"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /usr/lib/systemd/system/idclaim.service \
    || fail "systemd-analyze rejects the unit"
fi

# The operator's one step: the key file (shared by every host of a database).
/usr/bin/idclaim keys create --key-file /etc/idclaim/secret.keys >/dev/null
chown idclaim:idclaim /etc/idclaim/secret.keys

# -- start as the unit would ------------------------------------------------------
unit=/usr/lib/systemd/system/idclaim.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
svc_user=$(sed -n 's/^User=//p' "$unit")
grep -q '^Type=notify$' "$unit" || fail "the unit is not Type=notify"
# shellcheck source=scripts/lib/free-port.sh
source scripts/lib/free-port.sh
port=$(free_port)
# Type=notify without systemd: a datagram socket in NOTIFY_SOCKET records
# what the service tells its manager (READY=1 once it serves).
chmod 711 "$work"
notify_sock=$work/notify.sock
python3 - "$notify_sock" "$work/notify.log" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.settimeout(60)
with open(sys.argv[2], "w") as out:
    while True:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        out.write(msg + "\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
PY
notifier=$!
for _ in $(seq 100); do [[ -S "$notify_sock" ]] && break; sleep 0.05; done
# shellcheck disable=SC2086 # the unit's command line, word-split as systemd does;
# setpriv execs it, so $! is the service itself
setpriv --reuid="$svc_user" --regid="$svc_user" --init-groups \
  env NOTIFY_SOCKET="$notify_sock" $exec_start --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
ready=0
for _ in $(seq 300); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then
    ready=1
    break
  fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
((ready)) || fail "the installed service did not become ready"
curl -sf "http://127.0.0.1:$port/" | grep -qi "<html" \
  || fail "the installed UI is not served"
grep -q "serving the UI from /usr/share/idclaim/web" "$work/server.log" \
  || fail "the UI does not come from /usr/share/idclaim/web"
for _ in $(seq 50); do
  grep -q '^READY=1$' "$work/notify.log" 2>/dev/null && break
  sleep 0.1
done
grep -q '^READY=1$' "$work/notify.log" || fail "no sd_notify READY=1"
kill -TERM "$server"
wait "$server" || fail "SIGTERM did not stop the service cleanly"
server=""
wait "$notifier" || true
grep -q '^STOPPING=1$' "$work/notify.log" || fail "no sd_notify STOPPING=1"

# -- remove, then purge -----------------------------------------------------------
dpkg -r idclaim >/dev/null
[[ ! -e /usr/bin/idclaim ]] || fail "dpkg -r left /usr/bin/idclaim"
[[ -f /etc/idclaim/idclaim.conf && -f /etc/idclaim/secret.keys ]] \
  || fail "dpkg -r removed configuration or keys"
dpkg --purge idclaim >/dev/null
[[ ! -e /etc/idclaim/idclaim.conf ]] || fail "purge left idclaim.conf"
[[ -f /etc/idclaim/secret.keys ]] || fail "purge removed the keys"
echo "deb-test: ok ($(basename "$deb"))"
