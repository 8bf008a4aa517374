"""Retrieval quality on notes and papers, as a reader of the top results would judge it. Prints figures.

    python bench/retrieval.py --data-dir DIR [-v]

For the golden notes questions (answerable, no history) and the paper QA set: page/section hit in the top 1/5/10
(`p@k`), the reference evidence covered by a result's text in the top 1/5/10 (`c@k`, at least 80% of its words in
one result's text), `ctx` (page/section hit among the answer.max_contexts passages the answer step gets), MRR, and
retrieval p50. Run the same script against an older checkout for before/after figures.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from eval.dataset import DEFAULT_GOLDEN, PAPERS_QA, load_golden  # noqa: E402
from rag_service.index.store import HybridIndex, open_index  # noqa: E402
from rag_service.retrieval.hybrid import HybridRetriever  # noqa: E402
from rag_service.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("-v", action="store_true", help="list the questions missed in the top 5")
    args = ap.parse_args()
    settings = Settings(data_dir=args.data_dir)
    index = open_index(settings)
    retriever = HybridRetriever(index, settings.retrieval)
    retriever.retrieve("warm up")
    sets = {
        "notes": [i for i in load_golden(DEFAULT_GOLDEN) if i.answerable and not i.history],
        "papers": load_golden(PAPERS_QA),
    }
    latency: list[float] = []
    for name, items in sets.items():
        agg = dict.fromkeys(("p@1", "p@5", "p@10", "c@1", "c@5", "c@10", "ctx"), 0)
        rr = 0.0
        for item in items:
            t = time.perf_counter()
            hits = retriever.retrieve(item.question, k=10).hits
            latency.append((time.perf_counter() - t) * 1000)
            page = [any(r.matches(s) for r in item.contexts for s in [h.chunk.source, *h.also_in]) for h in hits]
            cover = [item.covered_by(h.chunk.source, h.chunk.text) for h in hits]
            for k in (1, 5, 10):
                agg[f"p@{k}"] += any(page[:k])
                agg[f"c@{k}"] += any(cover[:k])
            rr += next((1 / (i + 1) for i, x in enumerate(page) if x), 0.0)
            # what the answer step gets: the top answer.max_contexts of a retrieval asked for that many
            a = settings.answer
            contexts = retriever.retrieve(item.question, k=a.max_contexts, note_margin=a.note_margin).hits
            agg["ctx"] += any(
                r.matches(s) for r in item.contexts for h in contexts for s in [h.chunk.source, *h.also_in]
            )
            if args.v and not any(page[:5]):
                print(f"   miss {item.id}: {item.question[:80]}")
        n = len(items)
        print(f"{name:7} n={n:3}  " + "  ".join(f"{k}={v}/{n}" for k, v in agg.items()) + f"  mrr={rr / n:.3f}")
    print(f"retrieval p50 {statistics.median(latency):.1f} ms over {len(latency)} queries")
    tables_found(index, settings)
    index.close()


def tables_found(index: HybridIndex, settings: Settings) -> None:
    """Per indexed paper: tables read as rows (ingest/pdf_tables.py) against the tables its captions announce, and
    the inline math written readably (rag_service/text/pdf_math.py): lines with a sub/superscript or an accent, and
    glyphs left unread ("(cid:N)")."""
    from ingest.pdf import load_pdf
    from ingest.pdf_tables import CAPTION, find_tables
    from rag_service.reader import PaperNotFoundError, pdf_path

    found = present = 0
    for source in index.sources():
        if source["type"] != "paper":
            continue
        try:
            raw = load_pdf(pdf_path(index, settings, source["key"].removeprefix("paper:")))
        except PaperNotFoundError:
            continue
        labels = {m.group(1) for ln in raw.lines if (m := CAPTION.match(ln.text))}
        tables = find_tables(raw.lines)
        found, present = found + len(tables), present + len(labels)
        scripts = sum(bool(_MATH.search(ln.text)) for ln in raw.lines)
        unread = sum(ln.text.count("(cid:") for ln in raw.lines)
        print(
            f"   {source['key']}: tables {len(tables)} of {len(labels)} read as rows; "
            f"math: {scripts} lines with a script or accent, {unread} glyphs unread"
        )
    print(f"tables read as rows: {found} of {present} announced by a caption")


_MATH = re.compile(r"\w[_^][\w{]|\u0302|\u0303|\u0304|\u0307|\u0308")  # "d_model", "10^{−9}", "L̂"


if __name__ == "__main__":
    main()
