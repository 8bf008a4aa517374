"""Local paper reader benchmark: how fast a cited page opens with its quote marked, and how much of each quote the
marks cover. Prints figures, asserts nothing.

    python bench/reader.py --data-dir DIR [--n 50] [--browser]

Quotes: the reference passages of eval/data/papers_qa.jsonl (a paper, its page, the passage), the first ``--n``
whose paper the index holds. Per quote, as the reader asks for it: the highlight of the cited page, and of the next
page when the quote is not all there (a quote over the page break). Figures:
- highlight accuracy: the share of the quote's words inside the marked boxes (mean, p50, share of quotes >= 0.9,
  quotes with no mark at all);
- server time per page open, cold (caches cleared): the page parsed for word boxes, the PNG rendered (p50 / max);
- with ``--browser`` (Debian chromium + Playwright): time from navigation to the page painted with its marks (p50 /
  max), through the real app under uvicorn.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from rag_service import reader  # noqa: E402
from rag_service.index.store import open_index  # noqa: E402
from rag_service.links import reader_url  # noqa: E402
from rag_service.settings import Settings  # noqa: E402


def quotes(index: object, n: int) -> list[dict[str, object]]:
    """Paper passages of the paper QA set whose paper the index holds."""
    out = []
    for line in (ROOT / "eval" / "data" / "papers_qa.jsonl").read_text().splitlines():
        item = json.loads(line)
        for ctx in item["contexts"]:
            if ctx.get("type") == "paper" and index.source_meta(f"paper:{ctx['paper_id']}"):  # type: ignore[attr-defined]
                out.append({"id": item["id"], "paper": ctx["paper_id"], "page": ctx["page"], "text": ctx["text"]})
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--browser", action="store_true", help="also time the reader page in chromium")
    args = ap.parse_args()
    settings = Settings(data_dir=args.data_dir, llm="extractive", fetch_papers=False)
    index = open_index(settings)
    cases = quotes(index, args.n)
    accuracy, parse_ms, render_ms, unmarked = [], [], [], []
    for c in cases:
        path = reader.pdf_path(index, settings, str(c["paper"]))
        page = int(c["page"])  # type: ignore[call-overload]
        reader._read_page.cache_clear()  # noqa: SLF001 - cold: each page parsed anew
        t0 = time.perf_counter()
        parsed = reader.read_page(path, page)
        words, found = reader.locate(parsed, str(c["text"]))
        parse_ms.append((time.perf_counter() - t0) * 1000)
        if found < 0.95 and page < parsed.pages:  # the rest of the quote over the page break
            rest, _ = reader.locate(reader.read_page(path, page + 1), str(c["text"]))
            words = words + rest
        # the quote's words inside the marked boxes, each counted once
        want, marked = Counter(reader.tokens(str(c["text"]))), Counter(t for w in words for t in reader.tokens(w.text))
        found = sum((want & marked).values()) / max(1, sum(want.values()))
        t0 = time.perf_counter()
        reader.render_png(path, page, 1100)
        render_ms.append((time.perf_counter() - t0) * 1000)
        accuracy.append(found)
        if not words:
            unmarked.append(str(c["id"]))
    print(f"quotes: {len(cases)} (eval/data/papers_qa.jsonl, papers in {args.data_dir})")
    print(
        f"highlight accuracy (quote's words inside the marks): mean {statistics.mean(accuracy):.3f}, "
        f"p50 {statistics.median(accuracy):.3f}, >= 0.9: {sum(a >= 0.9 for a in accuracy)}/{len(accuracy)}, "
        f"no mark: {len(unmarked)} {unmarked[:10]}"
    )
    print(
        f"server, cold: word boxes p50 {statistics.median(parse_ms):.0f} ms (max {max(parse_ms):.0f}); "
        f"page PNG p50 {statistics.median(render_ms):.0f} ms (max {max(render_ms):.0f})"
    )
    if args.browser:
        browser_times(settings, index, cases)


def browser_times(settings: Settings, index: object, cases: list[dict[str, object]]) -> None:
    """Navigation to the reader page -> its page painted with the marks, in chromium."""
    from playwright.sync_api import sync_playwright

    from tests.helpers import serve_app

    times = []
    with serve_app(settings, index) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        for c in cases:
            reader._read_page.cache_clear()  # noqa: SLF001 - cold: each page parsed anew
            t0 = time.perf_counter()
            page.goto(url + str(reader_url(str(c["paper"]), int(c["page"]), settings, str(c["text"]))))  # type: ignore[call-overload]
            page.locator("body[data-ready=true]").wait_for(timeout=60_000)
            times.append((time.perf_counter() - t0) * 1000)
        browser.close()
    print(f"browser: page open with marks p50 {statistics.median(times):.0f} ms (max {max(times):.0f}), n={len(times)}")


if __name__ == "__main__":
    main()
