"""Domain errors -> HTTP, in one place. Every failure gets a non-2xx status and a JSON body."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from rag_service.answer.llm import LLMUnavailableError


class InputTooLongError(ValueError):
    """A query or message over the configured limit."""


class NotReadyError(RuntimeError):
    """The index is empty or still loading."""


def _json(status: int, kind: str, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": kind, "detail": detail})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InputTooLongError)
    async def too_long(_: Request, exc: InputTooLongError) -> JSONResponse:
        return _json(413, "input_too_long", str(exc))

    @app.exception_handler(NotReadyError)
    async def not_ready(_: Request, exc: NotReadyError) -> JSONResponse:
        return _json(503, "not_ready", str(exc))

    @app.exception_handler(LLMUnavailableError)
    async def no_llm(_: Request, exc: LLMUnavailableError) -> JSONResponse:
        return _json(503, "llm_unavailable", str(exc))

    @app.exception_handler(ValueError)
    async def bad_value(_: Request, exc: ValueError) -> JSONResponse:
        return _json(422, "invalid_request", str(exc))
