"""Note -> chunks along its heading structure, each fitting the embedding model's token limit."""

from __future__ import annotations

from ingest.chunking import TokenCounter, line_units, pack
from ingest.notes import Note
from rag_service.types import Chunk, Source, chunk_id

# [CLS] and [SEP] take two of the model's word pieces.
SPECIAL_TOKENS = 2


MIN_BUDGET = 16


def _budget(source: Source, key: str, max_tokens: int, count: TokenCounter) -> int:
    """Word pieces left for text once the indexed prefix (title › heading path) is in."""
    probe = Chunk(id="", source_key=key, position=0, text="", source=source)
    return max_tokens - SPECIAL_TOKENS - count(probe.index_text)


def chunk_note(note: Note, max_tokens: int, overlap: int, count: TokenCounter) -> list[Chunk]:
    """One or more chunks per heading section; the heading path is the prefix of the indexed text."""
    chunks: list[Chunk] = []
    permalink = note.front_matter.get("permalink")
    for section in note.sections:
        source = Source(
            type="note",
            title=note.title,
            file=note.rel_path,
            heading_path=section.heading_path,
            anchor=section.anchor,
            permalink=str(permalink) if permalink else None,
        )
        budget = _budget(source, note.rel_path, max_tokens, count)
        if budget < MIN_BUDGET:
            # a heading path too long to prefix (a pasted paragraph as a heading) no longer fails the note: the path
            # keeps its outermost and innermost heading, each cut to 60 characters (the anchor still links the heading)
            short = [h[:60] for h in (section.heading_path[:1] + section.heading_path[-1:])]
            budget = _budget(source.model_copy(update={"heading_path": short}), note.rel_path, max_tokens, count)
            source = source.model_copy(update={"heading_path": short})
            budget = max(budget, MIN_BUDGET)
        for piece in pack(line_units(section.lines, section.start_line), budget, overlap, count):
            src = source.model_copy(update={"lines": (piece.first, piece.last)})
            pos = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(note.rel_path, pos, piece.text, src),
                    source_key=note.rel_path,
                    position=pos,
                    text=piece.text,
                    source=src,
                )
            )
    return chunks
