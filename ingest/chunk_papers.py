"""Paper sections -> chunks: paragraphs packed within a section (never across one), pages tracked, the heading path
prefixed to the indexed text like notes; the abstract chunk is the paper card (title + authors + abstract)."""

from __future__ import annotations

from ingest.chunk_notes import SPECIAL_TOKENS
from ingest.chunking import TokenCounter, Unit, pack
from ingest.paper_structure import PdfDoc
from ingest.pdf_tables import Table
from rag_service.types import Chunk, Source, chunk_id


def paper_page_url(paper_id: str, link_url: str | None, page: int) -> str:
    """Deep link to a PDF page: arXiv's canonical PDF URL for arXiv ids, the linked (or file://) URL otherwise."""
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
    tables: bool = False,
) -> list[Chunk]:
    """Chunks per section; each records paper id, title, heading path, page span, part and the page's URL. With
    ``tables``, each table the paper's captions announce follows, as rows under their column names."""
    key = f"paper:{paper_id}"
    chunks: list[Chunk] = []
    for section in doc.sections:
        base = Source(
            type="paper", title=title, paper_id=paper_id, heading_path=section.heading_path or None, part=section.part
        )
        probe = Chunk(id="", source_key=key, position=0, text="", source=base)
        budget = max_tokens - SPECIAL_TOKENS - count(probe.index_text)
        if budget < 32:  # an absurdly long heading: index the section under the title alone
            base = base.model_copy(update={"heading_path": None})
            budget = max_tokens - SPECIAL_TOKENS - count(title) - 1
        units = [Unit(p.text, p.page, p.page) for p in section.paras]
        if section.part == "abstract" and doc.authors and units:
            units.insert(0, Unit(doc.authors, units[0].first, units[0].first))
        for piece in pack(units, budget, overlap, count):
            src = base.model_copy(
                update={
                    "page": piece.first,
                    "page_end": piece.last if piece.last != piece.first else None,
                    "url": paper_page_url(paper_id, link_url, piece.first),
                }
            )
            pos = len(chunks)
            chunks.append(
                Chunk(id=chunk_id(key, pos, piece.text, src), source_key=key, position=pos, text=piece.text, source=src)
            )
    # each table once more, as rows under their column names, after the text (so the text's chunks keep their ids)
    for table in doc.tables if tables else []:
        base = _table_source(doc, table, paper_id, title)
        units = [Unit(line, table.page, table.page) for line in table.text().split("\n")]
        budget = max_tokens - SPECIAL_TOKENS - count(" › ".join([title, *(base.heading_path or [])]))
        for piece in pack(units, budget, 0, count):
            src = base.model_copy(update={"page": table.page, "url": paper_page_url(paper_id, link_url, table.page)})
            pos = len(chunks)
            chunks.append(
                Chunk(id=chunk_id(key, pos, piece.text, src), source_key=key, position=pos, text=piece.text, source=src)
            )
    return chunks


def _table_source(doc: PdfDoc, table: Table, paper_id: str, title: str) -> Source:
    """A table's chunks sit under the heading of the section its caption is in, then the table's label."""
    section = next(
        (
            s
            for s in doc.sections
            for p in s.paras
            if p.caption and p.page == table.page and p.text.startswith(table.label)
        ),
        None,
    )
    path = [*(section.heading_path if section else []), table.label]
    part = section.part if section else "body"
    return Source(type="paper", title=title, paper_id=paper_id, heading_path=path, part=part)
