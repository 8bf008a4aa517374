"""Local model decode benchmark: does llama.cpp's draft-free n-gram speculative decoding pay on this CPU, and how much
of each prompt does llama.cpp's prefix cache reuse? Prints figures, asserts nothing.

    python bench/llm_decode.py --data-dir DIR [--questions 8] [--types none,ngram-simple,ngram-map-k,ngram-mod]

The prompts are the real answer prompts (fixed system prompt, contexts, question) of the golden set's first answerable
questions, retrieved from the index in DIR. Per speculative type: decode rate (llama.cpp's own timings), drafted and
accepted tokens, wall time per answer, and whether the answer text is identical to plain decoding (greedy decoding
with speculation must not change the output). Prefix reuse: prompt tokens llama.cpp evaluated vs the prompt's tokens.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

import httpx  # noqa: E402

from eval.dataset import load_golden  # noqa: E402
from rag_service.app import build_services  # noqa: E402
from rag_service.llm.backends import LocalServer  # noqa: E402
from rag_service.settings import Settings  # noqa: E402


def prompts(settings: Settings, n: int) -> list[list[dict[str, str]]]:
    """The chat messages the answer step would send for the first n answerable golden questions."""
    services = build_services(settings.model_copy(update={"llm": "extractive"}))
    out = []
    for item in [i for i in load_golden() if i.answerable and not i.history][:n]:
        prep = services.pipeline.prepare(item.question, [])
        out.append([{"role": m.role.value, "content": m.content or ""} for m in services.pipeline.messages(prep)])
    services.close()
    return out


def run(settings: Settings, kind: str, batch: list[list[dict[str, str]]]) -> list[dict[str, Any]]:
    server = LocalServer.start(
        settings.model_copy(update={"llm_opts": settings.llm_opts.model_copy(update={"speculative": kind})})
    )
    rows = []
    with httpx.Client(timeout=600) as client:
        for messages in batch:
            text = "\n".join(m["content"] for m in messages)
            total_prompt = len(client.post(f"{server.address}/tokenize", json={"content": text}).json()["tokens"])
            t = time.perf_counter()
            body = {"messages": messages, "max_tokens": settings.llm_opts.max_tokens, "temperature": 0}
            out = client.post(f"{server.address}/v1/chat/completions", json=body).json()
            timings = out["timings"]
            rows.append(
                {
                    "wall": time.perf_counter() - t,
                    "decode_rate": timings["predicted_per_second"],
                    "predicted": timings["predicted_n"],
                    "prompt_evaluated": timings["prompt_n"],
                    "prompt_total": total_prompt,
                    "drafted": timings.get("draft_n", 0),
                    "accepted": timings.get("draft_n_accepted", 0),
                    "text": out["choices"][0]["message"]["content"],
                }
            )
    del server
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--questions", type=int, default=8)
    ap.add_argument("--types", default="none,ngram-simple,ngram-map-k,ngram-mod")
    args = ap.parse_args()
    settings = Settings(data_dir=args.data_dir, llm="local")
    batch = prompts(settings, args.questions)
    print(f"{len(batch)} answer prompts; model {settings.llm_opts.packaged_model}, {settings.llm_opts.threads} threads")
    base: list[dict[str, Any]] | None = None
    print("\n| speculative | decode tok/s p50 | drafted / accepted | wall per answer p50 | same text as plain |")
    print("|---|---|---|---|---|")
    for kind in args.types.split(","):
        rows = run(settings, kind, batch)
        base = base or rows
        same = sum(r["text"] == b["text"] for r, b in zip(rows, base, strict=True))
        print(
            f"| {kind} | {statistics.median(r['decode_rate'] for r in rows):.1f} | "
            f"{sum(r['drafted'] for r in rows)} / {sum(r['accepted'] for r in rows)} | "
            f"{statistics.median(r['wall'] for r in rows):.1f} s | {same}/{len(rows)} |"
        )
    assert base is not None
    reused = [r["prompt_total"] - r["prompt_evaluated"] for r in base[1:]]  # the first request fills the cache
    print(
        f"\nprefix cache: prompt tokens p50 {statistics.median(r['prompt_total'] for r in base):.0f}, "
        f"evaluated p50 {statistics.median(r['prompt_evaluated'] for r in base):.0f}, "
        f"reused from the previous request p50 {statistics.median(reused) if reused else 0:.0f} tokens"
    )


if __name__ == "__main__":
    main()
