#!/usr/bin/env bash
# Install (idempotent) and run the default test suite (everything but tests marked slow).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/python -m pytest -m "not slow" "$@"
