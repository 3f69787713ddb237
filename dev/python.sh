#!/usr/bin/env bash
# Installs Debian's xarray, zarr (2.13) and numcodecs for the Python interop tests
# (tests/zarr_python_test.ts) when /usr/bin/python3 cannot import them. Idempotent and
# quiet: prints one line only when it installs something.
set -euo pipefail
if /usr/bin/python3 -c "import xarray, zarr, numcodecs" 2>/dev/null; then exit 0; fi
echo "python.sh: installing Debian's python3-xarray python3-zarr python3-numcodecs" >&2
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { sudo_ apt-get update -qq &&
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-xarray python3-zarr python3-numcodecs; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
/usr/bin/python3 -c "import xarray, zarr, numcodecs"
