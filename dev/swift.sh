#!/usr/bin/env bash
# Provision and run a real OpenStack Swift (Debian's 2.30 packages) on 127.0.0.1,
# without systemd or Docker, for zarrswift's tests, CI and demo. Not published to JSR.
#
#   dev/swift.sh start              install when missing, configure, start, wait for auth
#   dev/swift.sh stop               stop exactly the processes `start` launched (by PID)
#   dev/swift.sh status             exit 0 when a TempAuth login succeeds
#   dev/swift.sh restart-memcached  drop every TempAuth token (a real token expiry)
#   dev/swift.sh restart-proxy [S]  stop the proxy, wait S seconds (default 5), start it again
#   dev/swift.sh reclaim            drop the tombstones deletes leave (Swift's replicator, once)
#   dev/swift.sh env                print ST_AUTH/ST_USER/ST_KEY lines for the admin test user
#
# Settings (environment): ZARRSWIFT_SWIFT_HOME (config, logs, PIDs; default
# /tmp/zarrswift-swift), ZARRSWIFT_SWIFT_DATA (object data; default on tmpfs when it has
# user xattrs), ZARRSWIFT_SWIFT_PORT (proxy, default 8080), ZARRSWIFT_MEMCACHED_PORT
# (default 11211), ZARRSWIFT_TOKEN_LIFE (TempAuth token lifetime in seconds, default 86400).
# A second proxy on port ZARRSWIFT_SWIFT_PORT+10 serves the same cluster with tokens that
# live ZARRSWIFT_SHORT_TOKEN_LIFE seconds (default 3), for token-expiry tests.
#
# TempAuth users: test:tester/testing (.admin), test:tester2/testing2 (no admin),
# test2:tester3/testing3 (.admin, second account). Facts behind the choices below:
# ../shared/notes/swift-on-loopback.md.
set -euo pipefail

HOME_DIR=${ZARRSWIFT_SWIFT_HOME:-/tmp/zarrswift-swift}
PORT=${ZARRSWIFT_SWIFT_PORT:-8080}
MC_PORT=${ZARRSWIFT_MEMCACHED_PORT:-11211}
TOKEN_LIFE=${ZARRSWIFT_TOKEN_LIFE:-86400}
# A second proxy over the same cluster whose TempAuth tokens live only seconds.
SHORT_PORT=$((PORT + 10))
SHORT_TOKEN_LIFE=${ZARRSWIFT_SHORT_TOKEN_LIFE:-3}
ETC=$HOME_DIR/etc
LOG=$HOME_DIR/log
RUN=$HOME_DIR/run
OBJ_PORT=$((PORT + 1)) CONT_PORT=$((PORT + 2)) ACCT_PORT=$((PORT + 3))
AUTH_URL="http://127.0.0.1:$PORT/auth/v1.0"
PY=/usr/bin/python3

say() { printf 'swift.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  if [ -x /usr/bin/swift-proxy-server ] && [ -x /usr/bin/memcached ] && [ -x /usr/bin/swift ] &&
    [ -x /usr/bin/curl ]; then
    return
  fi
  say "installing Debian's Swift packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    swift swift-proxy swift-account swift-container swift-object python3-swiftclient \
    memcached curl >/dev/null
}

pick_data_dir() {
  if [ -n "${ZARRSWIFT_SWIFT_DATA:-}" ]; then
    echo "$ZARRSWIFT_SWIFT_DATA"
    return
  fi
  # tmpfs is fast and lifts ext4's ~2.4 KB xattr cap on metadata, when it has user xattrs.
  if [ -d /dev/shm ] && $PY - <<'PY' 2>/dev/null; then
import os, tempfile
with tempfile.NamedTemporaryFile(dir="/dev/shm") as f:
    os.setxattr(f.name, "user.zarrswift", b"1")
PY
    echo /dev/shm/zarrswift-swift-data
  else
    echo "$HOME_DIR/data"
  fi
}

