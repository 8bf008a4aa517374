"""Deep links: where a citation takes the reader (note URL + #anchor, PDF + #page=N)."""

from __future__ import annotations

from rag_service.settings import Settings
from rag_service.types import Answer, Source


def link_answer(answer: Answer, settings: Settings) -> Answer:
    """The answer with deep links on every citation, duplicate and related source."""
    for c in answer.citations:
        c.source = linked(c.source, settings)
        c.also_in = [linked(x, settings) for x in c.also_in]
    for r in answer.related:
        r.source = linked(r.source, settings)
    return answer


def linked(source: Source, settings: Settings) -> Source:
    """The source with its deep link: site URL + permalink + #anchor for notes (file path + #anchor without a
    site URL); papers already carry https://arxiv.org/pdf/<id>#page=N."""
    if source.type != "note":
        return source
    if settings.site_url:
        path = source.permalink or "/" + (source.file or "").rsplit(".", 1)[0] + ".html"
        base = settings.site_url.rstrip("/") + "/" + path.lstrip("/")
    else:
        base = source.file or ""
    return source.model_copy(update={"url": f"{base}#{source.anchor}" if source.anchor else base})
