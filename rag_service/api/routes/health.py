"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Ready when the index is loaded and holds chunks (503 otherwise)."""
    services = getattr(request.app.state, "services", None)
    chunks = services.index.count() if services else 0
    ready = chunks > 0
    body = {
        "status": "ready" if ready else "not ready",
        "chunks": chunks,
        "backend": services.pipeline.backend if services else None,
        "generation": services.index.generation if services else None,  # bumps with every ingest write
    }
    admission = getattr(request.app.state, "admission", None)
    if admission is not None:
        body["answers"] = {"active": admission.active, "waiting": admission.waiting, "rejected": admission.rejected}
    return JSONResponse(status_code=200 if ready else 503, content=body)
