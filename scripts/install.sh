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
# The chat page's browser test drives Debian's chromium through Playwright (Playwright's own browser download fails
# offline). Installed with apt when missing and allowed; without it that one test is skipped and says why.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  { $SUDO apt-get install -y -q chromium >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null 2>&1; }; } \
    || echo "chromium not installed (needs apt as root): the browser test of the chat page will be skipped"
fi
echo "installed: $(.venv/bin/notes-rag --help >/dev/null && echo notes-rag OK)"
