"""PDF -> positioned text lines with font cues, and the page-level cleaning every paper gets.

The extractor is pdfminer.six (MIT), chosen by measurement (``bench/pdf_extractors.py``, docs/CHANGELOG.md): on the
7 shared papers it had the fewest word-join errors (0.02 per 1,000 words; pypdf 1.02, pypdfium2 0.92, PyMuPDF 0.24)
and the least glyph noise, and it is the only permissively licensed candidate that gives each character's font size
and name, which the structure cues (title, section headings) need. Its cost is speed: ~13 pages/s against 475 for
pypdfium2, still below the embedding time of the same pages. pypdf stays for the cheap encryption/metadata check.

Cleaning: running headers/footers (lines repeated at the page edges) and bare page numbers are dropped, a heading
number set apart from its title ("1" + "Introduction") is rejoined, line-end hyphens are joined unless the document
spells the word with a hyphen elsewhere ("English-to-German" stays), small-caps splits are rejoined when the document
knows the word ("REAC T" -> "REACT"), and NFKC turns ligatures and math letters into plain text.
"""

from __future__ import annotations

import logging
import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pypdf.errors import PdfReadError, PyPdfError

from rag_service.text.pdf_math import line_text

logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every tolerated xref glitch
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d{1,4}(\s*(of|/)\s*\d{1,4})?\s*$", re.I)
_SECTION_NUMBER = re.compile(r"^(\d{1,2}(\.\d{1,2}){0,3}|[A-H](\.\d{1,2}){0,3})\.?$")
_BOLD = re.compile(r"bold|medi|semibold|heavy|black|cmbx|-bd|\bbx", re.I)
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
MIN_TEXT_CHARS = 200

# Some TeX font set-ups (e.g. DPO's) ship a ToUnicode map that turns math italics into arrows and dingbats:
# "⇡ref" is π_ref, "⇡✓" is π_θ. Applied only to documents that show the signature (many ⇡, no real π).
_BROKEN_MATH = str.maketrans({"⇡": "π", "✓": "θ", "⇠": "∼", "⇤": "*", "↵": "α", "⌧": "τ"})


class PdfError(ValueError):
    """A PDF we cannot use; the message says why (encrypted, truncated, image-only...)."""


@dataclass
class Line:
    """One text line of a page with the cues structure detection uses."""

    page: int
    box: int  # text block (paragraph) the line belongs to, unique per document
    x0: float
    y0: float
    x1: float
    size: float  # median font size of its characters
    bold: bool  # dominant font is a bold/medium face
    text: str


def _visible(c: LTChar) -> bool:
    """A reader can see the character: at least 1.5 pt, and not filled white (gray 1, RGB 1,1,1, CMYK 0,0,0,0)."""
    if c.size < 1.5:
        return False
    space = getattr(c.ncs, "name", "")
    if space not in ("DeviceGray", "DeviceRGB", "DeviceCMYK", "ICCBased"):  # a tint or an index is no colour value
        return True
    color = c.graphicstate.ncolor
    values = [float(v) for v in (color if isinstance(color, (list, tuple)) else [color]) if isinstance(v, (int, float))]
    if len(values) == 4:
        return any(v > 0.05 for v in values)
    return not values or any(v < 0.95 for v in values)


