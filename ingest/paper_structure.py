"""Cleaned PDF lines -> a paper: title, authors, abstract, sections with heading paths and pages, captions, references.

Cues are typographic, not per-venue rules: the body font is the most used size; a heading is a short line that is
set apart (bold, larger, or all caps) and either numbered ("3.2.1 Scaled Dot-Product Attention", "A Switch for
Attention") or a well-known unnumbered heading (Abstract, References, ...); its level is its number's depth. The
title is the largest text on page 1. A table of contents is skipped. Everything after "References" is marked as
references until an appendix heading.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.pdf import Line, PdfError, RawPdf, join_lines, load_pdf, repair_text
from ingest.pdf_tables import Table, find_tables

__all__ = ["Para", "PaperSection", "PdfDoc", "PdfError", "read_pdf"]

Part = Literal["abstract", "body", "appendix", "references"]

_NUMBERED = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}|[A-H](?:\.\d{1,2}){0,3})\.?\s+(?P<title>[A-Z(][^\n]{1,95})$"
)
_NAMED = re.compile(
    r"^(abstract|introduction|background|related work|conclusions?|discussion|acknowledge?ments?|references|"
    r"bibliography|appendix(?:\s+[a-z0-9]+)?|appendices|limitations|broader impacts?|ethics statement|"
    r"experiments?|results|methods?|future work|supplementary material)\b",
    re.I,
)
_INLINE_ABSTRACT = re.compile(r"^abstract\s*[—:.\-–]\s*(?P<rest>\S.*)$", re.I)
_CAPTION = re.compile(r"^(figure|fig\.|table)\s*[A-Z]?\d+[.:]", re.I)
_CONTENTS = re.compile(r"^(table of )?contents$", re.I)
_REFERENCES = re.compile(r"^(references|bibliography|literature cited)$", re.I)
_STAMP = re.compile(
    r"arXiv:\d|^under review|^published as|^preprint|@|conference|^proceedings|^workshop|university|institute|"
    r"department|research|^\d*\s*(google|openai|microsoft|meta|deepmind)|inc\.|laborator|school of|college|"
    r"equal contribution|corresponding|permission|attribution|license",
    re.I,
)


@dataclass
class Para:
    """A paragraph (one text block) of a section, on the page where it starts."""

    page: int
    text: str
    caption: bool = False


@dataclass
class PaperSection:
    """A titled span of the paper; ``heading_path`` runs from the top-level section down."""

    heading_path: list[str]
    part: Part
    paras: list[Para] = field(default_factory=list)


@dataclass
class PdfDoc:
    """A parsed paper. ``pages`` keeps each page's cleaned text (index 0 = page 1) for page-level checks."""

    title: str | None
    authors: str | None
    abstract: str | None
    sections: list[PaperSection]
    pages: list[str]
    hidden: list[tuple[int, str]] = field(default_factory=list)  # (page, text) no reader sees: not indexed
    tables: list[Table] = field(default_factory=list)  # found from their captions, read as rows


def _body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0]


def heading_of(ln: Line, body: float) -> tuple[int, str] | None:
    """(level, heading text) when the line is a section heading, else None."""
    text = ln.text.strip()
    if len(text) > 100 or len(text.split()) > 14 or text.endswith((",", ";")):
        return None
    letters = re.sub(r"[^A-Za-z]", "", text)
    caps = len(letters) >= 4 and letters.isupper()
    m = _NUMBERED.match(text)
    # small-caps headings ("5.1 BASELINES") have a median glyph size below the body text
    if ln.size < body - (2.5 if m and caps else 0.6) or not (ln.bold or ln.size >= body + 0.8 or caps):
        return None
    if m:
        title = m.group("title")
        # a bold numbered list item ("1. The cost of ... pretraining. The cost") is prose, not a heading
        if text.endswith(".") or re.search(r"[a-z0-9)]\. [A-Z]", title) or not re.search(r"[A-Za-z]{3}", title):
            return None
        return m.group("num").count(".") + 1, text
    if _NAMED.match(text) and len(text.split()) <= 5:
        return 1, text
    if ln.size >= body + 1.5 and ln.bold and len(text.split()) <= 10 and not text.endswith("."):
        return 1, text
    return None


def _title(lines: list[Line], meta_title: str | None, vocab: Counter[str]) -> tuple[str | None, int]:
    """Title (metadata when it looks like one, else the largest text on page 1) and the index of the last page-1
    line that belongs to it (-1 when taken from metadata)."""
    first = [(i, ln) for i, ln in enumerate(lines) if ln.page == 1]
    if (
        meta_title
        and len(meta_title) >= 6
        and not re.search(r"https?:|^untitled|\.(dvi|pdf|tex|docx?)$|^microsoft", meta_title, re.I)
    ):
        return meta_title, -1
    cands = [(i, ln) for i, ln in first if len(re.sub(r"[^A-Za-z]", "", ln.text)) >= 4 and not _STAMP.search(ln.text)]
    if not cands:
        return None, -1
    top = max(ln.size for _, ln in cands)
    parts: list[tuple[int, Line]] = []
    for i, ln in cands:
        if ln.size >= top - 0.6:
            if parts and i - parts[-1][0] > 2:
                break
            parts.append((i, ln))
    return join_lines([ln.text for _, ln in parts], vocab), parts[-1][0]


_FOOTMARK = re.compile(r"\^(?:\{[^}]*\}|[\d∗*†‡§¶⇤]+)")


