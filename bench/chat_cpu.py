"""CPU cost of one answer on the chat path, and where it goes. Prints figures, asserts nothing.

    python bench/chat_cpu.py --data-dir DIR [--llm extractive] [--questions 12] [--profile]

Runs the answer pipeline in-process (no HTTP) over golden questions after a warm-up and reports CPU seconds per
answer (process time, all threads) and wall time; with --profile, the functions that take the most of it. The
extractive backend shows the service's own cost; with the local model the LLM's generation dominates.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from eval.dataset import load_golden  # noqa: E402
from rag_service.app import build_services  # noqa: E402
from rag_service.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--llm", default="extractive")
    ap.add_argument("--questions", type=int, default=12)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    services = build_services(Settings(data_dir=args.data_dir, llm=args.llm))
    services.warm_up()
    questions = [i.question for i in load_golden() if i.answerable and not i.history][: args.questions]
    services.pipeline.answer(questions[0])  # first-call caches
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = [], []
    for q in questions:
        c, w = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        services.pipeline.answer(q)
        if profiler:
            profiler.disable()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    print(f"backend {services.pipeline.backend}, {len(questions)} answers")
    print(f"CPU per answer p50 {statistics.median(cpu):.3f} s, max {max(cpu):.3f} s")
    print(f"wall per answer p50 {statistics.median(wall):.3f} s, max {max(wall):.3f} s")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    services.close()


if __name__ == "__main__":
    main()
