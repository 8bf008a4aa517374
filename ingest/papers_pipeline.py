"""The papers step of an ingest: linked papers -> local PDFs -> page chunks -> the hybrid index."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.chunk_papers import chunk_paper
from ingest.common import Progress, config_signature, content_hash, embed_in_batches
from ingest.papers import resolve_papers, scan_papers_dir
from ingest.pdf import PdfError, read_pdf
from rag_service.index.store import HybridIndex
from rag_service.settings import Settings
from rag_service.types import IngestReport, PaperReport, SourceReport


def linked_papers(index: HybridIndex) -> dict[str, tuple[str, str | None]]:
    """paper id -> (first link URL, first anchor text) over every note link to a fetchable paper."""
    out: dict[str, tuple[str, str | None]] = {}
    for link in index.paper_links():
        target, url, anchor = link["target"], link["url"], link["anchor_text"]
        if target not in out:
            out[target] = (url, anchor)
        elif out[target][1] is None and anchor:
            out[target] = (out[target][0], anchor)
    return out


def ingest_papers(
    settings: Settings,
    index: HybridIndex,
    report: IngestReport,
    progress: Progress,
    *,
    papers_dir: Path | None,
    fetch: bool,
) -> None:
    """Make the index hold exactly the papers that notes link (plus any given in --papers-dir)."""
    links = linked_papers(index)
    explicit = set(scan_papers_dir(papers_dir)) if papers_dir else set()
    wanted = {pid: url for pid, (url, _) in links.items()}
    for pid in sorted(explicit - set(wanted)):
        wanted[pid] = f"https://arxiv.org/pdf/{pid}"
    resolved = resolve_papers(wanted, settings.papers_cache, settings.papers, papers_dir=papers_dir, fetch=fetch)

    sig = config_signature(settings)
    known = index.source_hashes("paper")
    parsed = []
    progress.start("parsing papers", sum(1 for r in resolved if r.path))
    for res in resolved:
        key = f"paper:{res.paper_id}"
        if res.path is None:
            report.papers.append(PaperReport(paper_id=res.paper_id, status=res.status, reason=res.reason))  # type: ignore[arg-type]
            continue
        progress.advance(1)
        data = res.path.read_bytes()
        h = content_hash(data, sig)
        if known.get(key) == h:
            report.papers.append(PaperReport(paper_id=res.paper_id, status=res.status))  # type: ignore[arg-type]
            report.chunks_unchanged += len(index.chunk_ids(key))
            continue
        try:
            doc = read_pdf(res.path)
        except PdfError as e:
            report.papers.append(PaperReport(paper_id=res.paper_id, status="failed", reason=str(e)))
            continue
        link_url, anchor = links.get(res.paper_id, (wanted[res.paper_id], None))
        title = doc.title or anchor or res.paper_id
        chunks = chunk_paper(
            res.paper_id,
            doc,
            title,
            link_url,
            settings.chunking.max_tokens,
            settings.chunking.overlap_tokens,
            index.embedder.count_tokens,
        )
        parsed.append((res, key, h, chunks, len(doc.pages), title, hashlib.sha256(data).hexdigest()))

    all_chunks = [c for p in parsed for c in p[3]]
    progress.start("embedding paper chunks", len(all_chunks))
    all_vecs = embed_in_batches(index, all_chunks, progress)
    offset = 0
    for res, key, h, chunks, pages, title, sha in parsed:
        vecs = all_vecs[offset : offset + len(chunks)]
        offset += len(chunks)
        added, removed, unchanged = index.replace_source(
            key,
            "paper",
            h,
            chunks,
            vecs,
            meta={
                "paper_id": res.paper_id,
                "title": title,
                "pages": pages,
                "origin": res.status,
                "sha256": sha,
            },
        )
        report.chunks_added += added
        report.chunks_removed += removed
        report.chunks_unchanged += unchanged
        report.papers.append(PaperReport(paper_id=res.paper_id, status=res.status, pages=pages))  # type: ignore[arg-type]
        report.sources.append(SourceReport(key=key, status="changed" if key in known else "added", chunks=len(chunks)))

    # Papers no longer linked by any note go, unless they were given explicitly in --papers-dir.
    for key in set(known) - {f"paper:{pid}" for pid in wanted}:
        meta = index.source_meta(key) or {}
        if meta.get("origin") == "papers-dir" and papers_dir is None:
            continue
        report.chunks_removed += index.remove_source(key)
        report.sources.append(SourceReport(key=key, status="removed"))
