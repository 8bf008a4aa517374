"""The local reader: a paper the index holds, its page rendered, and the quoted span's boxes on that page.

Rendered on the server (pypdfium2) with boxes from the characters pdfminer places, rather than pdf.js in the page:
the index's paper text comes from the same pdfminer characters, so a quote maps onto the page without matching a
second text extraction, and the install stays Python (pypdfium2's wheel is 4 MB; pdfjs-dist is 38 MB unpacked and
needs npm). bench/reader.py measures the page open time and how much of each quote the boxes cover.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag_service.index.store import HybridIndex
from rag_service.settings import Settings, cache_name

_TOKEN = re.compile(r"[^\W_]+", re.U)
_ACCENT = set("ˆ˜¯˙¨´`")  # spacing accents: a math accent is its own glyph on the page
# PDFium keeps process-wide state and is not thread-safe (pypdfium2's docs): one page is rendered at a time, whatever
# thread FastAPI runs the request on
_PDFIUM = threading.Lock()
_EDGE = 15  # words of a running header or footer (title, page number) between a page's edge and its text


class PaperNotFoundError(LookupError):
    """No such paper in the index, or its PDF is no longer where it was ingested from (or changed since)."""


class PageOutOfRangeError(LookupError):
    """A page number the paper does not have."""


@dataclass(frozen=True)
class Word:
    """A word of a page and its box, in PDF points from the page's bottom-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    """A page's shown area (its crop box, in PDF points: what the rendered image covers) and its words in reading
    order (pdfminer's layout)."""

    left: float
    bottom: float
    right: float
    top: float
    words: tuple[Word, ...]
    pages: int = 0  # pages of the paper


def pdf_path(index: HybridIndex, settings: Settings, paper_id: str) -> Path:
    """The PDF of an indexed paper: from the paper cache, or from the folder it was ingested from; nothing outside
    those folders, and only the bytes that were indexed (sha256 recorded at ingest)."""
    meta = index.source_meta(f"paper:{paper_id}")
    if meta is None:
        raise PaperNotFoundError(f"paper {paper_id!r} is not in the index")
    if meta.get("file") and meta.get("root"):
        path, root = Path(str(meta["file"])), Path(str(meta["root"]))
    else:
        path, root = settings.papers_cache / cache_name(paper_id), settings.papers_cache
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        raise PaperNotFoundError(f"paper {paper_id!r}: its PDF is no longer at {path}")
    if meta.get("sha256") and _sha256(resolved) != meta["sha256"]:
        raise PaperNotFoundError(f"paper {paper_id!r}: {path} changed since it was ingested (re-ingest it)")
    return resolved


def _sha256(path: Path) -> str:
    stat = path.stat()
    return _sha256_cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _sha256_cached(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


MAX_PIXELS = 12_000_000  # a page image is never larger (a narrow, very tall page would otherwise be any size)


def _check_page(page: int, pages: int) -> None:
    if not 1 <= page <= pages:
        raise PageOutOfRangeError(f"page {page}: the paper has {pages} pages")


def render_png(path: Path, page: int, width: int) -> tuple[bytes, int]:
    """Page ``page`` (1-based) as a PNG ``width`` pixels wide (less for a page so tall it would pass MAX_PIXELS),
    and the paper's page count."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        pdf = pdfium.PdfDocument(path)
        try:
            _check_page(page, len(pdf))
            pdf_page = pdf[page - 1]
            w, h = pdf_page.get_size()  # the crop box, what pdfium renders
            scale = min(width / w, (MAX_PIXELS / (w * h)) ** 0.5)
            out = io.BytesIO()  # encoded before the document closes: the image shares the bitmap's memory
            pdf_page.render(scale=scale).to_pil().save(out, format="PNG", optimize=False)
            return out.getvalue(), len(pdf)
        finally:
            pdf.close()


def _crop_box(path: Path, page: int) -> tuple[tuple[float, float, float, float], int]:
    """The page's crop box (left, bottom, right, top), which the rendered image shows, and the paper's page count."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        pdf = pdfium.PdfDocument(path)
        try:
            _check_page(page, len(pdf))
            left, bottom, right, top = pdf[page - 1].get_cropbox()
            return (float(left), float(bottom), float(right), float(top)), len(pdf)
        finally:
            pdf.close()


def read_page(path: Path, page: int) -> Page:
    """The words of page ``page`` (1-based) with their boxes, from pdfminer's characters (the text the index holds
    was read from the same characters); cached per file version."""
    stat = path.stat()
    return _read_page(str(path), page, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _read_page(path: str, page: int, mtime_ns: int, size: int) -> Page:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    from rag_service.text.pdf_math import char_text, joins, script

    crop, pages = _crop_box(Path(path), page)
    layout = next(iter(extract_pages(path, page_numbers=[page - 1], laparams=LAParams())))
    words: list[Word] = []
    for box in layout:
        if not isinstance(box, LTTextContainer):
            continue
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            current: list[LTChar] = []
            base: LTChar | None = None
            seq = list(line)
            for i, ch in enumerate([*seq, None]):
                if ch is not None and not isinstance(ch, LTChar) and joins(seq, i, base):
                    continue  # a kerning gap inside a script, as the index reads it ("d_ffn")
                mark = script(ch, base) if isinstance(ch, LTChar) else ""
                # a sub/superscript is a word of its own, as the index writes it ("d_model": "d", "model")
                same = not current or mark == script(current[-1], base)
                if isinstance(ch, LTChar) and ch.get_text().strip() and same:
                    current.append(ch)
                    base = base if mark else ch
                    continue
                if current:
                    text = unicodedata.normalize("NFKC", "".join(char_text(c) for c in current))
                    words.append(
                        Word(
                            text,
                            min(c.x0 for c in current),
                            min(c.y0 for c in current),
                            max(c.x1 for c in current),
                            max(c.y1 for c in current),
                        )
                    )
                    current = []
                if isinstance(ch, LTChar) and ch.get_text().strip():
                    current = [ch]
                    base = base if mark else ch
    return Page(*crop, tuple(words), pages)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, as the quote and the page are compared (NFKD: ligatures and math letters plain, accents
    off, so the index's "L̂" meets the page's "ˆ" + "L")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c) and c not in _ACCENT)
    return [t.lower() for t in _TOKEN.findall(plain)]


def locate(page: Page, quote: str) -> tuple[list[Word], float]:
    """The page's words that the quote's words fall on, and the share of the quote's words found: the longest
    stretch of the page whose words the quote shares in order (a line-end hyphen or a column break between them
    does not break the stretch). A quote that goes on over the page break is found here in part; the next page holds
    the rest."""
    want = tokens(quote)
    if not want or not page.words:
        return [], 0.0
    # each page word split into its tokens, remembering the word each token came from
    flat: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(page.words):
        for t in tokens(w.text):
            flat.append(t)
            owner.append(i)
    blocks = difflib.SequenceMatcher(None, want, flat, autojunk=False).get_matching_blocks()
    # the densest run of matching blocks: blocks whose page positions lie within a window as long as the quote
    # allows (twice its length: line-end hyphens split words, a column break adds a header or a footnote)
    best: tuple[int, list[difflib.Match]] = (0, [])
    real = [b for b in blocks if b.size]
    for i, first in enumerate(real):
        run = [b for b in real[i:] if b.b - first.b <= 2 * len(want)]
        matched = sum(b.size for b in run)
        if matched > best[0]:
            best = (matched, run)
    matched, run = best
    # a few shared words, or a common phrase holding half of the quote, are no quote found (two thirds are), unless
    # they sit where a quote split by the page break would: the page's last words holding the quote's start, or its
    # first words holding the quote's end
    at_break = bool(run) and (
        (run[-1].b + run[-1].size >= len(flat) - _EDGE and run[0].a <= 1)
        or (run[0].b <= _EDGE and run[-1].a + run[-1].size >= len(want) - 1)
    )
    if matched < min(3, len(want)) or (matched < 2 / 3 * len(want) and not at_break):
        return [], 0.0
    hit = sorted({owner[b.b + k] for b in run for k in range(b.size)})
    return [page.words[i] for i in hit], min(1.0, matched / len(want))


def boxes(page: Page, words: list[Word]) -> list[dict[str, float]]:
    """The matched words merged into one box per line run, as fractions of the shown page (its crop box, top-left
    origin), so a page image of any width draws them."""
    width, height = page.right - page.left, page.top - page.bottom
    out: list[dict[str, float]] = []
    for w in words:
        box = {
            "x0": (w.x0 - page.left) / width,
            "y0": (page.top - w.y1) / height,
            "x1": (w.x1 - page.left) / width,
            "y1": (page.top - w.y0) / height,
        }
        last = out[-1] if out else None
        same_line = last is not None and abs(last["y0"] - box["y0"]) < 0.004 and 0 <= box["x0"] - last["x1"] < 0.03
        if last is not None and same_line:
            last["x1"] = max(last["x1"], box["x1"])
            last["y1"] = max(last["y1"], box["y1"])
        else:
            out.append(box)
    return [{k: round(v, 5) for k, v in b.items()} for b in out]
