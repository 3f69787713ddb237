#!/usr/bin/env bash
# The doc tests: runs every example in the doc comments of mod.ts and src/ (`deno test
# --doc`) against the local Swift, started when needed. The examples take credentials
# from the environment, so this sets the admin test user's (`dev/swift.sh env`) and
# drops any OS_* variables, which authFromEnv would prefer: examples never reach another
# cluster. Extra arguments go to `deno test` (CI passes --junit-path).
set -euo pipefail
cd "$(dirname "$0")/.."
bash dev/swift.sh start
eval "$(bash dev/swift.sh env)"
for name in $(compgen -e | grep '^OS_' || true); do unset "$name"; done
exec deno test -A --doc "$@" mod.ts src/
