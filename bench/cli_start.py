"""CLI start-up: how long a shell lookup takes. Prints figures, asserts nothing.

    python bench/cli_start.py --data-dir DIR [--runs 5]

Times, as a user would see them (wall clock of a fresh process): `notes-rag --help`; `notes-rag search` loading the
index and the embedding model itself, the first run (cold: files not in the page cache, after dropping caches when
allowed) and later runs (warm); and `notes-rag search` asking a running server (NOTES_RAG_URL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLI = [sys.executable, "-c", "from notes_rag.cli import app; app()"]
QUERY = "DPO training tips learning rate"


def timed(args: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(CLI + args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTES_RAG_")}
    env["NOTES_RAG_DATA_DIR"] = str(args.data_dir)
    rows = []
    rows.append(("notes-rag --help", statistics.median(timed(["--help"], env) for _ in range(args.runs))))
    cold = drop_caches()
    first = timed(["search", QUERY], env)
    rows.append((f"search, local index, first run ({'caches dropped' if cold else 'caches not dropped'})", first))
    rows.append(
        ("search, local index, warm", statistics.median(timed(["search", QUERY], env) for _ in range(args.runs)))
    )

    from tests.helpers import serve_process

    with serve_process(env, "--llm", "extractive", timeout=180) as base:
        remote = {**env, "NOTES_RAG_URL": base}
        rows.append(
            (
                "search via NOTES_RAG_URL (server running)",
                statistics.median(timed(["search", QUERY], remote) for _ in range(args.runs)),
            )
        )
    print("| command | wall time |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} s |")


if __name__ == "__main__":
    main()
