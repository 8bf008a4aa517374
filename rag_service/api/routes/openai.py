"""The OpenAI wire format: ``POST /v1/chat/completions`` (plain and streamed) and ``GET /v1/models``, so Open WebUI or
any OpenAI client can use notes-rag as a model.

The answer text carries its citations as numbered markdown links to the deep links (``[[1]](https://…#dpo-training)``)
followed by a "Sources" list; the full citation objects travel in the extra ``citations`` field (the last chunk when
streamed). Earlier messages become the follow-up history; system messages are ignored (the answer step has its own).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from rag_service.api.deps import AdmissionDep, ServicesDep, check_length
from rag_service.api.errors import stream_failed
from rag_service.api.schemas import SSE_RESPONSE
from rag_service.links import link_answer
from rag_service.types import Answer, BadRequestError, Message

router = APIRouter(tags=["openai"])
MODEL = "notes-rag"


class WireMessage(BaseModel):
    # OpenAI clients send fields we do not use (name, tool_calls, ...): accepted and ignored
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """String content, or the text parts of a multi-part content list."""
        if isinstance(self.content, list):
            return "\n".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p, user, ...: the answer step owns its sampling
    model: str = MODEL
    messages: list[WireMessage] = Field(min_length=1, max_length=41)
    stream: bool = Field(default=False, strict=True)


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "notes-rag"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


@router.get("/models", response_model=ModelList)
def models() -> ModelList:
    """The one model this server offers: answers from your notes and papers."""
    return ModelList(data=[ModelCard(id=MODEL)])


def _split(body: ChatCompletionRequest) -> tuple[str, list[Message]]:
    """The last user message is the question; earlier user/assistant turns are the history."""
    turns = [m for m in body.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise BadRequestError("messages: the last user/assistant message must be from the user")
    history = [Message(role=m.role, content=m.text()) for m in turns[:-1]]  # type: ignore[arg-type]
    return turns[-1].text(), history


def render(answer: Answer) -> str:
    """Answer text with ``[n]`` as markdown links to the deep links, then the sources (the related ones for a
    refusal); sentences the claim check dropped are named, not hidden."""
    urls = {c.n: c.source.url for c in answer.citations}
    text = re.sub(
        r"\[(\d+)\]",
        lambda m: f"[[{m.group(1)}]]({urls[int(m.group(1))]})" if urls.get(int(m.group(1))) else m.group(0),
        answer.answer,
    )
    return text + _tail(answer)


def _tail(answer: Answer) -> str:
    lines = []
    if answer.dropped:
        lines += ["", "Not supported by the sources, so left out: " + " / ".join(answer.dropped)]
    if answer.refused:
        lines += ["", "Closest sources:"] + [f"- [{r.source.label()}]({r.source.url})" for r in answer.related]
    elif answer.citations:
        lines += ["", "Sources:"] + [
            f"{c.n}. [{c.source.label()}]({c.source.url})"
            + (f" (local reader: {c.source.local_url})" if c.source.local_url else "")
            for c in answer.citations
        ]
    return "\n".join(lines)


def _absolute(answer: Answer, base: str) -> Answer:
    """A client of the wire format is no page of this server: the local reader's links carry its address."""
    sources = [s for c in answer.citations for s in (c.source, *c.also_in)] + [r.source for r in answer.related]
    for source in sources:
        if source.local_url and source.local_url.startswith("/"):
            source.local_url = base.rstrip("/") + source.local_url
    return answer


def _extra(answer: Answer) -> dict[str, Any]:
    dumped = answer.model_dump(mode="json", exclude_none=True)
    return {
        "citations": dumped["citations"],
        "notes_rag": {k: dumped.get(k) for k in ("refused", "refusal_reason", "related", "dropped", "answer")},
    }


@router.post("/chat/completions", response_model=None, responses=SSE_RESPONSE)
def chat_completions(
    body: ChatCompletionRequest, services: ServicesDep, admission: AdmissionDep, request: Request
) -> dict[str, Any] | StreamingResponse:
    """OpenAI-compatible chat completion over the notes; ``stream: true`` sends ``data:`` chunks and ``[DONE]``."""
    question, history = _split(body)
    check_length(question, services, "messages[-1].content")
    events = services.pipeline.stream(question, history)
    ident, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    base = str(request.base_url)
    if not body.stream:
        with admission.slot():
            answer = _absolute(link_answer(next(e.data for e in events if e.kind == "answer"), services.settings), base)
        return {
            "id": ident,
            "object": "chat.completion",
            "created": created,
            "model": MODEL,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": render(answer)}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            **_extra(answer),
        }

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        body = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    admission.check()

    def sse() -> Iterator[str]:
        try:
            with admission.slot():
                yield from _chunks()
        except Exception as exc:  # noqa: BLE001 - headers are sent: the failure can only be said in the stream
            rid = stream_failed(request, exc)
            yield chunk({"content": f"\n\n(error: the answer failed, request id {rid})"}, "stop", error=rid)
            yield "data: [DONE]\n\n"

    def _chunks() -> Iterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        streamed = False
        for event in events:
            if event.kind == "token":
                streamed = True
                yield chunk({"content": event.data})
            elif event.kind == "answer":
                answer = _absolute(link_answer(event.data, services.settings), base)
                # the tokens are already on screen: what the check decided comes after them
                if answer.refused:
                    head = answer.answer if not streamed else "\n\n" + answer.answer
                    verdict = head + ("" if not streamed else " (the text above is not supported by its sources)")
                else:
                    verdict = ""
                yield chunk({"content": verdict + _tail(answer)}, "stop", **_extra(answer))
        yield "data: [DONE]\n\n"

    return StreamingResponse(sse(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
