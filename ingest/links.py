"""Links in the notes: extraction (markdown, bare, reference-style), classification, canonical paper ids."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from rag_service.types import Chunk

_MD_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?(https?://[^\s)>]+(?:\([^\s)]*\)[^\s)>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_USE = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
_REF_DEF = re.compile(r"^\s{0,3}\[([^\[\]]+)\]:\s*<?(https?://\S+?)>?(?:\s+[\"'(].*)?$", re.M)
_BARE = re.compile(r"https?://[^\s<>\"'\])]+")
_ARXIV = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Z]{2})?/\d{7}))(v\d+)?(?:\.pdf)?",
    re.I,
)
_TRAILING = ".,;:!?*_'\""


@dataclass(frozen=True)
class Link:
    """One link occurrence."""

    url: str
    anchor_text: str | None
    kind: str  # arxiv | openreview | pdf | web
    target: str | None  # canonical paper id for fetchable papers, else None


def classify(url: str) -> tuple[str, str | None]:
    """(kind, canonical id). arXiv abs/pdf/html with or without version or .pdf -> the bare arXiv id."""
    m = _ARXIV.search(url)
    if m:
        return "arxiv", m.group(1)
    parsed = urlparse(url)
    host = parsed.netloc.lower()
    if host.endswith("openreview.net") and parsed.path.startswith("/pdf"):
        ids = parse_qs(parsed.query).get("id")
        if ids:
            return "openreview", f"openreview:{ids[0]}"
    if parsed.path.lower().endswith(".pdf"):
        stem = re.sub(r"[^A-Za-z0-9.-]+", "-", parsed.path.rsplit("/", 1)[-1][:-4]).strip("-")[:40] or "paper"
        digest = hashlib.sha1(url.encode()).hexdigest()[:8]
        return "pdf", f"pdf:{stem}-{digest}"
    return "web", None


def _clean(url: str) -> str:
    url = url.rstrip(_TRAILING)
    # A bare URL glued to a closing parenthesis that it did not open.
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def extract_links(text: str, refs: dict[str, str] | None = None) -> list[Link]:
    """Every link in ``text``, in order; ``refs`` resolves reference-style links defined elsewhere in the note."""
    refs = {**(refs or {}), **{k.lower(): v for k, v in _REF_DEF.findall(text)}}
    found: list[tuple[int, Link]] = []
    spans: list[tuple[int, int]] = []
    for m in _MD_LINK.finditer(text):
        url = _clean(m.group(2))
        found.append((m.start(), Link(url, m.group(1).strip() or None, *classify(url))))
        spans.append(m.span())
    for m in _REF_USE.finditer(text):
        key = (m.group(2) or m.group(1)).lower()
        if key in refs:
            url = _clean(refs[key])
            found.append((m.start(), Link(url, m.group(1).strip(), *classify(url))))
            spans.append(m.span())
    for m in _REF_DEF.finditer(text):
        spans.append(m.span())
    for m in _BARE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        url = _clean(m.group(0))
        found.append((m.start(), Link(url, None, *classify(url))))
    return [link for _, link in sorted(found, key=lambda x: x[0])]


def links_for_chunks(
    chunks: Iterable[Chunk],
) -> list[tuple[str, str, str, str | None, str | None, str | None]]:
    """Rows (chunk_id, url, kind, target, anchor_text, heading) for the links table, de-duplicated per chunk."""
    chunks = list(chunks)
    refs = {k.lower(): v for c in chunks for k, v in _REF_DEF.findall(c.text)}
    rows = []
    for c in chunks:
        heading = " › ".join(c.source.heading_path or []) or None
        seen: set[str] = set()
        for link in extract_links(c.text, refs):
            if link.url in seen:
                continue
            seen.add(link.url)
            rows.append((c.id, link.url, link.kind, link.target, link.anchor_text, heading))
    return rows
