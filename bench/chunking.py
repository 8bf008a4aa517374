"""Chunking time against note size: is it linear? Prints figures, asserts nothing.

    python bench/chunking.py [--base-kb 64] [--steps 4]

Builds synthetic notes of growing size (headings, bullet lists, one long fenced code block, one long line without
breaks: the shapes that once made splitting quadratic) and times read + chunk with the real MiniLM token counter.
Linear means seconds per MB stays flat as the note grows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from ingest.chunk_notes import chunk_note  # noqa: E402
from ingest.notes import read_note  # noqa: E402
from rag_service.index.embedder import Embedder  # noqa: E402
from rag_service.settings import Settings  # noqa: E402


def note_of(kb: int) -> str:
    block = []
    for i in range(max(1, kb // 8)):
        block.append(f"## Section {i}\n")
        block += [f"- point {j} of section {i}: attention, LoRA rank {j}, learning rate 5e-7\n" for j in range(40)]
        block.append("```python\n" + "".join(f"x_{j} = f({j})  # step {j}\n" for j in range(60)) + "```\n")
        block.append("one long line " + "without any break " * 60 + "\n")
    # and one fenced block that grows with the note: a single unit split into many parts
    block.append(
        "## Logs\n```\n" + "".join(f"epoch {j} loss {j % 7}.{j % 10} lr 5e-7\n" for j in range(kb * 12)) + "```\n"
    )
    return "# Big note\n" + "".join(block)


def paragraph_of(kb: int) -> str:
    """One paragraph without a line break (the shape that took 7 minutes for 10 MB in issue 11)."""
    words = [
        "attention",
        "lora",
        "rank",
        "learning",
        "rate",
        "the",
        "of",
        "a",
        "model",
        "training",
        "data",
        "5e-7",
        "GPU",
        "memory",
        "tokens",
    ]
    out, size, i = [], 0, 0
    while size < kb * 1024:
        word = words[(i * 7919) % len(words)] + ("." if i % 20 == 19 else "")
        out.append(word)
        size += len(word) + 1
        i += 1
    return "# Big note\n" + " ".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-kb", type=int, default=64)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--paragraph-mb", type=float, default=10, help="also time one paragraph this big (0: skip)")
    args = ap.parse_args()
    settings = Settings()
    embedder = Embedder(settings.embedding)
    embedder.count_tokens("warm up")
    print("| note | size | chunks | seconds | seconds per MB |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        shapes = [(f"mixed {args.base_kb * 4**step} KB", note_of(args.base_kb * 4**step)) for step in range(args.steps)]
        if args.paragraph_mb:
            shapes.append(("one paragraph", paragraph_of(int(args.paragraph_mb * 1024))))
        for shape, text in shapes:
            path = Path(tmp) / "big.md"
            path.write_text(text)
            size = path.stat().st_size
            t = time.perf_counter()
            note = read_note(path, Path(tmp))
            chunks = chunk_note(
                note, settings.chunking.max_tokens, settings.chunking.overlap_tokens, embedder.count_tokens
            )
            took = time.perf_counter() - t
            print(f"| {shape} | {size / 1e6:.2f} MB | {len(chunks)} | {took:.2f} | {took / (size / 1e6):.2f} |")


if __name__ == "__main__":
    main()
