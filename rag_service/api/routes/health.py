"""Liveness and readiness. Both are ``async`` and do no blocking work beyond one SQLite count, so they run on the
event loop and never queue behind search or answer work in the thread pool (an orchestrator must not kill a busy
but healthy replica)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from rag_service.index.chroma import server_unreachable

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready (200) when the index is loaded and holds chunks, 503 otherwise. With a Chroma server that cannot be
    reached the replica still serves from BM25 alone: 200 with ``status: degraded`` and the reason."""
    services = getattr(request.app.state, "services", None)
    chunks = services.index.count() if services else 0
    dense_down = await server_unreachable(services.settings) if services else None
    status = "not ready" if chunks == 0 else "degraded" if dense_down else "ready"
    body = {
        "status": status,
        "chunks": chunks,
        "degraded": dense_down is not None,
        "reason": dense_down,
        "backend": services.pipeline.backend if services else None,
        "generation": services.index.generation if services else None,  # bumps with every ingest write
        "bm25_generation": services.index.bm25_generation if services else None,  # what this replica searches
    }
    admission = getattr(request.app.state, "admission", None)
    if admission is not None:
        body["answers"] = {
            "capacity": admission.capacity,
            "active": admission.active,
            "waiting": admission.waiting,
            "rejected": admission.rejected,
        }
    return JSONResponse(status_code=200 if chunks > 0 else 503, content=body)
