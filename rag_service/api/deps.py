"""Dependencies: the app's services and the optional bearer-key check."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Receive, Scope, Send

from rag_service.api.admission import Admission
from rag_service.app import Services
from rag_service.settings import Settings

_bearer = HTTPBearer(auto_error=False)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_admission(request: Request) -> Admission:
    admission: Admission = request.app.state.admission
    return admission


AdmissionDep = Annotated[Admission, Depends(get_admission)]


def require_key(services: ServicesDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """With NOTES_RAG_API_KEY set, every /v1 route needs ``Authorization: Bearer <key>``."""
    expected = services.settings.api_key
    if not expected:
        return
    if creds is None or not secrets.compare_digest(creds.credentials.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing or wrong API key", headers={"WWW-Authenticate": "Bearer"}
        )


class McpKeyMiddleware:
    """/mcp is an ASGI app of the MCP SDK, outside FastAPI's dependencies: the same bearer-key rule, as middleware."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.key = settings.api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.key and scope["type"] == "http" and scope["path"].rstrip("/") == "/mcp":
            sent = dict(scope["headers"]).get(b"authorization", b"").decode()
            if not secrets.compare_digest(sent.encode(), f"Bearer {self.key}".encode()):
                response = JSONResponse(
                    {"error": "unauthorized", "detail": "missing or wrong API key"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def check_length(text: str, services: Services, field: str) -> None:
    from rag_service.api.errors import InputTooLongError

    limit = services.settings.api.max_query_chars
    if len(text) > limit:
        raise InputTooLongError(f"{field}: {len(text)} characters is over the limit of {limit}")
