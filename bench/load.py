"""Load on a real server: concurrent searches and answers against `notes-rag serve`. Prints figures, asserts nothing.

    python bench/load.py --data-dir DIR [--llm extractive] [--clients 8] [--seconds 30]

Starts the API on 127.0.0.1 (its own process), then `--clients` threads each loop for `--seconds`: a search, then a
chat answer. Reports per route: requests, status codes (503 = admission control said busy), latency p50 / p95, and
the server's own answer counters from /readyz. With the local model the admission control is what keeps latency
bounded: one answer at a time, a short queue, 503 + Retry-After beyond it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import serve_process  # noqa: E402

QUESTIONS = [
    "What are my DPO training tips?",
    "Which weight matrices is LoRA usually applied to?",
    "What are the two steps of inference for transformer-based models?",
    "What is hybrid search in RAG?",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--llm", default="extractive")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTES_RAG_")}
    env |= {"NOTES_RAG_DATA_DIR": str(args.data_dir), "NOTES_RAG_LLM": args.llm}
    with serve_process(env) as base:
        codes: dict[str, Counter[int]] = defaultdict(Counter)
        latency: dict[str, list[float]] = defaultdict(list)
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def client(n: int) -> None:
            with httpx.Client(base_url=base, timeout=600) as http:
                i = n
                while time.monotonic() < stop:
                    q = QUESTIONS[i % len(QUESTIONS)]
                    for route, body in (("/v1/search", {"query": q, "k": 5}), ("/v1/chat", {"message": q})):
                        t = time.perf_counter()
                        status = http.post(route, json=body).status_code
                        with lock:
                            codes[route][status] += 1
                            latency[route].append(time.perf_counter() - t)
                    i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        answers = httpx.get(f"{base}/readyz").json().get("answers")
    print(f"{args.clients} clients for {wall:.0f} s, backend {args.llm}\n")
    print("| route | requests | status codes | per second | latency p50 | latency p95 |\n|---|---|---|---|---|---|")
    for route in ("/v1/search", "/v1/chat"):
        lat = sorted(latency[route])
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else 0.0
        print(
            f"| {route} | {len(lat)} | {dict(codes[route])} | {len(lat) / wall:.1f} | "
            f"{statistics.median(lat) * 1000:.0f} ms | {p95 * 1000:.0f} ms |"
        )
    print(f"\nserver's answer counters: {answers}")


if __name__ == "__main__":
    main()
