"""Paper pages -> chunks: sentence-aware, never crossing a page, same token limit as notes."""

from __future__ import annotations

from ingest.chunk_notes import SPECIAL_TOKENS
from ingest.chunking import TokenCounter, pack, sentence_units
from ingest.pdf import PdfDoc
from rag_service.types import Chunk, Source, chunk_id


def paper_page_url(paper_id: str, link_url: str | None, page: int) -> str:
    """Deep link to a PDF page: arXiv's canonical PDF URL for arXiv ids, the linked URL otherwise."""
    if ":" not in paper_id:
        return f"https://arxiv.org/pdf/{paper_id}#page={page}"
    return f"{(link_url or '').split('#')[0]}#page={page}"


def chunk_paper(
    paper_id: str,
    doc: PdfDoc,
    title: str,
    link_url: str | None,
    max_tokens: int,
    overlap: int,
    count: TokenCounter,
) -> list[Chunk]:
    """Chunks per page; each records paper id, title, page and the page's URL."""
    key = f"paper:{paper_id}"
    probe = Chunk(
        id="",
        source_key=key,
        position=0,
        text="",
        source=Source(type="paper", title=title, paper_id=paper_id),
    )
    budget = max_tokens - SPECIAL_TOKENS - count(probe.index_text)
    chunks: list[Chunk] = []
    for page_no, text in enumerate(doc.pages, start=1):
        source = Source(
            type="paper",
            title=title,
            paper_id=paper_id,
            page=page_no,
            url=paper_page_url(paper_id, link_url, page_no),
        )
        for piece in pack(sentence_units(text, page_no), budget, overlap, count, sep=" "):
            pos = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(key, pos, piece.text),
                    source_key=key,
                    position=pos,
                    text=piece.text,
                    source=source,
                )
            )
    return chunks
