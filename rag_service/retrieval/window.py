"""Small units indexed, a wider window returned: a hit comes back with the neighbouring chunks of its section.

Paper chunks are small (``chunking.paper_max_tokens``) because MiniLM embeds short passages sharply and BM25 length
normalisation favours them, but a reader (and the answer step) needs the surrounding sentences, and a fact is often
split across two small chunks. Measured on the paper QA set (docs/CHANGELOG.md): evidence covered in the top 5 rose
from 42 to the figure given there. Windows are by position within one section, never by text; a hit that already
lies inside a better hit's window is dropped (that is the "MMR" against near-duplicate passages of one page).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag_service.index.store import HybridIndex
from rag_service.types import Chunk, ScoredChunk

_INDENT = re.compile(r"[ \t]*(?:(?:[-*+•]|\d{1,2}[.)])[ \t]*)?")  # a line's indent and list marker

# How far (in chunks) a window may reach either side of its hit; the character budget usually stops it first.
_REACH = 4


def expand_windows(index: HybridIndex, hits: list[ScoredChunk], window_chars: int) -> list[ScoredChunk]:
    """Hits grown to about ``window_chars`` with same-section neighbours. A later hit inside an earlier window is
    not returned again: it widens that window's ``hit_span`` instead, so the passage the answer step quotes keeps it
    (a list or a figure split over two chunks of one note section becomes one context)."""
    if window_chars <= 0 or not hits:
        return hits
    around = index.chunks_at(
        (h.chunk.source_key, p) for h in hits for p in range(h.chunk.position - _REACH, h.chunk.position + _REACH + 1)
    )
    taken: dict[str, list[tuple[int, int, int]]] = {}  # source key -> (lo, hi, index into out)
    offsets: list[dict[int, tuple[int, int]]] = []  # per returned window: position -> character span in its text
    out: list[ScoredChunk] = []
    for hit in hits:
        c = hit.chunk
        windows = taken.setdefault(c.source_key, [])
        inside = next((j for lo, hi, j in windows if lo <= c.position <= hi), None)
        if inside is not None:
            a, b = offsets[inside][c.position]
            lo_span, hi_span = out[inside].hit_span or (a, b)
            out[inside] = out[inside].model_copy(update={"hit_span": (min(a, lo_span), max(b, hi_span))})
            continue
        lo, hi = _grow(c, around, window_chars, [(a, b) for a, b, _ in windows])
        windows.append((lo, hi, len(out)))
        parts = [around.get((c.source_key, p), c) for p in range(lo, hi + 1)]
        text, spans = _join(parts)
        offsets.append(spans)
        out.append(hit.model_copy(update={"chunk": _window_chunk(c, parts, text), "hit_span": spans[c.position]}))
    return out


def _join(parts: list[Chunk]) -> tuple[str, dict[int, tuple[int, int]]]:
    """The parts' texts in order, the overlap a split note section repeats at each piece's start cut once, and each
    part's character span in the result."""
    text = ""
    spans: dict[int, tuple[int, int]] = {}
    for part in parts:
        cut = _overlap(text, part.text) if text else 0
        if text and not cut:
            text += "\n"
        start = len(text) - cut  # a repeated start is already there, at the end of the text so far
        text += part.text[cut:]
        spans[part.position] = (start, len(text))
    return text, spans


def _overlap(before: str, after: str, probe: int = 40) -> int:
    """Length of the longest start of ``after`` that ``before`` ends with (0 below ``probe`` characters)."""
    if len(after) < probe:
        return 0
    at = before.rfind(after[:probe], max(0, len(before) - len(after) - probe))
    while at != -1:
        if after.startswith(before[at:]):
            return len(before) - at
        at = before.rfind(after[:probe], 0, at)
    return 0


def clip(text: str, span: tuple[int, int] | None, limit: int) -> str:
    """At most about ``limit`` characters of ``text`` around ``span`` (the matched chunk), cut at word boundaries:
    the prompt budget is smaller than the window a reader gets."""
    if len(text) <= limit:
        return text
    start, end = span or (0, 0)
    a = max(0, min(start - max(0, limit - (end - start)) // 2, len(text) - limit))
    b = min(len(text), a + max(limit, end - a))
    # a cut inside a line's indent or list marker starts at the line: a note's bullet keeps its depth, so its parent
    # is still read as its parent (a list cut mid-way would make its first bullet the parent of its siblings)
    line_start = text.rfind("\n", 0, a) + 1
    if a > 0 and a - line_start <= 40 and _INDENT.fullmatch(text[line_start:a]):
        a = line_start
    elif a > 0 and " " in text[a:b]:
        a = text.index(" ", a) + 1
    if b < len(text) and not text[b].isspace():
        # cut at a word boundary, never inside the span: back to the last space after it, else on to the next one
        back = max(text.rfind(" ", a, b), text.rfind("\n", a, b))
        ahead = re.search(r"\s", text[b:])
        b = back if back >= end else b + ahead.start() if ahead else len(text)
    return text[a:b].strip() if a != line_start else text[a:b].rstrip()


def _grow(
    hit: Chunk, around: dict[tuple[str, int], Chunk], budget: int, taken: list[tuple[int, int]]
) -> tuple[int, int]:
    """Positions [lo, hi] around the hit: alternately the next and the previous chunk of the same section, while
    the text fits the budget and does not run into another returned window."""
    lo = hi = hit.position
    size = len(hit.text)
    grew = True
    while grew:
        grew = False
        for pos in (hi + 1, lo - 1):
            other = around.get((hit.source_key, pos))
            if (
                other is None
                or other.source.heading_path != hit.source.heading_path
                or size + len(other.text) + 1 > budget
                or any(a <= pos <= b for a, b in taken)
            ):
                continue
            size += len(other.text) + 1
            lo, hi = min(lo, pos), max(hi, pos)
            grew = True
    return lo, hi


def _window_chunk(hit: Chunk, parts: list[Chunk], text: str) -> Chunk:
    """The hit with the window's text and its page or line span (id, position and section stay the hit's)."""
    if len(parts) == 1:
        return hit
    if hit.source.type == "note":
        ranges = [p.source.lines for p in parts if p.source.lines]
        lines = (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else hit.source.lines
        return hit.model_copy(update={"text": text, "source": hit.source.model_copy(update={"lines": lines})})
    first = min(p.source.page or 0 for p in parts)
    last = max(p.source.page_end or p.source.page or 0 for p in parts)
    url = hit.source.url.split("#page=")[0] + f"#page={first}" if hit.source.url else None
    source = hit.source.model_copy(update={"page": first, "page_end": last if last != first else None, "url": url})
    return hit.model_copy(update={"text": text, "source": source})


def clip_hit(hit: ScoredChunk, limit: int, names: list[str], says: Callable[[str, str], bool]) -> ScoredChunk:
    """The hit cut to the prompt's budget around its matched chunk. The question's names the cut-off part of the
    window holds go along (names only, no numbers): a claim that repeats the question's "RLHF" is about the section
    that says "RLHF", though the part the prompt shows does not. ``says(name, text)``
    is the claim check's own name matcher, so a name is carried exactly when that check would miss it."""
    text = clip(hit.chunk.text, hit.hit_span, limit)
    held = [n for n in dict.fromkeys(names) if says(n, hit.chunk.text) and not says(n, text)]
    return hit.model_copy(update={"chunk": hit.chunk.model_copy(update={"text": text}), "window_names": held})
