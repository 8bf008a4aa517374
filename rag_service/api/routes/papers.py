"""GET /v1/papers/{paper_id}/...: an indexed paper's PDF, a page as an image, and a quote's boxes on a page.

Plain ``def`` handlers: FastAPI runs them on its thread pool, so hashing a file, parsing a page or waiting for the
one PDFium lock never holds up the event loop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response

from rag_service import reader
from rag_service.api.deps import ServicesDep
from rag_service.api.schemas import ApiError, Highlight, HighlightBox

router = APIRouter(
    tags=["papers"],
    responses={
        404: {"model": ApiError, "description": "No such paper in the index, its PDF gone or changed, or no such page."}
    },
)


@router.get(
    "/papers/{paper_id}/pdf",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}, "description": "The PDF."}},
)
def paper_pdf(paper_id: str, services: ServicesDep) -> FileResponse:
    """The PDF the index was built from (paper cache or ingested folder only)."""
    path = reader.pdf_path(services.index, services.settings, paper_id)
    return FileResponse(path, media_type="application/pdf", filename=path.name, content_disposition_type="inline")


@router.get(
    "/papers/{paper_id}/pages/{page}.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "The page as a PNG image."}},
)
def page_image(
    paper_id: str, page: int, services: ServicesDep, width: Annotated[int, Query(ge=200, le=2400)] = 1100
) -> Response:
    """Page ``page`` (1-based) rendered as a PNG ``width`` pixels wide; ``X-Page-Count`` says how many pages."""
    path = reader.pdf_path(services.index, services.settings, paper_id)
    png, pages = reader.render_png(path, page, width)
    headers = {"Cache-Control": "private, max-age=3600", "X-Page-Count": str(pages)}
    return Response(png, media_type="image/png", headers=headers)


@router.get("/papers/{paper_id}/pages/{page}/highlight", response_model=Highlight)
def highlight(
    paper_id: str,
    page: int,
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=4000, description="The quoted text to mark.")],
) -> Highlight:
    """Boxes of the quote's words on the page, as fractions of the page (top-left origin), and the share of the
    quote's words found there (the rest may be on the next page)."""
    path = reader.pdf_path(services.index, services.settings, paper_id)
    parsed = reader.read_page(path, page)  # raises PageOutOfRangeError for a page the paper lacks
    words, found = reader.locate(parsed, q)
    return Highlight(
        paper_id=paper_id,
        page=page,
        pages=parsed.pages,
        found=round(found, 3),
        boxes=[HighlightBox(**b) for b in reader.boxes(parsed, words)],
    )
