"""Request / response bodies of the HTTP API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rag_service.types import Message, Source


def json_number(value: Any) -> Any:
    """A count must be a JSON number: ``true`` or ``"3"`` are mistakes to name (pydantic's lax mode would take them
    as 1 and 3), while ``7.0`` still is 7, as JSON Schema's integer says. A model validator, not an Annotated type:
    on an Optional field that would move the bounds into the schema as unknown "ge"/"le" keys."""
    if isinstance(value, bool | str):
        raise ValueError("a number is expected here")
    return value


class ApiError(BaseModel):
    """Every error body. ``error`` names the kind (``invalid_request``, ``input_too_long``, ``busy``, ``not_ready``,
    ``llm_unavailable``, ``internal_error``); a malformed body's 422 lists the fields in ``detail``."""

    error: str | None = Field(default=None, description="Kind of failure (absent only on 401 and 404).")
    detail: str | list[Any] = Field(description="What went wrong: a message, or the invalid fields of the body.")
    request_id: str | None = Field(default=None, description="Id to quote when reporting a 500 (also X-Request-ID).")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ApiError, "description": what}
    for status, what in (
        (400, "The body is not JSON."),
        (401, "Missing or wrong API key (only when the server has one)."),
        (413, "The message or query is longer than api.max_query_chars."),
        (422, "A malformed body, or a well-formed one the API cannot use (the field is named)."),
        (500, "The server failed; the body and X-Request-ID name the request."),
        (503, "Not ready, no answer backend, or busy (with Retry-After)."),
    )
}


SSE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or with ``stream: true`` server-sent events.",
        "content": {
            "text/event-stream": {
                "schema": {  # one server-sent event (/v1/chat names them; the OpenAI route sends data-only chunks)
                    "type": "object",
                    "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
                    "required": ["data"],
                }
            }
        },
    }
}


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
    _k_is_a_number = field_validator("k", mode="before")(json_number)
    filters: SearchFilters | None = None


class SearchHit(BaseModel):
    chunk_id: str
    score: float
    text: str
    source: Source
    flagged: list[str] | None = Field(
        default=None, description="Spans of the text addressed to an assistant: shown here, withheld from prompts."
    )


class SearchResponse(BaseModel):
    results: list[SearchHit]
    degraded: bool = Field(default=False, description="The vector store was unreachable: BM25 results alone.")


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(min_length=1, description="The user's question.")
    history: list[Message] = Field(default_factory=list, max_length=40, description="Earlier turns, oldest first.")
    k: int | None = Field(default=None, ge=1, le=20, description="Contexts to retrieve.")
    _k_is_a_number = field_validator("k", mode="before")(json_number)
    filters: SearchFilters | None = None
    # strict: "stream": 0 or "yes" is a mistake to name, not a coercion to guess at
    stream: bool = Field(default=False, strict=True, description="Server-sent events: sources, token*, done.")


class PaperLink(BaseModel):
    file: str
    heading: str | None
    anchor_text: str | None
    url: str


class FlaggedSpan(BaseModel):
    text: str
    line: int = Field(description="1-based line in the note (1: its front matter).")
    where: str = Field(description="prose | comment | link-title | alt-text | heading | cell | front-matter")
    score: float = Field(description="The instruction detector's score (text/injection.py).")


class SourceInfo(BaseModel):
    key: str
    type: Literal["note", "paper"]
    title: str | None
    chunks: int
    ingested_at: str | None = Field(default=None, description="When this source was last (re)indexed, UTC ISO 8601.")
    links_to: list[str] = Field(default_factory=list, description="Papers (ids) this note links, when indexed.")
    local_url: str | None = Field(default=None, description="Papers: this server's reader on page 1.")
    linked_from: list[PaperLink] = Field(default_factory=list, description="Notes that link this paper.")
    flagged: list[FlaggedSpan] = Field(
        default_factory=list,
        description="Text addressed to an assistant rather than a reader: kept searchable, never put in a prompt.",
    )


class SourcesResponse(BaseModel):
    sources: list[SourceInfo]


class HighlightBox(BaseModel):
    """A marked run of words, as fractions of the page's width and height from its top-left corner."""

    x0: float
    y0: float
    x1: float
    y1: float


class Highlight(BaseModel):
    paper_id: str
    page: int = Field(description="1-based page the boxes are on.")
    pages: int = Field(description="Pages of the paper.")
    found: float = Field(description="Share of the quote's words marked on this page (the rest may be on the next).")
    boxes: list[HighlightBox]
