"""Compare PDF text extractors on real papers: word-join and word-split errors, glyph noise, pages/s.

    python bench/pdf_extractors.py [PAPERS_DIR]

Candidates: pypdf, pypdfium2, pdfminer.six and PyMuPDF, each used if installed (`pip install pypdfium2 pymupdf`
to compare all four; the project itself needs only pdfminer.six and pypdf). No ground truth ships with the papers, so
errors are counted against the consensus of the other extractors: a word of extractor X that none of at least two
others produce, but that splits into two words they do produce, is a join error ("functionLDPOincreases"); two
adjacent words of X whose concatenation the others produce as one word is a split error ("REAC T"). Glyph noise is
private-use, replacement, control characters and pdfminer's "(cid:N)" placeholders. Figures per 1,000 words.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

_WORD = re.compile(r"[A-Za-z]+")


def _pypdf(path: Path) -> list[str]:
    import pypdf

    return [p.extract_text() or "" for p in pypdf.PdfReader(path).pages]


def _pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    out = []
    for page in pdfium.PdfDocument(path):
        tp = page.get_textpage()
        out.append(tp.get_text_range())
    return out


def _pdfminer(path: Path) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return ["".join(e.get_text() for e in layout if isinstance(e, LTTextContainer)) for layout in extract_pages(path)]


def _pymupdf(path: Path) -> list[str]:
    import pymupdf  # AGPL-3.0: measured here only, not a dependency of the project

    return [page.get_text() for page in pymupdf.open(path)]


def _ours(path: Path) -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ingest.paper_structure import read_pdf  # pdfminer.six + the repairs of ingest/pdf.py

    return read_pdf(path).pages


EXTRACTORS: dict[str, Callable[[Path], list[str]]] = {
    "pypdf": _pypdf,
    "pypdfium2": _pdfium,
    "pdfminer.six": _pdfminer,
    "pymupdf": _pymupdf,
    "notes-rag (pdfminer + repairs)": _ours,
}


def _clean(text: str) -> str:
    """The same light normalisation for every extractor: NFKC, soft hyphens, line-end hyphens joined."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\ufffe", "").replace("\x02", "")
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)


def _noise(raw: str) -> int:
    bad = sum(1 for ch in raw if 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    bad += sum(1 for ch in raw if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    return bad + raw.count("(cid:")


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "papers")
    pdfs = sorted(folder.glob("*.pdf"))
    texts: dict[str, dict[str, str]] = {}
    speed: dict[str, float] = {}
    for name, fn in EXTRACTORS.items():
        try:
            t0, pages, texts[name] = time.perf_counter(), 0, {}
            for pdf in pdfs:
                got = fn(pdf)
                pages += len(got)
                texts[name][pdf.name] = "\n".join(got)
            speed[name] = pages / (time.perf_counter() - t0)
        except ImportError:
            print(f"{name}: not installed, skipped")
            texts.pop(name, None)
    names = list(texts)
    totals: dict[str, Counter[str]] = {n: Counter() for n in names}
    for pdf in pdfs:
        words = {n: _WORD.findall(_clean(texts[n][pdf.name])) for n in names}
        vocab = {n: {w.lower() for w in words[n]} for n in names}
        for n in names:
            # the consensus is the raw extractors' (our own repaired output is judged, never a judge)
            seen = Counter(w for m in names if m != n and not m.startswith("notes-rag") for w in vocab[m])
            ok = {w for w, c in seen.items() if c >= 2}
            ws = [w.lower() for w in words[n]]
            t = totals[n]
            t["words"] += len(ws)
            t["join"] += sum(
                1
                for w in ws
                if len(w) >= 6 and w not in ok and any(w[:i] in ok and w[i:] in ok for i in range(2, len(w) - 1))
            )
            t["split"] += sum(
                1 for a, b in zip(ws, ws[1:], strict=False) if (a not in ok or b not in ok) and a + b in ok
            )
            t["noise"] += _noise(texts[n][pdf.name])
    print(f"\n{len(pdfs)} PDFs from {folder}")
    print("| extractor | words | join errors /1k | split errors /1k | glyph noise /1k | pages/s |")
    print("|---|---|---|---|---|---|")
    for n in names:
        t = totals[n]
        k = t["words"] / 1000
        rates = " | ".join(f"{t[key] / k:.2f}" for key in ("join", "split", "noise"))
        print(f"| {n} | {t['words']} | {rates} | {speed[n]:.1f} |")


if __name__ == "__main__":
    main()
