"""GET /v1/sources: indexed notes and papers with chunk counts and the link graph."""

from __future__ import annotations

from fastapi import APIRouter

from rag_service.api.deps import ServicesDep
from rag_service.api.schemas import FlaggedSpan, PaperLink, SourceInfo, SourcesResponse
from rag_service.links import reader_url

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=SourcesResponse)
def sources(services: ServicesDep) -> SourcesResponse:
    index = services.index
    indexed = index.sources()
    papers = {s["key"].removeprefix("paper:") for s in indexed if s["type"] == "paper"}
    links = index.paper_links()
    out = []
    for s in indexed:
        info = SourceInfo(
            key=s["key"],
            type=s["type"],
            title=s["meta"].get("title"),
            chunks=s["chunks"],
            ingested_at=s["meta"].get("ingested_at"),
            flagged=[FlaggedSpan(**f) for f in s["meta"].get("flagged", [])],
        )
        if s["type"] == "note":
            info.links_to = sorted(
                {ln["target"] for ln in links if ln["source_key"] == s["key"] and ln["target"] in papers}
            )
        else:
            pid = s["key"].removeprefix("paper:")
            info.local_url = reader_url(pid, 1, services.settings)
            seen = set()
            for ln in links:
                if ln["target"] == pid and (ln["source_key"], ln["heading"]) not in seen:
                    seen.add((ln["source_key"], ln["heading"]))
                    info.linked_from.append(
                        PaperLink(
                            file=ln["source_key"], heading=ln["heading"], anchor_text=ln["anchor_text"], url=ln["url"]
                        )
                    )
        out.append(info)
    return SourcesResponse(sources=out)