def _extract_lines(path: Path) -> tuple[list[Line], int, list[tuple[int, str]]]:
    """All text lines in pdfminer's reading order (text blocks, columns handled by its layout analysis), the page
    count, and the text no reader sees (page, text)."""
    lines: list[Line] = []
    hidden: list[tuple[int, str]] = []
    box_id = 0
    n_pages = 0
    # boxes_flow=None: pdfminer's own box ordering breaks distance ties by object id(), so the same PDF came out in
    # a different order from run to run (and chunk ids changed); _reading_order below is deterministic.
    for page_no, layout in enumerate(extract_pages(str(path), laparams=LAParams(boxes_flow=None)), start=1):
        n_pages = page_no
        boxes = [b for b in layout if isinstance(b, LTTextContainer)]
        for box in _reading_order(boxes, layout.x0, layout.x1):
            box_id += 1
            for item in box:
                if not isinstance(item, LTTextLine):
                    continue
                chars = [c for c in item if isinstance(c, LTChar)]
                if chars and not all(map(_visible, chars)):
                    # text a reader cannot see (white, or under 1.5 pt) is no part of the paper as read: kept aside,
                    # listed at ingest, never indexed (a planted instruction's favourite place)
                    unseen = "".join(c.get_text() for c in chars if not _visible(c)).strip()
                    if unseen:
                        hidden.append((page_no, unseen))
                    chars = [c for c in chars if _visible(c)]
                # inline math kept readable: sub/superscripts marked, accents on their letters (ingest/pdf_math.py)
                text = line_text(item, _visible).strip()
                if not chars or not text:
                    continue
                fonts = Counter(c.fontname for c in chars)
                lines.append(
                    Line(
                        page=page_no,
                        box=box_id,
                        x0=item.x0,
                        y0=item.y0,
                        x1=item.x1,
                        size=round(statistics.median(c.size for c in chars), 1),
                        bold=bool(_BOLD.search(fonts.most_common(1)[0][0].split("+")[-1])),
                        text=text,
                    )
                )
    return lines, n_pages, hidden


def _reading_order(boxes: list[LTTextContainer], left: float, right: float) -> list[LTTextContainer]:
    """Text blocks in reading order, two-column aware: blocks that span the page middle cut the page into bands;
    within a band the left column is read top to bottom, then the right one."""
    mid = (left + right) / 2
    spanning = sorted((b for b in boxes if b.x0 < mid - 10 and b.x1 > mid + 10), key=lambda b: (-b.y1, b.x0))
    columns = [b for b in boxes if not (b.x0 < mid - 10 and b.x1 > mid + 10)]
    out: list[LTTextContainer] = []
    upper = float("inf")
    for cut in [*spanning, None]:
        lower = cut.y1 if cut is not None else float("-inf")
        band = [b for b in columns if lower <= (b.y0 + b.y1) / 2 < upper]
        out += sorted(band, key=lambda b: (b.x0 >= mid - 10, -b.y1, b.x0))
        if cut is not None:
            out.append(cut)
            upper = cut.y1  # blocks beside the cut (their middle within its height) read after it
    return out


def _rejoin_numbers(lines: list[Line]) -> list[Line]:
    """Put a section number laid out as its own text block ("1" left of "Introduction") back on its line."""
    out: list[Line] = []
    used: set[int] = set()
    for i, ln in enumerate(lines):
        if i in used:
            continue
        if _SECTION_NUMBER.match(ln.text):
            for j in range(max(0, i - 6), min(len(lines), i + 7)):
                other = lines[j]
                if (
                    j != i
                    and j not in used
                    and other.page == ln.page
                    and abs(other.y0 - ln.y0) < 2.5
                    and 0 <= other.x0 - ln.x1 < 40
                    and not _SECTION_NUMBER.match(other.text)
                ):
                    used.add(j)
                    ln = Line(
                        ln.page, other.box, ln.x0, other.y0, other.x1, other.size, other.bold, f"{ln.text} {other.text}"
                    )
                    break
        out.append(ln)
    return out