# write_proxy_conf NAME PORT TOKEN_LIFE WORKERS MEMCACHED_PORT
write_proxy_conf() {
  cat >"$ETC/$1.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = $4
user = $(id -un)
swift_dir = $ETC
log_level = WARNING
expose_info = true

[pipeline:main]
# listing_formats must follow cache in 2.30.
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats container_sync bulk tempurl ratelimit tempauth formpost staticweb copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
allow_account_management = true
account_autocreate = true
# One backend node: without this, one backend error turns into 503s for 60 s.
error_suppression_interval = 0

[filter:tempauth]
use = egg:swift#tempauth
token_life = $3
user_admin_admin = admin .admin .reseller_admin
user_test_tester = testing .admin
user_test_tester2 = testing2
user_test2_tester3 = testing3 .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$5
# One memcached: error limiting would turn its restart into a 60 s outage of every login.
error_suppression_interval = 0

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:container_sync]
use = egg:swift#container_sync
[filter:bulk]
use = egg:swift#bulk
# Whitespace every second while a bulk request works (default 10 s), so that tests can
# show a long bulk delete outliving a short client timeout.
yield_frequency = 1
[filter:tempurl]
use = egg:swift#tempurl
methods = GET HEAD PUT POST DELETE
allowed_digests = sha1 sha256 sha512
[filter:ratelimit]
use = egg:swift#ratelimit
[filter:formpost]
use = egg:swift#formpost
[filter:staticweb]
use = egg:swift#staticweb
[filter:copy]
use = egg:swift#copy
[filter:container-quotas]
use = egg:swift#container_quotas
[filter:account-quotas]
use = egg:swift#account_quotas
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
[filter:symlink]
use = egg:swift#symlink
EOF
}

