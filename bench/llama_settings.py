"""llama.cpp settings that change prefill on this CPU: prints prompt tokens/s and generation tokens/s per setting.
Asserts nothing; run it on a quiet machine (another process on the two cores halves every figure).

    python bench/llama_settings.py --model PATH.gguf [--tokens 800] [--reps 3]

Each row starts the in-process server (xllamacpp) with the default settings but one, sends ``--reps`` prompts of about
``--tokens`` tokens that share no prefix (nothing is served from the prompt cache), and reports llama.cpp's own
timings: median prompt tokens/s, median generated tokens/s over 32 tokens, and the load time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()


def _prompt(i: int, tokens: int) -> str:
    """A prompt of about ``tokens`` tokens (~11 tokens per fact) whose first words differ per ``i``."""
    facts = " ".join(f"fact {j}: the value of item {j} is {(j * 7 + i) % 97}." for j in range(tokens // 11))
    return f"Run {i} at {time.time()}. {facts} Which item has the largest value?"


def _settings() -> list[tuple[str, Callable[[Any], None]]]:
    import xllamacpp as xlc

    fa = xlc.llama_flash_attn_type
    q8 = xlc.ggml_type.GGML_TYPE_Q8_0

    def kv_q8(p: Any) -> None:
        p.cache_type_k = q8
        p.cache_type_v = q8
        p.flash_attn_type = fa.LLAMA_FLASH_ATTN_TYPE_ENABLED  # a quantised V cache needs flash attention

    def repack_off_flash_on(p: Any) -> None:
        p.no_extra_bufts = True
        p.flash_attn_type = fa.LLAMA_FLASH_ATTN_TYPE_ENABLED

    def one_thread(p: Any) -> None:
        p.cpuparams.n_threads = 1
        p.cpuparams_batch.n_threads = 1

    def batch(n: int, u: int) -> Callable[[Any], None]:
        def apply(p: Any) -> None:
            p.n_batch, p.n_ubatch = n, u

        return apply

    return [
        ("default (batch 2048, ubatch 512, flash auto, kv f16, repack on)", lambda p: None),
        ("flash attention on", lambda p: setattr(p, "flash_attn_type", fa.LLAMA_FLASH_ATTN_TYPE_ENABLED)),
        ("flash attention off", lambda p: setattr(p, "flash_attn_type", fa.LLAMA_FLASH_ATTN_TYPE_DISABLED)),
        ("kv cache q8_0 (+ flash on)", kv_q8),
        ("ubatch 256", batch(2048, 256)),
        ("ubatch 1024 (batch 1024)", batch(1024, 1024)),
        ("weight repacking off (no_extra_bufts)", lambda p: setattr(p, "no_extra_bufts", True)),
        ("weight repacking off + flash attention on", repack_off_flash_on),
        ("threads 1", one_thread),
    ]


def measure(model: Path, change: Callable[[Any], None], tokens: int, reps: int) -> dict[str, float]:
    """Start a server with one setting changed; median prefill and decode rates over ``reps`` fresh prompts."""
    import httpx
    import xllamacpp as xlc

    p = xlc.CommonParams()
    p.model.path = str(model)
    p.n_ctx = 4096
    p.cpuparams.n_threads = 2
    p.cpuparams_batch.n_threads = 2
    p.verbosity = -1
    change(p)
    t0 = time.perf_counter()
    server = xlc.Server(p)
    load = time.perf_counter() - t0
    address = server.listening_address
    address = address if address.startswith("http") else f"http://{address}"
    prefill, decode, n_prompt = [], [], []
    for i in range(reps):
        body = {
            "messages": [{"role": "user", "content": _prompt(i, tokens)}],
            "max_tokens": 32,
            "temperature": 0,
            "ignore_eos": True,
        }
        out = httpx.post(f"{address}/v1/chat/completions", json=body, timeout=600).json()
        t = out["timings"]
        prefill.append(float(t["prompt_per_second"]))
        decode.append(float(t["predicted_per_second"]))
        n_prompt.append(int(t["prompt_n"]))
    del server
    return {
        "load_s": load,
        "prompt_tokens": statistics.median(n_prompt),
        "prefill": statistics.median(prefill),
        "decode": statistics.median(decode),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--tokens", type=int, default=800)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", help="run only the settings whose name contains this")
    args = ap.parse_args()
    print(f"model {args.model.name}; prompts of ~{args.tokens} tokens, {args.reps} per setting\n")
    print("| setting | prompt tokens | prefill tok/s | generation tok/s | load s |\n|---|---|---|---|---|")
    for name, change in _settings():
        if args.only and args.only not in name:
            continue
        r = measure(args.model, change, args.tokens, args.reps)
        print(
            f"| {name} | {r['prompt_tokens']:.0f} | {r['prefill']:.1f} | {r['decode']:.1f} | {r['load_s']:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
