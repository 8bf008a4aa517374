"""Ingest benchmark: prints figures, asserts nothing.

    python bench/ingest.py [--notes ../shared/notes] [--papers ../shared/papers]
    python bench/ingest.py --notes DIR --no-papers            # any notes folder
    python bench/ingest.py --generate DIR [--mb 1.2]          # write a handbook-shaped folder first, then ingest it

Per phase the seconds it took; and the ratio of the whole first ingest to a bare ``encode()`` of the same chunk texts
(the floor: every chunk must be embedded once).

For notes only, then notes + papers: chunks, wall time, pipeline embedding chunks/s vs a bare model.encode over
the same texts (ratio; goal >= 0.85), pages/s parsed, and the no-op re-ingest time (goal <= 3 s), in-process and as
a fresh CLI process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from ingest.common import Progress  # noqa: E402
from ingest.pipeline import run  # noqa: E402
from rag_service.index.embedder import Embedder  # noqa: E402
from rag_service.index.store import HybridIndex  # noqa: E402
from rag_service.settings import Settings  # noqa: E402


class PhaseClock:
    """Times each progress phase (reading, embedding, parsing...) from its start to the next phase's start."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, int, float]] = []
        self.ended: float | None = None

    def start(self, label: str, total: int) -> None:
        self.phases.append((label, total, time.perf_counter()))

    def seconds(self, label: str) -> tuple[int, float]:
        for i, (name, total, t0) in enumerate(self.phases):
            if name == label:
                t1 = self.phases[i + 1][2] if i + 1 < len(self.phases) else (self.ended or time.perf_counter())
                return total, t1 - t0
        return 0, 0.0


def generate(folder: Path, megabytes: float, seed: int = 0) -> None:
    """A handbook-shaped notes folder of about ``megabytes`` MB: long files of sections with prose, nested bullets,
    code blocks and tables. Prose sentences are drawn from the shared corpora (real English, so the embedder does
    real work); numbers and identifiers vary so no two chunks are the same text."""
    import random
    import re

    rng = random.Random(seed)
    corpus = ROOT.parent / "shared" / "corpora"
    text = " ".join(p.read_text(errors="replace") for p in sorted(corpus.rglob("*.md")))
    text = re.sub(r"<[^>]+>|!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[#*`|>]", r" \1", text)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if 40 < len(s.strip()) < 300]
    words = sorted({w.lower() for s in sentences for w in re.findall(r"[A-Za-z]{5,}", s)})
    folder.mkdir(parents=True, exist_ok=True)
    written, n = 0, 0
    while written < megabytes * 1_000_000:
        n += 1
        lines = [f"# Handbook part {n}: {rng.choice(words)} and {rng.choice(words)}", ""]
        for section in range(rng.randint(6, 12)):
            lines += [f"## {section + 1}. {rng.choice(words).title()} {rng.choice(words)}", ""]
            lines += [" ".join(rng.sample(sentences, rng.randint(3, 6))), ""]
            for _ in range(rng.randint(2, 4)):
                lines.append(f"- {rng.choice(sentences)}")
                lines += [f"    - {rng.choice(sentences)}" for _ in range(rng.randint(0, 2))]
            lines += ["", "```python"]
            lines += [
                f"{rng.choice(words)}_{i} = {rng.choice(words)}({rng.randint(1, 4096)}, lr={rng.random():.0e})"
                for i in range(rng.randint(3, 12))
            ]
            lines += [
                "```",
                "",
                f"| {rng.choice(words)} | {rng.choice(words)} | {rng.choice(words)} |",
                "|---|---|---|",
            ]
            lines += [
                f"| {rng.choice(words)} | {rng.randint(1, 999)} | {rng.random() * 100:.1f} |"
                for _ in range(rng.randint(3, 8))
            ]
            lines.append("")
        body = "\n".join(lines)
        (folder / f"part-{n:03d}.md").write_text(body)
        written += len(body.encode())
    print(f"generated {n} files, {written / 1e6:.2f} MB of markdown in {folder}")


def bench(label: str, notes: Path, papers: Path | None, embedder: Embedder) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), fetch_papers=False)
        index = HybridIndex(settings, embedder)
        clock = PhaseClock()
        t0 = time.perf_counter()
        report = run(
            settings,
            [notes],
            index=index,
            papers_dir=papers,
            fetch=False,
            with_papers=papers is not None,
            progress=Progress(clock.start, lambda n: None),
        )
        clock.ended = time.perf_counter()
        wall = clock.ended - t0
        chunks = index.get_chunks(index.chunk_ids())
        texts = [c.index_text for c in chunks.values()]
        t1 = time.perf_counter()
        embedder.encode(texts)
        bare_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        noop = run(settings, [notes], index=index, papers_dir=papers, fetch=False, with_papers=papers is not None)
        noop_s = time.perf_counter() - t2
        index.close()
        cmd = [
            sys.executable,
            "-c",
            "from notes_rag.cli import app; app()",
            "ingest",
            str(notes),
            "--data-dir",
            tmp,
            "--no-fetch",
        ] + (["--papers-dir", str(papers)] if papers else ["--no-papers"])
        t3 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        cli_noop = time.perf_counter() - t3

    print(f"\n== {label}")
    print(f"chunks                         {len(texts)}")
    print("| phase | items | seconds |\n|---|---|---|")
    for name, total, _ in clock.phases:
        print(f"| {name} | {total} | {clock.seconds(name)[1]:.1f} |")
    print(f"| whole first ingest (model loaded) | | {wall:.1f} |")
    print(f"bare model.encode of the chunk texts   {bare_s:.1f} s ({len(texts) / bare_s:.1f} chunks/s)")
    print(f"ratio first ingest / bare encode       {wall / bare_s:.2f}   (goal <= 2.5)")
    if papers:
        pages, t_parse = clock.seconds("parsing papers")
        n_pages = sum(p.pages or 0 for p in report.papers)
        print(
            f"papers parsed                  {pages} PDFs, {n_pages} pages, {n_pages / t_parse:.1f} pages/s "
            "(incl. chunking)"
        )
    print(f"no-op re-ingest (in process)   {noop_s:.2f} s   (goal <= 3 s; {noop.files_skipped} files skipped)")
    print(f"no-op re-ingest (fresh CLI)    {cli_noop:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=Path, default=ROOT.parent / "shared" / "notes")
    ap.add_argument("--papers", type=Path, default=ROOT.parent / "shared" / "papers")
    ap.add_argument("--no-papers", action="store_true", help="notes only")
    ap.add_argument("--generate", type=Path, help="write a handbook-shaped folder here and ingest it (notes only)")
    ap.add_argument("--mb", type=float, default=1.2, help="size of the generated folder")
    args = ap.parse_args()
    if args.generate:
        generate(args.generate, args.mb)
        args.notes, args.no_papers = args.generate, True
    t = time.perf_counter()
    embedder = Embedder(Settings().embedding)
    embedder.encode(["warm up"])
    print(f"model load                     {time.perf_counter() - t:.1f} s")
    bench(f"notes ({args.notes})", args.notes, None, embedder)
    if args.papers.is_dir() and not args.no_papers:
        bench("notes + papers", args.notes, args.papers, embedder)


if __name__ == "__main__":
    main()
