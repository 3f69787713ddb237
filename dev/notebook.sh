#!/usr/bin/env bash
# Runs examples/zarrswift.ipynb in a Deno Jupyter kernel against the local Swift and
# stores its outputs in the notebook (or, with --check, only fails when a cell fails).
# Installs Debian's Jupyter client pieces and registers Deno's kernel when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash dev/swift.sh start
if ! /usr/bin/python3 -c "import nbclient, nbformat, jupyter_client" 2>/dev/null; then
  echo "notebook.sh: installing Debian's Jupyter client" >&2
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-nbclient python3-nbformat python3-jupyter-client >/dev/null
fi
deno jupyter --install >/dev/null 2>&1 || deno jupyter --install --force >/dev/null
out=examples/zarrswift.ipynb
[ "${1:-}" = --check ] && out=$(mktemp --suffix=.ipynb)
NO_COLOR=1 /usr/bin/python3 - examples/zarrswift.ipynb "$out" <<'PY'
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="deno", timeout=120, resources={"metadata": {"path": "examples"}}).execute()
for cell in nb.cells:
    if cell.cell_type == "code":
        for output in cell.outputs:
            if output.output_type == "error":
                sys.exit(f"notebook cell failed: {output.ename}: {output.evalue}")
nbformat.write(nb, sys.argv[2])
print(f"notebook ran: {sum(c.cell_type == 'code' for c in nb.cells)} code cells, outputs in {sys.argv[2]}")
PY
