"""Domain errors -> HTTP, in one place. Every failure gets a non-2xx status and a JSON body."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag_service.api.admission import BusyError
from rag_service.llm.backends import LLMUnavailableError
from rag_service.reader import PageOutOfRangeError, PaperNotFoundError
from rag_service.types import BadRequestError

log = logging.getLogger("notes_rag.api")
access_log = logging.getLogger("notes_rag.access")


class InputTooLongError(ValueError):
    """A query or message over the configured limit."""


class NotReadyError(RuntimeError):
    """The index is empty or still loading."""


def _json(status: int, kind: str, detail: str, rid: str | None = None) -> JSONResponse:
    body = {"error": kind, "detail": detail} | ({"request_id": rid} if rid else {})
    return JSONResponse(status_code=status, content=body)


# A domain error -> (status, kind); the body says what the error says
_STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (InputTooLongError, 413, "input_too_long"),
    (NotReadyError, 503, "not_ready"),
    (LLMUnavailableError, 503, "llm_unavailable"),
    (PaperNotFoundError, 404, "paper_not_found"),
    (PageOutOfRangeError, 404, "page_not_found"),
    (BadRequestError, 422, "invalid_request"),
)


def install_error_handlers(app: FastAPI) -> None:
    for error, status, kind in _STATUS:

        async def mapped(_: Request, exc: Exception, status: int = status, kind: str = kind) -> JSONResponse:
            return _json(status, kind, str(exc))

        app.add_exception_handler(error, mapped)

    @app.exception_handler(BusyError)
    async def busy(_: Request, exc: BusyError) -> JSONResponse:
        response = _json(503, "busy", str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        # anything else is our fault: a JSON 500 naming the request, the traceback in the log under the same id
        rid = request_id(request)
        log.error("request %s failed", rid, exc_info=exc)
        response = _json(500, "internal_error", f"the server failed on this request (request id {rid})", rid)
        response.headers["X-Request-ID"] = rid  # Starlette answers 500s outside the middleware that sets it
        return response


def stream_failed(request: Request, exc: BaseException) -> str:
    """A stream broke after its 200 was sent: log the traceback under the request id and return that id, which the
    stream's last event names (the one way left to say it failed)."""
    rid = request_id(request)
    log.error("stream %s failed", rid, exc_info=exc)
    return rid


def request_id(request: Request) -> str:
    """The caller's X-Request-ID (if sane) or a new one; set once per request by RequestIdMiddleware."""
    return str(getattr(request.state, "request_id", "") or "-")


class RequestIdMiddleware:
    """Every response carries X-Request-ID (the caller's, when it sent a sane one), so an error can be traced; and
    every request leaves one JSON log line (``notes_rag.access``): id, method, route, status, time to the response
    headers and to the last byte (for a stream, its whole length)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        sent = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = sent if re.fullmatch(r"[\w.-]{1,64}", sent) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = rid
        # the path is the route: no route of this API has path parameters
        line: dict[str, object] = {"request_id": rid, "method": scope["method"], "route": scope["path"]}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
                line["status"] = message["status"]
                line["headers_ms"] = round((time.perf_counter() - start) * 1000, 1)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            line.setdefault("status", 500)  # nothing was sent: the server failed before a response
            line["total_ms"] = round((time.perf_counter() - start) * 1000, 1)
            access_log.info(json.dumps(line))
