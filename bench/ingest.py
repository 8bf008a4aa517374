"""Ingest benchmark: prints figures, asserts nothing.

    python bench/ingest.py [--notes ../shared/notes] [--papers ../shared/papers]

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
        n_embed, t_embed = 0, 0.0
        for phase in ("embedding note chunks", "embedding paper chunks"):
            n, t = clock.seconds(phase)
            n_embed, t_embed = n_embed + n, t_embed + t
        t1 = time.perf_counter()
        embedder.encode(texts)
        bare = len(texts) / (time.perf_counter() - t1)
        pipeline_rate = n_embed / t_embed if t_embed else float("nan")
        t2 = time.perf_counter()
        noop = run(settings, [notes], index=index, papers_dir=papers, fetch=False, with_papers=papers is not None)
        noop_s = time.perf_counter() - t2
        index.close()
        cmd = [
            sys.executable,
            "-c",
            "from rag_service.cli import app; app()",
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
    print(f"wall time (model loaded)       {wall:.1f} s")
    print(f"pipeline embedding             {pipeline_rate:.1f} chunks/s (phase time incl. index writes)")
    print(f"bare model.encode              {bare:.1f} chunks/s")
    print(f"ratio pipeline / bare          {pipeline_rate / bare:.2f}   (goal >= 0.85)")
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
    args = ap.parse_args()
    t = time.perf_counter()
    embedder = Embedder(Settings().embedding)
    embedder.encode(["warm up"])
    print(f"model load                     {time.perf_counter() - t:.1f} s")
    bench("notes", args.notes, None, embedder)
    if args.papers.is_dir():
        bench("notes + papers", args.notes, args.papers, embedder)


if __name__ == "__main__":
    main()