write_config() {
  local data=$1
  mkdir -p "$ETC" "$LOG" "$RUN" "$data/d1"
  rm -f "$LOG"/*.log
  # Swift 2.30 reads swift.conf only from /etc/swift; write it there when absent.
  if [ ! -f /etc/swift/swift.conf ]; then
    as_root mkdir -p /etc/swift
    printf '[swift-hash]\nswift_hash_path_suffix = zarrswift-test\nswift_hash_path_prefix = zarrswift\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' |
      as_root tee /etc/swift/swift.conf >/dev/null
  fi
  # Run as whoever runs this script (Swift defaults to a `swift` user that cannot write
  # our directories).
  local common="bind_ip = 127.0.0.1
user = $(id -un)
recon_cache_path = $RUN
workers = 1
devices = $data
mount_check = false
disable_fallocate = true
swift_dir = $ETC
log_level = WARNING"
  cat >"$ETC/account-server.conf" <<EOF
[DEFAULT]
bind_port = $ACCT_PORT
$common

[pipeline:main]
pipeline = healthcheck account-server

[filter:healthcheck]
use = egg:swift#healthcheck

[app:account-server]
use = egg:swift#account
EOF
  cat >"$ETC/container-server.conf" <<EOF
[DEFAULT]
bind_port = $CONT_PORT
$common

[pipeline:main]
pipeline = healthcheck container-server

[filter:healthcheck]
use = egg:swift#healthcheck

[app:container-server]
use = egg:swift#container

[container-updater]
interval = 30
EOF
  cat >"$ETC/object-server.conf" <<EOF
[DEFAULT]
bind_port = $OBJ_PORT
$common

[pipeline:main]
pipeline = healthcheck object-server

[filter:healthcheck]
use = egg:swift#healthcheck

[app:object-server]
use = egg:swift#object

# Not run as a daemon: \`dev/swift.sh reclaim\` runs it once. Every DELETE leaves a
# tombstone and its directories; with no replicator they are never reclaimed, and a
# long-lived test server runs out of inodes (tmpfs has ~3 million).
[object-replicator]
reclaim_age = 1
concurrency = 2
EOF
  write_proxy_conf proxy-server "$PORT" "$TOKEN_LIFE" 2 "$MC_PORT"
  # Its own token store: TempAuth hands out a user's cached token while it is valid.
  write_proxy_conf proxy-short-token "$SHORT_PORT" "$SHORT_TOKEN_LIFE" 1 "$((MC_PORT + 1))"
  # One replica, one device per ring, all three built in one Python process (the CLI
  # takes ~1.5 s a call). Part power 0 for the container ring keeps the updater cheap.
  if [ ! -f "$ETC/object.ring.gz" ] || [ ! -f "$ETC/ring-ports" ] ||
    [ "$(cat "$ETC/ring-ports")" != "$OBJ_PORT $CONT_PORT $ACCT_PORT" ]; then
    ETC="$ETC" OBJ_PORT=$OBJ_PORT CONT_PORT=$CONT_PORT ACCT_PORT=$ACCT_PORT $PY - <<'PY'
import os
from swift.common.ring import RingBuilder
etc = os.environ["ETC"]
for name, port, power in (("object", "OBJ_PORT", 6), ("container", "CONT_PORT", 0),
                          ("account", "ACCT_PORT", 0)):
    b = RingBuilder(power, 1, 1)
    b.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1",
               "port": int(os.environ[port]), "device": "d1", "weight": 100, "meta": ""})
    b.rebalance()
    b.save(f"{etc}/{name}.builder")
    b.get_ring().save(f"{etc}/{name}.ring.gz")
PY
    echo "$OBJ_PORT $CONT_PORT $ACCT_PORT" >"$ETC/ring-ports"
  fi
}

# launch NAME CMD...: start in its own session (so the group can be signalled whole) and
# record its PID.
launch() {
  local name=$1
  shift
  setsid "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

stop_one() {
  local name=$1 pid i
  [ -f "$RUN/$name.pid" ] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/$name.pid"
}

login_ok() {
  local headers
  headers=$(curl -s -o /dev/null -D - -m 5 -H "X-Auth-User: test:tester" -H "X-Auth-Key: testing" \
    "$AUTH_URL" 2>/dev/null) || return 1
  grep -qi '^x-storage-url:' <<<"$headers" || return 1
  local url token
  url=$(grep -i '^x-storage-url:' <<<"$headers" | cut -d' ' -f2 | tr -d '\r')
  token=$(grep -i '^x-auth-token:' <<<"$headers" | cut -d' ' -f2 | tr -d '\r')
  # A HEAD of the account proves proxy, memcached and the account server all answer.
  [[ "$(curl -s -o /dev/null -w "%{http_code}" -m 5 -I -H "X-Auth-Token: $token" "$url")" == 2?? ]]
}

wait_ready() {
  local i
  for i in $(seq 150); do
    if login_ok && [ "$(curl -s -m 5 "http://127.0.0.1:$SHORT_PORT/healthcheck")" = OK ]; then return 0; fi
    sleep 0.2
  done
  say "Swift did not become ready; logs in $LOG"
  tail -n 20 "$LOG"/*.log >&2 || true
  return 1
}

# start_memcached [NAME PORT]
start_memcached() {
  local user=()
  [ "$(id -u)" = 0 ] && user=(-u root)
  launch "${1:-memcached}" memcached "${user[@]}" -l 127.0.0.1 -p "${2:-$MC_PORT}" -m 64 -U 0
}

cmd_start() {
  if alive proxy && alive proxy-short-token && login_ok; then
    say "already running at $AUTH_URL"
    reclaim_when_full "$(pick_data_dir)"
    return 0
  fi
  cmd_stop quiet
  install_packages
  local data
  data=$(pick_data_dir)
  write_config "$data"
  start_memcached
  start_memcached memcached-short-token "$((MC_PORT + 1))"
  local s
  for s in account container object; do
    launch "$s" "swift-$s-server" "$ETC/$s-server.conf" -v
  done
  launch container-updater swift-container-updater "$ETC/container-server.conf" -v
  launch proxy swift-proxy-server "$ETC/proxy-server.conf" -v
  launch proxy-short-token swift-proxy-server "$ETC/proxy-short-token.conf" -v
  wait_ready
  say "running at $AUTH_URL (data in $data, logs in $LOG)"
  reclaim_when_full "$data"
}

# The data filesystem's inode use, in percent.
inode_use() { df --output=ipcent "$1" | tail -n 1 | tr -dc 0-9; }

reclaim_when_full() {
  local use
  use=$(inode_use "$1")
  if [ "${use:-0}" -ge 50 ]; then
    say "the data filesystem has used ${use} % of its inodes: reclaiming tombstones"
    cmd_reclaim
  fi
}

cmd_reclaim() {
  local data before
  data=$(pick_data_dir)
  before=$(inode_use "$data")
  # Swift's own way: a replicator pass with reclaim_age = 1 removes tombstones older than a
  # second and the directories they leave empty. It looks only at suffixes changed since
  # its last pass unless their cached hashes are gone: drop the cache so that it looks at all.
  find "$data"/*/objects -maxdepth 2 -name hashes.pkl -delete 2>/dev/null || true
  swift-object-replicator "$ETC/object-server.conf" --once >>"$LOG/object-replicator.log" 2>&1
  say "reclaimed tombstones: inode use of $data ${before} % -> $(inode_use "$data") %"
}

