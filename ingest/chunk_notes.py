"""Note -> chunks along its heading structure, each fitting the embedding model's token limit."""

from __future__ import annotations

from ingest.chunking import TokenCounter, line_units, pack
from ingest.notes import Note
from rag_service.types import Chunk, Source, chunk_id

# [CLS] and [SEP] take two of the model's word pieces.
SPECIAL_TOKENS = 2


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
        probe = Chunk(id="", source_key=note.rel_path, position=0, text="", source=source)
        budget = max_tokens - SPECIAL_TOKENS - count(probe.index_text)
        if budget < 16:
            raise ValueError(f"{note.rel_path}: heading path too long for chunking.max_tokens={max_tokens}")
        for piece in pack(line_units(section.lines, section.start_line), budget, overlap, count):
            src = source.model_copy(update={"lines": (piece.first, piece.last)})
            pos = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(note.rel_path, pos, piece.text),
                    source_key=note.rel_path,
                    position=pos,
                    text=piece.text,
                    source=src,
                )
            )
    return chunks
