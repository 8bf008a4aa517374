"""Load on a real server: concurrent searches and answers against `notes-rag serve`. Prints figures, asserts nothing.

    python bench/load.py --data-dir DIR [--llm extractive] [--clients 50] [--seconds 30] [--no-retry-after]

Starts the API on 127.0.0.1 (its own process), then `--clients` threads loop for `--seconds`, half of them asking
`/v1/chat`, half `/v1/search` (the issue's mix), while a probe calls `/healthz` every 100 ms. Reports per route:
requests, status codes (503 = admission control said busy, with Retry-After), errors (anything else non-2xx, or no
response), requests/s, latency p50 / p99 (a client told 503 waits its Retry-After before asking again, unless
--no-retry-after); the probe's `/healthz` p50 / p99 / max; and the server's answer counters.
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
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument(
        "--no-retry-after",
        dest="retry_after",
        action="store_false",
        help="retry a 503 at once instead of waiting its Retry-After as a well-behaved client does",
    )
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTES_RAG_")}
    env |= {"NOTES_RAG_DATA_DIR": str(args.data_dir), "NOTES_RAG_LLM": args.llm}
    with serve_process(env) as base:
        codes: dict[str, Counter[int | str]] = defaultdict(Counter)
        latency: dict[str, list[float]] = defaultdict(list)
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def record(route: str, http: httpx.Client, method: str, body: dict[str, object] | None) -> float:
            """One request; returns how long the server asked us to wait before the next (Retry-After), if any."""
            t = time.perf_counter()
            retry_after = 0.0
            try:
                response = http.request(method, route, json=body)
                status: int | str = response.status_code
                retry_after = float(response.headers.get("retry-after", 0))
            except httpx.HTTPError as e:
                status = type(e).__name__
            with lock:
                codes[route][status] += 1
                latency[route].append(time.perf_counter() - t)
            return retry_after if args.retry_after else 0.0

        def client(n: int) -> None:
            route = "/v1/chat" if n % 2 else "/v1/search"
            with httpx.Client(base_url=base, timeout=600) as http:
                i = n
                while time.monotonic() < stop:
                    q = QUESTIONS[i % len(QUESTIONS)]
                    wait = record(route, http, "POST", {"message": q} if n % 2 else {"query": q, "k": 5})
                    time.sleep(min(wait, max(0.0, stop - time.monotonic())))
                    i += 1

        def probe() -> None:
            with httpx.Client(base_url=base, timeout=30) as http:
                while time.monotonic() < stop:
                    record("/healthz", http, "GET", None)
                    time.sleep(0.1)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        threads.append(threading.Thread(target=probe))
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        answers = httpx.get(f"{base}/readyz").json().get("answers")
    print(
        f"{args.clients} clients ({args.clients // 2} search, {args.clients - args.clients // 2} chat) "
        f"for {wall:.0f} s, backend {args.llm}, {os.cpu_count()} cores, "
        f"{'clients wait Retry-After after a 503' if args.retry_after else '503s retried at once'}\n"
    )
    print(
        "| route | requests | status codes | errors | per second | p50 | p99 | max |\n|---|---|---|---|---|---|---|---|"
    )
    for route in ("/v1/search", "/v1/chat", "/healthz"):
        lat = sorted(latency[route])
        if not lat:
            continue
        errors = sum(
            n for code, n in codes[route].items() if not (isinstance(code, int) and (code < 300 or code == 503))
        )
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
        print(
            f"| {route} | {len(lat)} | {dict(codes[route])} | {errors} | {len(lat) / wall:.1f} | "
            f"{statistics.median(lat) * 1000:.0f} ms | {p99 * 1000:.0f} ms | {lat[-1] * 1000:.0f} ms |"
        )
    print(f"\nserver's answer counters: {answers}")


if __name__ == "__main__":
    main()
