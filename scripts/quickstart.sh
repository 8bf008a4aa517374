#!/usr/bin/env bash
# The main job on a fresh machine: install, ingest the sample notes (and the papers they link), serve the API and
# the chat page, and answer a question with the local model, with clickable sources.
#   bash scripts/quickstart.sh            # keeps serving at http://127.0.0.1:8000 afterwards (Ctrl-C stops)
#   bash scripts/quickstart.sh --once     # stops the server after the answer
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
QUESTION=${QUESTION:-"What are my DPO training tips?"}
bash scripts/install.sh
args=()
# Offline, linked papers come from a local folder of PDFs named by arXiv id; with network they are downloaded.
[ -d ../shared/papers ] && args+=(--papers-dir ../shared/papers)
.venv/bin/notes-rag ingest samples/notes "${args[@]}"
.venv/bin/notes-rag serve --port "$PORT" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
echo "waiting for the server (first start assembles and checks the 1.1 GB local model)..."
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { echo "server exited"; exit 1; }
  sleep 1
done
echo "Q: $QUESTION"
curl -fsS -X POST "http://127.0.0.1:$PORT/v1/chat" -H 'Content-Type: application/json' \
  -d "$(.venv/bin/python -c 'import json,sys; print(json.dumps({"message": sys.argv[1]}))' "$QUESTION")" |
  .venv/bin/python scripts/show_answer.py
if [ "${1:-}" = "--once" ]; then exit 0; fi
echo "Serving the chat page at http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
wait $server
