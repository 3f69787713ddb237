#!/usr/bin/env bash
# The test suite (`deno task test`): starts the local Swift (installing Debian's packages
# when missing), installs Debian's Chromium for the browser test when missing, and runs
# every test against them. Extra arguments go to `deno test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash dev/swift.sh start
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "test.sh: installing Debian's chromium for the browser test" >&2
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
exec deno test -A "$@" tests/