def _normalise_line(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _running_lines(lines: list[Line], n_pages: int) -> set[str]:
    """Lines (digits masked) at the top or bottom 2 lines of at least 40% of pages (and 3 pages)."""
    if n_pages < 4:
        return set()
    by_page: dict[int, list[Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    counts: Counter[str] = Counter()
    for page_lines in by_page.values():
        ordered = sorted(page_lines, key=lambda x: -x.y0)
        counts.update({_normalise_line(x.text) for x in ordered[:2] + ordered[-2:]})
    need = max(3, math.ceil(0.4 * n_pages))
    return {t for t, n in counts.items() if n >= need and len(t) < 120}


def doc_vocabulary(lines: list[Line]) -> Counter[str]:
    """Lower-cased words (hyphenated compounds kept whole) of the whole document, before any repair."""
    vocab: Counter[str] = Counter()
    for ln in lines:
        for w in _WORD.findall(ln.text):
            vocab[w.lower()] += 1
            if "-" in w:
                vocab.update(p.lower() for p in w.split("-"))
    return vocab


def join_lines(parts: list[str], vocab: Counter[str]) -> str:
    """Join the lines of one block: a line-end hyphen is a syllable break unless the document writes the word with
    a hyphen (or the next part is itself a compound: "English-" + "to-German")."""
    out = ""
    for part in parts:
        if not out:
            out = part
            continue
        m = re.search(r"(-?)([A-Za-z]+)-$", out)
        nxt = re.match(r"([A-Za-z]+)(-?)", part)
        if m and nxt:
            a, b = m.group(2), nxt.group(1)
            closed, hyphenated = (a + b).lower(), f"{a}-{b}".lower()
            if vocab[closed] > 0 and vocab[hyphenated] == 0:
                keep = False
            else:  # compounds on either side ("state-of-the-" + "art", "English-" + "to-German") keep theirs
                compound = m.group(1) == "-" or nxt.group(2) == "-"
                keep = compound or vocab[hyphenated] > 0 or (b[:1].isupper() and not b.isupper())
            out = out + part if keep else out[:-1] + part
        else:
            out = f"{out} {part}"
    return out


_CAPS_SPLIT = re.compile(r"\b([A-Z]{2,})\s([A-Z]{1,3})\b")


def repair_text(text: str, vocab: Counter[str], broken_math: bool) -> str:
    """NFKC, the broken-math-font map where detected, and small-caps splits the document vocabulary can rejoin."""
    text = unicodedata.normalize("NFKC", text.translate(_BROKEN_MATH) if broken_math else text)
    # glyphs with no Unicode mapping: pdfminer writes "(cid:12)", some fonts give control characters
    text = re.sub(r" ?\(cid:\d+\)|[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    text = re.sub(r"[ \t]{2,}", " ", text)

    def caps(m: re.Match[str]) -> str:
        joined = (m.group(1) + m.group(2)).lower()
        return m.group(1) + m.group(2) if vocab[joined] > vocab[m.group(1).lower()] else m.group(0)

    return _CAPS_SPLIT.sub(caps, text)


@dataclass
class RawPdf:
    """Lines kept after page-level cleaning, plus what the structure step needs."""

    lines: list[Line]
    n_pages: int
    meta_title: str | None
    vocab: Counter[str]
    broken_math: bool
    hidden: list[tuple[int, str]] = field(default_factory=list)  # (page, text) a reader cannot see


def load_pdf(path: Path) -> RawPdf:
    """Read a PDF into cleaned lines. Raises PdfError naming the file for encrypted, broken or image-only PDFs."""
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError(f"{path.name}: encrypted PDF (needs a password)")
        meta_title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
        lines, n_pages, hidden = _extract_lines(path)
    except PdfError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise PdfError(f"{path.name}: encrypted PDF (needs a password)") from e
    except (PdfReadError, PyPdfError, PDFSyntaxError, PSException, OSError, ValueError, KeyError, TypeError) as e:
        raise PdfError(f"{path.name}: unreadable or truncated PDF ({type(e).__name__}: {e})") from e
    except (AssertionError, ArithmeticError, LookupError, AttributeError, RecursionError) as e:
        # the parsers' own internal checks on damaged bytes (found by tests/test_fuzz_inputs.py: pdfminer asserts
        # "Invalid octal"); still this one file's problem, so it must not stop the run
        raise PdfError(f"{path.name}: damaged PDF ({type(e).__name__}: {e})") from e
    if sum(len(x.text) for x in lines) < MIN_TEXT_CHARS:
        raise PdfError(f"{path.name}: no extractable text (image-only or empty PDF)")
    lines = _rejoin_numbers(lines)
    running = _running_lines(lines, n_pages)
    vocab = doc_vocabulary(lines)
    kept = [
        ln
        for ln in lines
        if not _PAGE_NUMBER.match(ln.text)
        and _normalise_line(ln.text) not in running
        and len(ln.text) > 1  # rotated margin stamps (arXiv ids) come out one character per line
    ]
    all_text = "".join(x.text for x in kept)
    broken_math = all_text.count("⇡") >= 5 and "π" not in all_text
    return RawPdf(kept, n_pages, meta_title or None, vocab, broken_math, hidden)
