"""Request / response bodies of the HTTP API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rag_service.types import Message, Source


class SearchFilters(BaseModel):
    """Metadata filters; all given fields must match."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["note", "paper"] | None = Field(default=None, description="Only notes or only papers.")
    file: str | None = Field(default=None, description="Only this note file (path relative to the notes folder).")
    paper_id: str | None = Field(default=None, description="Only this paper (arXiv id).")

    def as_dict(self) -> dict[str, str] | None:
        d = {k: v for k, v in self.model_dump().items() if v is not None}
        return d or None


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, description="What to look up.")
    k: int = Field(default=10, ge=1, le=50, description="Results.")
    filters: SearchFilters | None = None


class SearchHit(BaseModel):
    chunk_id: str
    score: float
    text: str
    source: Source


class SearchResponse(BaseModel):
    results: list[SearchHit]
    degraded: bool = Field(default=False, description="The vector store was unreachable: BM25 results alone.")


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(min_length=1, description="The user's question.")
    history: list[Message] = Field(default_factory=list, max_length=40, description="Earlier turns, oldest first.")
    k: int | None = Field(default=None, ge=1, le=20, description="Contexts to retrieve.")
    filters: SearchFilters | None = None
    stream: bool = Field(default=False, description="Server-sent events: token*, citations, done.")


class PaperLink(BaseModel):
    file: str
    heading: str | None
    anchor_text: str | None
    url: str


class SourceInfo(BaseModel):
    key: str
    type: Literal["note", "paper"]
    title: str | None
    chunks: int
    ingested_at: str | None = Field(default=None, description="When this source was last (re)indexed, UTC ISO 8601.")
    links_to: list[str] = Field(default_factory=list, description="Papers (ids) this note links, when indexed.")
    linked_from: list[PaperLink] = Field(default_factory=list, description="Notes that link this paper.")


class SourcesResponse(BaseModel):
    sources: list[SourceInfo]
