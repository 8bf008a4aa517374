"""Deep links: where a citation takes the reader (note URL + #anchor, PDF + #page=N, the local paper reader)."""

from __future__ import annotations

from urllib.parse import quote

from rag_service.settings import Settings
from rag_service.types import Answer, Source


def link_answer(answer: Answer, settings: Settings) -> Answer:
    """The answer with deep links on every citation, duplicate and related source."""
    for c in answer.citations:
        c.source = linked(c.source, settings)
        if c.source.local_url and c.source.paper_id and c.quote:  # the reader marks the sentence it rests on
            c.source.local_url = reader_url(c.source.paper_id, c.source.page or 1, settings, c.quote)
        c.also_in = [linked(x, settings) for x in c.also_in]
    for r in answer.related:
        r.source = linked(r.source, settings)
    return answer


def linked(source: Source, settings: Settings) -> Source:
    """The source with its deep link: site URL + permalink + #anchor for notes (file path + #anchor without a
    site URL); papers already carry https://arxiv.org/pdf/<id>#page=N (or file://) and get the local reader's link."""
    if source.type != "note":
        local = reader_url(source.paper_id, source.page or 1, settings) if source.paper_id else None
        return source.model_copy(update={"local_url": local}) if local else source
    if settings.site_url:
        path = source.permalink or "/" + (source.file or "").rsplit(".", 1)[0] + ".html"
        base = settings.site_url.rstrip("/") + "/" + path.lstrip("/")
    else:
        base = source.file or ""
    return source.model_copy(update={"url": f"{base}#{source.anchor}" if source.anchor else base})


def reader_url(paper_id: str, page: int, settings: Settings, quote_text: str | None = None) -> str | None:
    """This server's reader on a paper's page (the quote marked, when given); None for an old-style arXiv id
    ("hep-th/9901001"), whose "/" no route takes."""
    if "/" in paper_id:
        return None
    base = (settings.api.public_url or "").rstrip("/")
    url = f"{base}/papers/{quote(paper_id, safe=':')}?page={page}"
    return f"{url}&hl={quote(quote_text[:400], safe='')}" if quote_text else url
