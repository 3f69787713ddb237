#!/usr/bin/env bash
# A real Keystone (Debian's keystone 22, sqlite, fernet tokens) on 127.0.0.1:5000, and a
# Swift proxy on 127.0.0.1:8091 that authenticates with it (authtoken + keystoneauth),
# over the cluster dev/swift.sh runs. For the KeystoneAuth tests. Not published to JSR.
#
#   dev/keystone.sh start   install when missing, bootstrap, start, wait until a login works
#   dev/keystone.sh stop    stop exactly what start launched
#   dev/keystone.sh env     print the OS_* variables of the test user (a password login)
#
# Made by start: region RegionOne with the object-store endpoint
# http://127.0.0.1:8091/v1/AUTH_<project id> (templated catalog); project "zarr" (domain Default) with user
# "alice" (password alice-pass, role member); service user "swift"; an application
# credential of alice's, whose ID and secret are in $ZARRSWIFT_SWIFT_HOME/keystone/app-cred.json.
set -euo pipefail
cd "$(dirname "$0")/.."

HOME_DIR=${ZARRSWIFT_SWIFT_HOME:-/tmp/zarrswift-swift}
DIR=$HOME_DIR/keystone
ETC=$HOME_DIR/etc
LOG=$HOME_DIR/log
RUN=$HOME_DIR/run
KS_PORT=${ZARRSWIFT_KEYSTONE_PORT:-5000}
PROXY_PORT=${ZARRSWIFT_KEYSTONE_PROXY_PORT:-8091}
MC_PORT=${ZARRSWIFT_MEMCACHED_PORT:-11211}
KS=http://127.0.0.1:$KS_PORT
ADMIN_PASS=admin-pass

