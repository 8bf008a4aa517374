"""Domain models shared by ingest, retrieval, the API and eval."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, Field


class BadRequestError(ValueError):
    """A request the service cannot take as given (bad filter, malformed messages): the caller's to fix (HTTP 422)."""


class Source(BaseModel):
    """Where a chunk comes from; enough to build a deep link a reader can click."""

    type: Literal["note", "paper"] = Field(description="'note' for a markdown note, 'paper' for a linked PDF.")
    title: str | None = Field(default=None, description="Note title (front matter / file) or paper title.")
    file: str | None = Field(default=None, description="Note path relative to the ingested folder.")
    heading_path: list[str] | None = Field(default=None, description="Heading texts from the top heading down.")
    anchor: str | None = Field(default=None, description="Heading anchor slug as the notes site renders it.")
    lines: tuple[int, int] | None = Field(default=None, description="1-based inclusive line range in the file.")
    permalink: str | None = Field(default=None, description="Front-matter permalink of the note, if any.")
    paper_id: str | None = Field(default=None, description="Canonical paper id (arXiv id without version).")
    page: int | None = Field(default=None, description="1-based PDF page (the first page of the passage).")
    page_end: int | None = Field(default=None, description="Last page when the passage runs over a page break.")
    part: Literal["abstract", "body", "appendix", "references"] | None = Field(
        default=None, description="Papers: which part of the paper ('abstract' is the paper card)."
    )
    url: str | None = Field(default=None, description="Deep link: note URL + #anchor, or PDF URL + #page=N.")
    local_url: str | None = Field(
        default=None,
        description="Papers: this service's reader on the cited page (/papers/<id>?page=N, and &hl=<quote> on a "
        "citation: the quoted span marked); works offline. Absolute when api.public_url is set.",
    )

    def label(self) -> str:
        """Short human label used in prompts and CLI output."""
        if self.type == "paper":
            pages = f"pp. {self.page}-{self.page_end}" if self.page_end else f"p. {self.page}"
            where = " › ".join([self.title or str(self.paper_id), *(self.heading_path or [])])
            ident = f"arXiv {self.paper_id}" if self.paper_id and ":" not in self.paper_id else "PDF"
            return f"{where} ({ident}, {pages})"
        return " › ".join([self.file or "?", *(self.heading_path or [])])


class Chunk(BaseModel):
    """One indexed piece of text."""

    id: str = Field(description="Deterministic id: hash of source key + position + text.")
    source_key: str = Field(description="Manifest key of the source: note path or 'paper:<id>'.")
    position: int = Field(description="Order of the chunk within its source.")
    text: str = Field(description="The chunk text as shown to readers and the LLM.")
    source: Source = Field(description="Where the text comes from.")

    @property
    def index_text(self) -> str:
        """Text that is embedded and BM25-indexed: the heading path / paper title prefixed, so a list under
        'DPO training' is found by 'DPO'."""
        if self.source.type == "paper":
            prefix = " › ".join([self.source.title or str(self.source.paper_id), *(self.source.heading_path or [])])
        else:
            prefix = " › ".join([self.source.title or self.source.file or "", *(self.source.heading_path or [])])
        return f"{prefix}\n{self.text}" if prefix.strip() else self.text


def chunk_id(source_key: str, position: int, text: str, source: Source | None = None) -> str:
    """Deterministic chunk id over everything that is indexed: text and source metadata (heading path, part, pages),
    so a changed heading or part label changes the id and reaches Chroma's metadata too, and identical input upserts
    nothing."""
    meta = source.model_dump_json(exclude_none=True) if source is not None else ""
    digest = hashlib.sha256(f"{source_key}\x00{position}\x00{text}\x00{meta}".encode()).hexdigest()
    return digest[:32]


