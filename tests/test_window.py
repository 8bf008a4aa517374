"""Section windows on notes: a note section split into overlapping pieces comes back as one passage (the overlap once),
and a second hit inside it widens the quoted span instead of taking another context slot. Unit tests over hand-built
chunks (the real-index path is in test_pdf_structure and test_grounding)."""

from __future__ import annotations

from collections.abc import Iterable

from rag_service.retrieval.window import clip, expand_windows
from rag_service.types import Chunk, ScoredChunk, Source, chunk_id

SECTION = ["notes", "Agents"]
PIECES = [
    "### Agents\n* agents need stronger models than single calls because errors compound over the steps of a plan",
    "errors compound over the steps of a plan\n* an agent with 95% accuracy per step falls to 60% after 10 steps",
    "* tools: read-only actions first, write actions need a human to approve them",
]


def _chunk(pos: int, text: str, heading: list[str] = SECTION) -> Chunk:
    src = Source(type="note", file="n.md", heading_path=heading, lines=(10 + 2 * pos, 11 + 2 * pos))
    return Chunk(id=chunk_id("n.md", pos, text), source_key="n.md", position=pos, text=text, source=src)


class _Index:
    """The one method expand_windows needs, over a fixed list of chunks."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.by_pos = {(c.source_key, c.position): c for c in chunks}

    def chunks_at(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Chunk]:
        return {k: self.by_pos[k] for k in keys if k in self.by_pos}


def test_note_section_pieces_join_once_and_a_second_hit_widens_the_span() -> None:
    chunks = [_chunk(i, t) for i, t in enumerate(PIECES)] + [_chunk(3, "### Tools\n* other section", ["notes", "T"])]
    hits = [ScoredChunk(chunk=chunks[0], score=1.0), ScoredChunk(chunk=chunks[1], score=0.9)]
    out = expand_windows(_Index(chunks), hits, window_chars=2000)  # type: ignore[arg-type]
    assert len(out) == 1  # the second hit lies inside the first one's window
    text = out[0].chunk.text
    assert text.count("errors compound over the steps of a plan") == 1  # the overlap the split repeated, once
    assert "### Tools" not in text  # windows stay inside their section
    assert out[0].chunk.source.lines == (10, 15)
    a, b = out[0].hit_span or (0, 0)
    assert text[a:b].startswith("### Agents") and text[a:b].endswith("after 10 steps")  # both hits
    # the prompt's clip keeps both hits even below its budget
    assert "60% after 10 steps" in clip(text, out[0].hit_span, 120)


def test_overlap_is_cut_only_where_the_text_really_repeats() -> None:
    first = _chunk(0, "a" * 10 + " the quick brown fox jumps over the lazy dog near the river bank")
    second = _chunk(1, "the quick brown fox jumps over the lazy dog near the river bank, then it rested")
    plain = _chunk(2, "a different sentence that repeats nothing of what came before it at all, really")
    hits = [ScoredChunk(chunk=first, score=1.0)]
    text = expand_windows(_Index([first, second, plain]), hits, 2000)[0].chunk.text  # type: ignore[arg-type]
    assert text.count("lazy dog") == 1 and text.endswith("at all, really")
    assert text == first.text + ", then it rested\n" + plain.text  # continued where it overlapped, a line otherwise
