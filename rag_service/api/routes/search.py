"""POST /v1/search: hybrid retrieval without generation."""

from __future__ import annotations

from fastapi import APIRouter

from rag_service.api.deps import AdmissionDep, ServicesDep, check_length
from rag_service.api.schemas import SearchHit, SearchRequest, SearchResponse
from rag_service.links import linked
from rag_service.text.injection import flags

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchResponse, response_model_exclude_none=True)
def search(body: SearchRequest, services: ServicesDep, admission: AdmissionDep) -> SearchResponse:
    """Top-k chunks for a query (BM25 + dense, fused by chunk id)."""
    check_length(body.query, services, "query")
    filters = body.filters.as_dict() if body.filters else None
    with admission.search_slot():
        result = services.pipeline.retriever.retrieve(body.query, body.k, filters)
    return SearchResponse(
        results=[
            SearchHit(
                chunk_id=h.chunk.id,
                score=h.score,
                text=h.chunk.text,
                source=linked(h.chunk.source, services.settings),
                flagged=[f.text for f in flags(h.chunk.text, services.settings.injection)] or None,
            )
            for h in result.hits
        ],
        degraded=result.degraded,
    )
