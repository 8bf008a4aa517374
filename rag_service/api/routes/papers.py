"""GET /v1/papers/{paper_id}/...: an indexed paper's PDF, a page as an image, and a quote's boxes on a page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from rag_service import reader
from rag_service.api.deps import ServicesDep
from rag_service.api.schemas import Highlight, HighlightBox

router = APIRouter(tags=["papers"])


@router.get("/papers/{paper_id}/pdf", response_class=FileResponse)
def paper_pdf(paper_id: str, services: ServicesDep) -> FileResponse:
    """The PDF the index was built from (paper cache or ingested folder only)."""
    path = reader.pdf_path(services.index, services.settings, paper_id)
    return FileResponse(path, media_type="application/pdf", filename=path.name, content_disposition_type="inline")


@router.get("/papers/{paper_id}/pages/{page}.png", response_class=Response)
async def page_image(
    paper_id: str, page: int, services: ServicesDep, width: Annotated[int, Query(ge=200, le=2400)] = 1100
) -> Response:
    """Page ``page`` (1-based) rendered as a PNG ``width`` pixels wide."""
    path = reader.pdf_path(services.index, services.settings, paper_id)
    png = await run_in_threadpool(reader.render_png, path, page, width)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/papers/{paper_id}/pages/{page}/highlight", response_model=Highlight)
async def highlight(
    paper_id: str,
    page: int,
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=4000, description="The quoted text to mark.")],
) -> Highlight:
    """Boxes of the quote's words on the page, as fractions of the page (top-left origin), and the share of the
    quote's words found there (the rest may be on the next page)."""
    path = reader.pdf_path(services.index, services.settings, paper_id)
    pages = reader.page_count(path)
    if not 1 <= page <= pages:
        raise reader.PageOutOfRangeError(f"page {page}: the paper has {pages} pages")
    parsed = await run_in_threadpool(reader.read_page, path, page)
    words, found = reader.locate(parsed, q)
    return Highlight(
        paper_id=paper_id,
        page=page,
        pages=pages,
        found=round(found, 3),
        boxes=[HighlightBox(**b) for b in reader.boxes(parsed, words)],
    )