def _authors(lines: list[Line], start: int, stop: int) -> str | None:
    """Author names: page-1 lines between the title and the abstract, without e-mails and affiliations."""
    # an author's superscripts are footnote and affiliation marks ("Shazeer^1", "Mirhoseini^{∗†1}")
    texts = [_FOOTMARK.sub("", ln.text) for ln in lines[start + 1 : stop] if ln.page == 1]
    names = [
        re.sub(r"[\d∗*†‡§¶]+", " ", text)
        for text in texts
        if not _STAMP.search(text) and not re.search(r"\d{3,}|https?:|[{}]|version", text, re.I)
    ]
    text = ", ".join(" ".join(n.split()).strip(" ,") for n in names if n.strip(" ,"))
    return text[:300] or None


def structure(raw: RawPdf) -> PdfDoc:
    """Sections, title, authors and abstract of a cleaned PDF."""
    lines, vocab, fix = raw.lines, raw.vocab, raw.broken_math
    body = _body_size(lines)
    title, title_end = _title(lines, raw.meta_title, vocab)
    title = repair_text(title, vocab, fix) if title else None

    sections: list[PaperSection] = [PaperSection([], "body")]
    path: list[tuple[int, str]] = []
    part: Part = "body"
    box_lines: list[Line] = []
    first_heading = len(lines)
    digits_seen = False

    def flush() -> None:
        if not box_lines:
            return
        text = repair_text(join_lines([b.text for b in box_lines], vocab), vocab, fix)
        sections[-1].paras.append(Para(box_lines[0].page, text, bool(_CAPTION.match(text))))
        box_lines.clear()

    toc = _toc_lines(lines, body)
    for i, ln in enumerate(lines):
        if i <= title_end or i in toc:
            continue
        inline = _INLINE_ABSTRACT.match(ln.text) if ln.page <= 2 and part == "body" and not path else None
        head = heading_of(ln, body) if not inline else (1, "Abstract")
        if head:
            flush()
            level, text = head
            text = repair_text(text, vocab, fix)
            first_heading = min(first_heading, i)
            path = [p for p in path if p[0] < level] + [(level, text)]
            digits_seen = digits_seen or text[:1].isdigit()
            if _REFERENCES.match(text):
                part = "references"
            elif (
                level == 1
                and (
                    re.match(r"^(appendi(x|ces)\b|supplementary)", text, re.I)
                    or (digits_seen and re.match(r"^[A-H](\.\d+)*\.?\s", text))
                )
                or part == "references"
            ):
                part = "appendix"
            elif text.lower() == "abstract":
                part = "abstract"
            elif part == "abstract":
                part = "body"
            sections.append(PaperSection([t for _, t in path], part))
            if inline:
                box_lines.append(Line(ln.page, ln.box, ln.x0, ln.y0, ln.x1, ln.size, False, inline.group("rest")))
            continue
        if box_lines and (ln.box != box_lines[-1].box or ln.page != box_lines[-1].page):
            flush()
        box_lines.append(ln)
    flush()

    # Front matter before the first heading: authors (page 1), the rest kept as an untitled section. A PDF with no
    # heading at all (a note or a post printed to PDF) has no front matter: its page 1 is its text, not an author block.
    authors = _authors(lines, title_end, first_heading) if first_heading < len(lines) else None
    authors = re.sub(r"[∗*†‡§¶]+", "", repair_text(authors, vocab, fix)) if authors else None
    front = sections[0]
    if not any(s.part == "abstract" for s in sections):
        # no "Abstract" heading: the first long page-1 paragraph of the front matter is the abstract
        long = [p for p in front.paras if p.page == 1 and len(p.text.split()) >= 50]
        if long:
            sections.insert(1, PaperSection(["Abstract"], "abstract", long[:1]))
            front.paras.remove(long[0])
    if front.paras and authors:
        front.paras = [p for p in front.paras if p.page > 1]
    sections = [_merge_fragments(s) for s in sections if s.paras]
    abstract = " ".join(p.text for s in sections if s.part == "abstract" for p in s.paras) or None
    pages = _pages(sections, raw)
    return PdfDoc(
        title=title,
        authors=authors,
        abstract=abstract,
        sections=sections,
        pages=pages,
        hidden=raw.hidden,
        tables=find_tables(raw.lines),
    )


def _toc_lines(lines: list[Line], body: float) -> set[int]:
    """Indices of table-of-contents lines: on a page with a "Contents" heading, that line, every heading-like line
    and everything after it (entries are laid out like headings and would open fake sections)."""
    out: set[int] = set()
    for i, ln in enumerate(lines):
        if _CONTENTS.match(ln.text.strip()) and (ln.bold or ln.size >= body + 0.8):
            out |= {j for j, x in enumerate(lines) if x.page == ln.page and (j >= i or heading_of(x, body))}
    return out


def _merge_fragments(section: PaperSection) -> PaperSection:
    """Table cells and figure labels come out as many tiny blocks: runs of short blocks on one page become one
    paragraph, so they are chunked together instead of as word-sized pieces."""
    out: list[Para] = []
    for p in section.paras:
        short = len(p.text.split()) < 6 and not p.caption
        if short and out and out[-1].page == p.page and not out[-1].caption and len(out[-1].text.split()) < 60:
            out[-1] = Para(p.page, f"{out[-1].text} {p.text}")
        else:
            out.append(p)
    return PaperSection(section.heading_path, section.part, out)


def _pages(sections: list[PaperSection], raw: RawPdf) -> list[str]:
    pages: list[list[str]] = [[] for _ in range(raw.n_pages)]
    for s in sections:
        for p in s.paras:
            pages[p.page - 1].append(p.text)
    return [unicodedata.normalize("NFKC", "\n".join(p)) for p in pages]


def read_pdf(path: Path) -> PdfDoc:
    """Parse a PDF into a structured paper. Raises PdfError naming the file when it cannot be used."""
    return structure(load_pdf(path))
