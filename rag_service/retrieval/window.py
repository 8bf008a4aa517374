"""Small units indexed, a wider window returned: a paper hit comes back with the neighbouring chunks of its section.

Paper chunks are small (``chunking.paper_max_tokens``) because MiniLM embeds short passages sharply and BM25 length
normalisation favours them, but a reader (and the answer step) needs the surrounding sentences, and a fact is often
split across two small chunks. Measured on the paper QA set (README): evidence covered in the top 5 rose from 42 to
the figure given there. Windows are by position within one section, never by text; a hit that already lies inside
a better hit's window is dropped (that is the "MMR" against near-duplicate passages of one page).
"""

from __future__ import annotations

from rag_service.index.store import HybridIndex
from rag_service.types import Chunk, ScoredChunk

# How far (in chunks) a window may reach either side of its hit; the character budget usually stops it first.
_REACH = 4


def expand_windows(index: HybridIndex, hits: list[ScoredChunk], window_chars: int) -> list[ScoredChunk]:
    """Paper hits grown to about ``window_chars`` with same-section neighbours; hits inside a better window go."""
    papers = [h.chunk for h in hits if h.chunk.source.type == "paper"]
    if window_chars <= 0 or not papers:
        return hits
    around = index.chunks_at(
        (c.source_key, p) for c in papers for p in range(c.position - _REACH, c.position + _REACH + 1)
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    out: list[ScoredChunk] = []
    for hit in hits:
        c = hit.chunk
        if c.source.type != "paper":
            out.append(hit)
            continue
        taken = spans.setdefault(c.source_key, [])
        if any(lo <= c.position <= hi for lo, hi in taken):
            continue
        lo, hi = _grow(c, around, window_chars, taken)
        taken.append((lo, hi))
        parts = [around.get((c.source_key, p), c) for p in range(lo, hi + 1)]
        start = sum(len(p.text) + 1 for p in parts[: c.position - lo])
        out.append(hit.model_copy(update={"chunk": _window_chunk(c, parts), "hit_span": (start, start + len(c.text))}))
    return out


def clip(text: str, span: tuple[int, int] | None, limit: int) -> str:
    """At most about ``limit`` characters of ``text`` around ``span`` (the matched chunk), cut at word boundaries:
    the prompt budget is smaller than the window a reader gets."""
    if len(text) <= limit:
        return text
    start, end = span or (0, 0)
    a = max(0, min(start - max(0, limit - (end - start)) // 2, len(text) - limit))
    b = min(len(text), a + max(limit, end - a))
    if a > 0 and " " in text[a:b]:
        a = text.index(" ", a) + 1
    if b < len(text) and " " in text[a:b]:
        b = text.rindex(" ", a, b)
    return text[a:b].strip()


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


def _window_chunk(hit: Chunk, parts: list[Chunk]) -> Chunk:
    """The hit with the window's text and page span (id, position and section stay the hit's)."""
    if len(parts) == 1:
        return hit
    first = min(p.source.page or 0 for p in parts)
    last = max(p.source.page_end or p.source.page or 0 for p in parts)
    url = hit.source.url.split("#page=")[0] + f"#page={first}" if hit.source.url else None
    source = hit.source.model_copy(update={"page": first, "page_end": last if last != first else None, "url": url})
    return hit.model_copy(update={"text": "\n".join(p.text for p in parts), "source": source})