class ScoredChunk(BaseModel):
    """A retrieval hit."""

    chunk: Chunk
    score: float = Field(description="Fused (or reranked) score; higher is better.")
    dense_score: float | None = Field(default=None, description="Cosine similarity to the query, if computed.")
    also_in: list[Source] = Field(default_factory=list, description="Near-duplicate sources merged into this one.")
    hit_span: tuple[int, int] | None = Field(
        default=None, description="Character range of the matched chunk inside a widened window's text."
    )
    window_names: list[str] = Field(
        default_factory=list,
        description="Names of the question that the hit's whole window holds but its clipped text does not.",
    )


class SourceReport(BaseModel):
    """Per-source line of an ingest summary."""

    key: str
    status: Literal["added", "changed", "unchanged", "removed", "failed"]
    chunks: int = 0
    reason: str | None = None
    flagged: list[dict[str, object]] = Field(
        default_factory=list,
        description="Text addressed to an assistant (text/injection.py): text, line, where, score.",
    )


class PaperReport(BaseModel):
    """Per-paper line of an ingest summary."""

    paper_id: str
    status: Literal["fetched", "cached", "papers-dir", "file", "failed", "unavailable", "skipped"]
    reason: str | None = None
    pages: int | None = None


class IngestReport(BaseModel):
    """What an ingest run did."""

    files_read: int = 0
    files_skipped: int = 0
    files_failed: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_unchanged: int = 0
    sources: list[SourceReport] = Field(default_factory=list)
    papers: list[PaperReport] = Field(default_factory=list)
    repaired: int = Field(default=0, description="Chunk ids fixed by the consistency check at start.")
    seconds: float = 0.0

    @property
    def failures(self) -> list[SourceReport]:
        return [s for s in self.sources if s.status == "failed"]


class Citation(BaseModel):
    """A ``[n]`` key of the answer mapped back to the context it names."""

    n: int = Field(description="The key as it appears in the answer text.")
    chunk_id: str = Field(description="Chunk the key refers to.")
    source: Source = Field(description="Where that chunk comes from (with a deep link).")
    quote: str = Field(description="The sentence of the chunk that best supports the citing sentence(s).")
    supported: bool = Field(description="Whether the cited text supports the sentence(s) citing it.")
    support: float = Field(description="Support score (embedding similarity and word overlap, 0..1).")
    also_in: list[Source] = Field(default_factory=list, description="Near-duplicate copies of the same text.")
    inferred: bool = Field(
        default=False, description="The model wrote no key for this text; the support check attributed it here."
    )


class Related(BaseModel):
    """A retrieved source shown with a refusal (or as further reading)."""

    chunk_id: str
    source: Source
    score: float = Field(description="Cosine similarity of the chunk to the question.")


class Message(BaseModel):
    """One turn of chat history."""

    role: Literal["user", "assistant"]
    content: str


class Answer(BaseModel):
    """A cited answer, or a refusal with related sources."""

    answer: str = Field(description="Answer text with inline [n] citations (empty or a refusal sentence if refused).")
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = Field(description="True when the sources do not support an answer.")
    refusal_reason: str | None = Field(
        default=None,
        description="weak_evidence (nothing on the topic) | not_in_sources (the topic is there, the asked fact is "
        "not) | model_declined | no_support (no citation holds) | unsupported_claim (the main claim fails its check) | "
        "no_value (asked how much / how many, answered without an amount)",
    )
    dropped: list[str] = Field(
        default_factory=list, description="Answer sentences removed because their sources do not support them."
    )
    findings: list[str] = Field(
        default_factory=list,
        description="Why each dropped sentence was dropped, as 'check: detail' (rag_service/answer/checks.py).",
    )
    related: list[Related] = Field(default_factory=list, description="Closest sources (always given when refused).")
    question: str = Field(description="The standalone question used for retrieval (after condensing follow-ups).")
    backend: str = Field(description="Which answer backend produced the text.")
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage.")
    degraded: bool = Field(
        default=False, description="The vector store was unreachable: retrieved by keywords (BM25) alone."
    )
