"""Deep links: where a citation takes the reader (note URL + #anchor, PDF + #page=N, the local paper reader)."""

from __future__ import annotations

from urllib.parse import quote

from rag_service.settings import Settings
from rag_service.types import Answer, Source


def link_answer(answer: Answer, settings: Settings) -> Answer:
    """The answer with deep links on every citation, duplicate and related source."""
    for c in answer.citations:
        c.source = linked(c.source, settings)
        if c.source.local_url and c.quote:  # the reader marks the sentence the citation rests on
            c.source.local_url += "&hl=" + quote(c.quote[:400], safe="")
        c.also_in = [linked(x, settings) for x in c.also_in]
    for r in answer.related:
        r.source = linked(r.source, settings)
    return answer


def linked(source: Source, settings: Settings) -> Source:
    """The source with its deep link: site URL + permalink + #anchor for notes (file path + #anchor without a
    site URL); papers already carry https://arxiv.org/pdf/<id>#page=N (or file://) and get the local reader's link."""
    if source.type != "note":
        if not source.paper_id:
            return source
        base = (settings.api.public_url or "").rstrip("/")
        local = f"{base}/papers/{quote(source.paper_id, safe=':')}?page={source.page or 1}"
        return source.model_copy(update={"local_url": local})
    if settings.site_url:
        path = source.permalink or "/" + (source.file or "").rsplit(".", 1)[0] + ".html"
        base = settings.site_url.rstrip("/") + "/" + path.lstrip("/")
    else:
        base = source.file or ""
    return source.model_copy(update={"url": f"{base}#{source.anchor}" if source.anchor else base})
