#!/usr/bin/env bash
# Create .venv and install notes-rag with its pinned, offline-verified stack. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch first, in its own call: the CPU 2.13.0 build. Letting another package pull torch fetches a CUDA build.
.venv/bin/python -m pip install -q torch==2.13.0
.venv/bin/python -m pip install -q -e ".[eval,dev]"
echo "installed: $(.venv/bin/notes-rag --help >/dev/null && echo notes-rag OK)"
