"""POST /v1/chat: a cited answer, or server-sent events (sources, quote, token*, citations, done) with ``stream: true``.

``quote`` comes right after ``sources`` when the question is not refused before generation: the source sentence
matching the question best that passes the claim checks, with its key and source, so a reader has a first useful line
while the model reads its prompt. The final answer carries it again under the model's text when that text does not
say it; the OpenAI wire format and MCP carry only that final text."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from rag_service.api.deps import AdmissionDep, ServicesDep, check_length
from rag_service.api.errors import stream_failed
from rag_service.api.schemas import SSE_RESPONSE, ChatRequest
from rag_service.links import link_answer, linked
from rag_service.types import Answer

router = APIRouter(tags=["chat"])


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat", response_model=Answer, response_model_exclude_none=True, responses=SSE_RESPONSE)
def chat(
    body: ChatRequest, services: ServicesDep, admission: AdmissionDep, request: Request
) -> Answer | StreamingResponse:
    """Answer a question (with history for follow-ups) from the notes and linked papers."""
    check_length(body.message, services, "message")
    for i, turn in enumerate(body.history):
        check_length(turn.content, services, f"history[{i}].content")
    filters = body.filters.as_dict() if body.filters else None
    events = services.pipeline.stream(body.message, body.history, body.k, filters)
    if not body.stream:
        with admission.slot():
            final = next(e.data for e in events if e.kind == "answer")
        return link_answer(final, services.settings)
    admission.check()  # a busy server says so with a 503 before the stream starts

    def sse() -> Iterator[str]:
        try:
            with admission.slot():
                yield from _events()
        except Exception as exc:  # noqa: BLE001 - headers are sent: an `error` event, never a silent end
            rid = stream_failed(request, exc)
            yield _sse(
                "error",
                {"error": "internal_error", "detail": f"the answer failed (request id {rid})", "request_id": rid},
            )

    def _events() -> Iterator[str]:
        hits = []
        for event in events:
            if event.kind == "sources":  # before the first token: the reader sees what the answer will quote
                hits = event.data
                passages = [
                    {
                        "n": n,
                        "chunk_id": h.chunk.id,
                        "text": h.chunk.text,
                        "source": linked(h.chunk.source, services.settings).model_dump(mode="json", exclude_none=True),
                    }
                    for n, h in enumerate(event.data, start=1)
                ]
                yield _sse("sources", {"sources": passages})
            elif event.kind == "quote":
                hit = hits[event.data.n - 1]
                source = linked(hit.chunk.source, services.settings).model_dump(mode="json", exclude_none=True)
                yield _sse(
                    "quote", {"text": event.data.quoted, "n": event.data.n, "chunk_id": hit.chunk.id, "source": source}
                )
            elif event.kind == "token":
                yield _sse("token", {"text": event.data})
            elif event.kind == "answer":
                answer = link_answer(event.data, services.settings).model_dump(mode="json", exclude_none=True)
                yield _sse(
                    "citations", {k: answer.get(k) for k in ("citations", "refused", "refusal_reason", "related")}
                )
                yield _sse("done", answer)

    return StreamingResponse(sse(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
