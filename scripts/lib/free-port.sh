# shellcheck shell=bash
# Sourced by the test scripts: free_port prints a loopback TCP port nobody
# listens on. It picks below Linux's ephemeral range (32768-60999 by
# default), so no outgoing connection of this machine can hold it at the
# moment the server binds; a port that answers a connect is skipped.

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local low=20000 high
  high=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  ((high > low + 1000)) || high=32768
  local p
  while :; do
    p=$((low + RANDOM % (high - low)))
    port_in_use "$p" || { echo "$p"; return; }
  done
}