cmd_stop() {
  local s
  for s in proxy proxy-short-token container-updater object container account memcached memcached-short-token; do stop_one "$s"; done
  [ "${1:-}" = quiet ] || say "stopped"
}

# After memcached restarts, each proxy worker still holds pooled connections to the old
# one. The first call on each fails, and when that call is a login's `set` the login
# answers a token that was never stored: a 401 on its first use (seen in CI by the next
# test's fresh login). Logins and HEADs, 8 at once so that every worker takes some, use
# those connections up; done after 3 rounds in a row without a failure.
flush_stale_pools() {
  local round i p ok clean=0 pids
  for round in $(seq 40); do
    pids=()
    for i in $(seq 8); do
      login_ok &
      pids+=($!)
    done
    ok=1
    for p in "${pids[@]}"; do wait "$p" || ok=0; done
    if [ "$ok" = 1 ]; then
      clean=$((clean + 1))
      [ "$clean" -ge 3 ] && return 0
    else
      clean=0
    fi
  done
  say "logins still fail $round rounds after memcached restarted"
  return 1
}

cmd_restart_memcached() {
  local attempt i
  for attempt in 1 2 3; do
    # memcached keeps nothing worth a clean shutdown: kill it outright, then wait for
    # the port to be free before starting the new one.
    if [ -f "$RUN/memcached.pid" ]; then
      kill -KILL -- "-$(cat "$RUN/memcached.pid")" 2>/dev/null || true
      rm -f "$RUN/memcached.pid"
    fi
    for i in $(seq 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$MC_PORT") 2>/dev/null || break
      sleep 0.1
    done
    start_memcached
    for i in $(seq 50); do
      if alive memcached && (exec 3<>"/dev/tcp/127.0.0.1/$MC_PORT") 2>/dev/null; then
        sleep 0.2
        alive memcached && flush_stale_pools && return 0
      fi
      sleep 0.1
    done
    say "memcached did not come back (attempt $attempt); log: $(tail -n 3 "$LOG/memcached.log" 2>/dev/null)"
  done
  return 1
}

# Stops the proxy (connections refused), waits SECONDS (default 5), starts it again: a
# routine proxy restart as a job would meet it. Returns once the proxy answers.
cmd_restart_proxy() {
  stop_one proxy
  sleep "${1:-5}"
  launch proxy swift-proxy-server "$ETC/proxy-server.conf" -v
  local i
  for i in $(seq 150); do
    login_ok && return 0
    sleep 0.2
  done
  say "the proxy did not come back; log: $(tail -n 3 "$LOG/proxy.log" 2>/dev/null)"
  return 1
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) login_ok && say "running at $AUTH_URL" ;;
restart-memcached) cmd_restart_memcached ;;
restart-proxy) cmd_restart_proxy "${2:-5}" ;;
reclaim) cmd_reclaim ;;
env) printf 'export ST_AUTH=%s\nexport ST_USER=test:tester\nexport ST_KEY=testing\n' "$AUTH_URL" ;;
*)
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
  ;;
esac
