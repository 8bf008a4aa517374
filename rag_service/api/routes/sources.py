"""GET /v1/sources: indexed notes and papers with chunk counts and the link graph."""

from __future__ import annotations

from fastapi import APIRouter

from rag_service.api.deps import ServicesDep
from rag_service.api.schemas import PaperLink, SourceInfo, SourcesResponse

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=SourcesResponse)
def sources(services: ServicesDep) -> SourcesResponse:
    index = services.index
    indexed = index.sources()
    papers = {s["key"].removeprefix("paper:") for s in indexed if s["type"] == "paper"}
    rows = index.db.execute(
        "SELECT source_key, target, heading, anchor_text, url FROM links WHERE target IS NOT NULL"
    ).fetchall()
    out = []
    for s in indexed:
        info = SourceInfo(key=s["key"], type=s["type"], title=s["meta"].get("title"), chunks=s["chunks"])
        if s["type"] == "note":
            info.links_to = sorted({t for k, t, *_ in rows if k == s["key"] and t in papers})
        else:
            pid = s["key"].removeprefix("paper:")
            seen = set()
            for key, target, heading, anchor, url in rows:
                if target == pid and (key, heading) not in seen:
                    seen.add((key, heading))
                    info.linked_from.append(PaperLink(file=key, heading=heading, anchor_text=anchor, url=url))
        out.append(info)
    return SourcesResponse(sources=out)
