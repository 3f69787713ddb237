#!/usr/bin/env bash
# The test suite (`deno task test`): starts the local Swift and Keystone (installing
# Debian's packages when missing), installs Debian's Chromium for the browser test when missing, runs every
# Deno test against them, then the cross-runtime tests under Node and Bun on the package
# JSR would publish (dev/npm_test.sh). Extra arguments go to `deno test`. Set
# ZARRSWIFT_RUNTIME_LOG to a file to keep the Node/Bun output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash dev/swift.sh start
bash dev/keystone.sh start
bash dev/python.sh
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "test.sh: installing Debian's chromium for the browser test" >&2
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
status=0
deno test -A "$@" tests/ || status=$?
set +e
bash dev/npm_test.sh 2>&1 | tee "${ZARRSWIFT_RUNTIME_LOG:-/dev/null}"
npm_status=${PIPESTATUS[0]}
set -e
[ "$npm_status" -eq 0 ] || status=$npm_status
exit "$status"
