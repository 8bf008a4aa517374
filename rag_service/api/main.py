"""create_app(settings): the FastAPI application; the lifespan builds the services into app.state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from rag_service.api.admission import Admission
from rag_service.api.deps import McpKeyMiddleware, require_key
from rag_service.api.errors import RequestIdMiddleware, install_error_handlers
from rag_service.api.routes import chat, health, openai, papers, search, sources
from rag_service.api.schemas import ERROR_RESPONSES
from rag_service.app import Services, build_services
from rag_service.mcp_server import build_mcp
from rag_service.offline import ensure_offline_env
from rag_service.settings import Settings

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    """The app. ``services`` may be injected (tests share one index); otherwise built at startup."""
    ensure_offline_env()

    mcp = build_mcp(lambda: app.state.services)
    # streamable HTTP, stateless: any replica can answer any request (no session state kept between them)
    mcp_app = mcp.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, host=settings.api.host)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or build_services(settings)
        app.state.services.warm_up()
        try:
            async with mcp.session_manager.run():
                yield
        finally:
            if owned:
                app.state.services.close()

    app = FastAPI(title="notes-rag", version="0.1.0", lifespan=lifespan)
    app.state.admission = Admission(settings.api, settings.llm)
    install_error_handlers(app)
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_key)], responses=ERROR_RESPONSES)
    for module in (search, chat, sources, papers, openai):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(health.router)
    app.router.routes.extend(mcp_app.routes)  # POST/GET/DELETE /mcp, behind the same API key as /v1
    app.add_middleware(McpKeyMiddleware, settings=settings)
    if settings.api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        )
    # a page on another site must not reach a loopback server through a rebound DNS name
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.api.allowed_hosts)
    app.add_middleware(RequestIdMiddleware)  # outermost: every response, errors included, carries its id

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/papers/{paper_id}", include_in_schema=False)
    def reader_page(paper_id: str) -> FileResponse:
        """The local reader (reader.js reads the paper, ?page=N and ?hl=<quote> from its address)."""
        return FileResponse(STATIC / "reader.html")

    return app