say() { printf 'keystone.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

install_packages() {
  if [ -x /usr/bin/keystone-manage ] && /usr/bin/python3 -c "import keystonemiddleware" 2>/dev/null; then
    return
  fi
  say "installing Debian's keystone and python3-keystonemiddleware"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    keystone python3-keystonemiddleware >/dev/null
}

launch() {
  local name=$1
  shift
  setsid "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

stop_one() {
  local pid
  [ -f "$RUN/$1.pid" ] || return 0
  pid=$(cat "$RUN/$1.pid")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$RUN/$1.pid"
}

# api METHOD PATH TOKEN [JSON]: a Keystone API call; prints the body.
api() {
  curl -sS -f -X "$1" -H "X-Auth-Token: $3" -H "Content-Type: application/json" ${4:+-d "$4"} "$KS/v3$2"
}

# token USER PASSWORD PROJECT: a project-scoped token.
token() {
  curl -sS -f -D - -o /dev/null -H "Content-Type: application/json" -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],
    \"password\":{\"user\":{\"name\":\"$1\",\"domain\":{\"id\":\"default\"},\"password\":\"$2\"}}},
    \"scope\":{\"project\":{\"name\":\"$3\",\"domain\":{\"id\":\"default\"}}}}}" "$KS/v3/auth/tokens" |
    sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *\([^[:space:]]*\).*/\1/p'
}

json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

write_config() {
  mkdir -p "$DIR/fernet-keys" "$DIR/credential-keys" "$LOG" "$RUN"
  cat >"$DIR/keystone.conf" <<EOF
[DEFAULT]
use_stderr = true
[database]
connection = sqlite:///$DIR/keystone.db
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = $DIR/fernet-keys
[credential]
key_repository = $DIR/credential-keys
[catalog]
# Keystone 22 on sqlite locks itself when the SQL catalog creates a second endpoint;
# a templated catalog needs no writes and is what small deployments use.
driver = templated
template_file = $DIR/catalog.templates
EOF
  local region=RegionOne iface
  {
    for iface in public internal admin; do
      printf 'catalog.%s.identity.%sURL = %s/v3\n' "$region" "$iface" "$KS"
      printf 'catalog.%s.object-store.%sURL = http://127.0.0.1:%s/v1/AUTH_$(project_id)s\n' "$region" "$iface" "$PROXY_PORT"
    done
    printf 'catalog.%s.identity.name = Identity Service\ncatalog.%s.object-store.name = Swift\n' "$region" "$region"
  } >"$DIR/catalog.templates"
  # A proxy like dev/swift.sh's, with Keystone instead of TempAuth.
  sed -e "s/^bind_port = .*/bind_port = $PROXY_PORT/" \
    -e "s/^workers = .*/workers = 1/" \
    -e 's/ tempauth / authtoken keystoneauth /' \
    "$ETC/proxy-server.conf" >"$ETC/proxy-keystone.conf"
  cat >>"$ETC/proxy-keystone.conf" <<EOF

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $KS
auth_url = $KS
auth_type = password
project_domain_id = default
user_domain_id = default
project_name = service
username = swift
password = swift-pass
delay_auth_decision = True
# No token cache: a revoked token must be refused at once.
token_cache_time = -1
include_service_catalog = False

[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
EOF
}

bootstrap() {
  local conf=(--config-file "$DIR/keystone.conf")
  keystone-manage "${conf[@]}" db_sync
  keystone-manage "${conf[@]}" fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
  keystone-manage "${conf[@]}" credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
  # No endpoints here: the templated catalog holds them.
  keystone-manage "${conf[@]}" bootstrap --bootstrap-password "$ADMIN_PASS"
}

populate() {
  local admin project_id svc_project alice swift member admin_role alice_token
  admin=$(token admin "$ADMIN_PASS" admin)
  project_id=$(api POST /projects "$admin" '{"project":{"name":"zarr","domain_id":"default"}}' | json '["project"]["id"]')
  svc_project=$(api POST /projects "$admin" '{"project":{"name":"service","domain_id":"default"}}' | json '["project"]["id"]')
  alice=$(api POST /users "$admin" '{"user":{"name":"alice","domain_id":"default","password":"alice-pass"}}' | json '["user"]["id"]')
  swift=$(api POST /users "$admin" '{"user":{"name":"swift","domain_id":"default","password":"swift-pass"}}' | json '["user"]["id"]')
  member=$(api GET "/roles?name=member" "$admin" | json '["roles"][0]["id"]')
  admin_role=$(api GET "/roles?name=admin" "$admin" | json '["roles"][0]["id"]')
  api PUT "/projects/$project_id/users/$alice/roles/$member" "$admin" >/dev/null
  api PUT "/projects/$svc_project/users/$swift/roles/$admin_role" "$admin" >/dev/null
  alice_token=$(token alice alice-pass zarr)
  api POST "/users/$alice/application_credentials" "$alice_token" \
    '{"application_credential":{"name":"zarrswift-tests"}}' |
    /usr/bin/python3 -c "import json,sys; c=json.load(sys.stdin)['application_credential']; \
      print(json.dumps({'id': c['id'], 'secret': c['secret'], 'name': c['name'], 'user_id': '$alice', 'project_id': '$project_id'}))" \
      >"$DIR/app-cred.json"
}

login_ok() {
  [ -n "$(token alice alice-pass zarr 2>/dev/null)" ] &&
    [ "$(curl -s -m 5 "http://127.0.0.1:$PROXY_PORT/healthcheck")" = OK ]
}

cmd_start() {
  if alive keystone && alive proxy-keystone && login_ok; then
    say "already running at $KS"
    return 0
  fi
  cmd_stop quiet
  bash dev/swift.sh start
  install_packages
  rm -rf "$DIR"
  write_config
  bootstrap >>"$LOG/keystone-manage.log" 2>&1
  OS_KEYSTONE_CONFIG_FILES="$DIR/keystone.conf" launch keystone \
    keystone-wsgi-public --host 127.0.0.1 --port "$KS_PORT"
  for _ in $(seq 100); do
    curl -s -f -o /dev/null "$KS/v3" && break
    sleep 0.2
  done
  populate
  launch proxy-keystone swift-proxy-server "$ETC/proxy-keystone.conf" -v
  for _ in $(seq 100); do
    if login_ok; then
      say "running at $KS (Swift with Keystone at http://127.0.0.1:$PROXY_PORT)"
      return 0
    fi
    sleep 0.2
  done
  say "Keystone did not become ready; logs in $LOG"
  tail -n 20 "$LOG/keystone.log" "$LOG/proxy-keystone.log" >&2 || true
  return 1
}

cmd_stop() {
  stop_one proxy-keystone
  stop_one keystone
  [ "${1:-}" = quiet ] || say "stopped"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
env)
  printf 'export OS_AUTH_URL=%s/v3\nexport OS_USERNAME=alice\nexport OS_PASSWORD=alice-pass\n' "$KS"
  printf 'export OS_PROJECT_NAME=zarr\nexport OS_USER_DOMAIN_NAME=Default\nexport OS_PROJECT_DOMAIN_NAME=Default\n'
  printf 'export OS_REGION_NAME=RegionOne\n'
  ;;
*)
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
  ;;
esac
