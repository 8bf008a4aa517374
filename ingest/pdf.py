"""PDF -> cleaned page texts and a title, with pypdf (BSD licensed).

Cleaning: hyphenation across line ends is joined, running headers/footers repeated on many pages and bare page
numbers are dropped, single line breaks inside paragraphs become spaces.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdf
from pypdf.errors import PdfReadError, PyPdfError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every tolerated xref glitch

_STAMP = re.compile(
    r"arXiv:\d|^under review|^published as|^provided proper attribution|^journal of|permission|^preprint|"
    r"@|^\d+(st|nd|rd|th) conference|^proceedings|^workshop",
    re.I,
)
_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d{1,4}(\s*(of|/)\s*\d{1,4})?\s*$", re.I)
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")
MIN_TEXT_CHARS = 200


class PdfError(ValueError):
    """A PDF we cannot use; the message says why (encrypted, truncated, image-only...)."""


@dataclass
class PdfDoc:
    title: str | None
    pages: list[str]  # cleaned text, index 0 = page 1


def _normalise_line(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_lines(raw_pages: list[list[str]]) -> set[str]:
    """Lines (digits masked) found in the top or bottom 3 lines of at least 40% of pages (and 3 pages)."""
    if len(raw_pages) < 4:
        return set()
    counts: Counter[str] = Counter()
    for lines in raw_pages:
        edge = {_normalise_line(x) for x in lines[:3] + lines[-3:] if x.strip()}
        counts.update(edge)
    need = max(3, math.ceil(0.4 * len(raw_pages)))
    return {line for line, n in counts.items() if n >= need and len(line) < 120}


def clean_page(lines: list[str], running: set[str]) -> str:
    """Drop running headers/footers and page numbers, join hyphenated words and soft line breaks."""
    kept = [x for x in lines if not _PAGE_NUMBER.match(x) and _normalise_line(x) not in running]
    text = _HYPHEN_BREAK.sub(r"\1\2", "\n".join(kept))
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text).strip()


def _title_from_fonts(page: pypdf.PageObject, plain: str) -> str | None:
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() and not _STAMP.search(text):
            runs.append((round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1), text.strip()))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - a title heuristic must never fail the ingest
        return None
    if not runs:
        return None
    top = max(s for s, _ in runs)
    title = " ".join(" ".join(t for s, t in runs if s == top).split())
    words = title.split()
    ascii_ratio = sum(c.isascii() for c in title) / max(1, len(title))
    # Small-caps titles come out as fragments ("O L N N"): accept only real words found in the page text.
    if (
        len(words) >= 2
        and ascii_ratio > 0.95
        and sum(len(w) for w in words) / len(words) >= 3
        and title in " ".join(plain.split())
    ):
        return title
    return None


def _title_from_text(plain_lines: list[str]) -> str | None:
    lines = [x.strip() for x in plain_lines[:15] if x.strip() and not _STAMP.search(x)]
    if not lines:
        return None
    title = lines[0]
    if len(lines) > 1 and (title.endswith((":", "-")) or (title.isupper() and lines[1].isupper())):
        title = title[:-1] + lines[1] if title.endswith("-") else f"{title} {lines[1]}"
    return title if len(title) >= 6 else None


def read_pdf(path: Path) -> PdfDoc:
    """Pages and title of a PDF. Raises PdfError naming the file for encrypted, broken or image-only PDFs."""
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError(f"{path.name}: encrypted PDF (needs a password)")
        raw = [(p.extract_text() or "") for p in reader.pages]
    except PdfError:
        raise
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError) as e:
        raise PdfError(f"{path.name}: unreadable or truncated PDF ({type(e).__name__}: {e})") from e
    if sum(len(t.strip()) for t in raw) < MIN_TEXT_CHARS:
        raise PdfError(f"{path.name}: no extractable text (image-only or empty PDF)")
    raw_lines = [t.splitlines() for t in raw]
    running = _running_lines(raw_lines)
    # NFKC turns ligatures (ﬃ) and math letters into plain text that BM25 and the embedder understand.
    pages = [unicodedata.normalize("NFKC", clean_page(lines, running)) for lines in raw_lines]

    meta_title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    title: str | None = meta_title
    if not meta_title or len(meta_title) < 6 or re.search(r"https?:|^untitled|\.(dvi|pdf|tex)$", meta_title, re.I):
        title = _title_from_fonts(reader.pages[0], raw[0]) or _title_from_text(raw_lines[0])
    return PdfDoc(title=unicodedata.normalize("NFKC", title) if title else None, pages=pages)
