#!/usr/bin/env bash
# The doc tests: runs every example in the doc comments of mod.ts and src/, and every
# TypeScript block of README.md (`deno test --doc`), against the local Swift and Keystone,
# started when needed. The examples take credentials from the environment, so this sets
# the admin test user's (`dev/swift.sh env`) after dropping any OS_* variables (which
# authFromEnv would prefer), then the local Keystone's OS_AUTH_URL… for the README's
# Keystone block (with ST_* set, authFromEnv still picks TempAuth): examples never reach
# another cluster. Extra arguments go to `deno test` (CI passes --junit-path).
set -euo pipefail
cd "$(dirname "$0")/.."
bash dev/swift.sh start
bash dev/keystone.sh start
for name in $(compgen -e | grep '^OS_' || true); do unset "$name"; done
eval "$(bash dev/swift.sh env)"
eval "$(bash dev/keystone.sh env)"
exec deno test -A --doc "$@" mod.ts src/ README.md
