"""The papers step of an ingest: linked papers and PDFs given directly -> local PDFs -> section chunks -> the index.

A PDF given on the command line (or found in an ingested folder) is keyed by its arXiv id when its file name is one
(``1706.03762v7.pdf``), else by its content hash (``pdf:<sha256[:16]>``), and links to itself (``file://…#page=N``).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.chunk_papers import chunk_paper
from ingest.common import Progress, config_signature, content_hash, embed_chunk_passages, embed_in_batches
from ingest.paper_structure import PdfError, read_pdf
from ingest.papers import Resolved, arxiv_id_of, resolve_papers, scan_papers_dir
from rag_service.index.store import HybridIndex
from rag_service.settings import Settings
from rag_service.text.injection import flags
from rag_service.types import Chunk, IngestReport, PaperReport, SourceReport


@dataclass
class _Parsed:
    res: Resolved
    key: str
    hash: str
    chunks: list[Chunk]
    pages: int
    meta: dict[str, object]


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


def local_pdfs(files: list[tuple[Path, Path]]) -> dict[str, tuple[Path, Path, bytes]]:
    """paper id -> (file, root, bytes) for PDFs given directly; the bytes are read once here."""
    out: dict[str, tuple[Path, Path, bytes]] = {}
    for path, root in files:
        data = path.read_bytes()
        pid = arxiv_id_of(path) or "pdf:" + hashlib.sha256(data).hexdigest()[:16]
        out.setdefault(pid, (path, root, data))
    return out


def ingest_papers(
    settings: Settings,
    index: HybridIndex,
    report: IngestReport,
    progress: Progress,
    *,
    papers_dir: Path | None,
    fetch: bool,
    files: list[tuple[Path, Path]] | None = None,
    roots: list[Path] | None = None,
    linked: bool = True,
) -> None:
    """Make the index hold the papers that notes link (plus --papers-dir) and the PDFs given directly."""
    given = local_pdfs(files or [])
    links = linked_papers(index) if linked else {}
    wanted: dict[str, str] = {}
    if linked:
        explicit = set(scan_papers_dir(papers_dir)) if papers_dir else set()
        wanted = {pid: url for pid, (url, _) in links.items() if pid not in given}
        for pid in sorted(explicit - set(wanted) - set(given)):
            wanted[pid] = f"https://arxiv.org/pdf/{pid}"
    resolved = resolve_papers(wanted, settings.papers_cache, settings.papers, papers_dir=papers_dir, fetch=fetch)
    resolved += [Resolved(pid, path, "file") for pid, (path, _, _) in given.items()]
    report.files_read += len(given)

    sig = config_signature(settings, "paper")
    known = index.source_hashes("paper")
    parsed: list[_Parsed] = []
    progress.start("parsing papers", sum(1 for r in resolved if r.path))
    for res in resolved:
        key = f"paper:{res.paper_id}"
        if res.path is None:
            report.papers.append(PaperReport(paper_id=res.paper_id, status=res.status, reason=res.reason))  # type: ignore[arg-type]
            continue
        progress.advance(1)
        data = given[res.paper_id][2] if res.paper_id in given else res.path.read_bytes()
        h = content_hash(data, sig)
        if known.get(key) == h:
            report.papers.append(PaperReport(paper_id=res.paper_id, status=res.status))  # type: ignore[arg-type]
            report.chunks_unchanged += len(index.chunk_ids(key))
            if res.status == "file":
                report.files_skipped += 1
            continue
        try:
            doc = read_pdf(res.path)
        except PdfError as e:
            report.papers.append(PaperReport(paper_id=res.paper_id, status="failed", reason=str(e)))
            if res.status == "file":
                report.files_failed += 1
                report.sources.append(SourceReport(key=str(res.path), status="failed", reason=str(e)))
            continue
        meta: dict[str, object] = {"paper_id": res.paper_id, "origin": res.status, "authors": doc.authors}
        if res.paper_id in given:
            path, root, _ = given[res.paper_id]
            link_url: str | None = path.resolve().as_uri()
            title = doc.title or path.stem
            meta |= {"root": str(root), "file": str(path)}
        else:
            link_url, anchor = links.get(res.paper_id, (wanted[res.paper_id], None))
            title = doc.title or anchor or res.paper_id
        chunks = chunk_paper(
            res.paper_id,
            doc,
            title,
            link_url,
            settings.chunking.paper_max_tokens,
            settings.chunking.paper_overlap_tokens,
            index.embedder.count_tokens,
            tables=settings.chunking.paper_tables,
        )
        meta |= {"title": title, "pages": len(doc.pages), "sha256": hashlib.sha256(data).hexdigest()}
        # what is addressed to an assistant, and what no reader sees, listed like a note's flags (line: the page)
        unseen = [{"text": t[:500], "line": page, "where": "hidden", "score": 1.0} for page, t in doc.hidden]
        seen = [
            {**asdict(f), "line": page}
            for page, text in enumerate(doc.pages, start=1)
            for f in flags(text, settings.injection)
        ]
        meta["flagged"] = unseen + seen
        parsed.append(_Parsed(res, key, h, chunks, len(doc.pages), meta))

    all_chunks = [c for p in parsed for c in p.chunks]
    progress.start("embedding paper chunks", len(all_chunks))
    all_vecs = embed_in_batches(index, all_chunks, progress)
    progress.start("embedding paper passages", len(all_chunks))
    passages = embed_chunk_passages(index, all_chunks, progress)
    offset = 0
    for p in parsed:
        vecs = all_vecs[offset : offset + len(p.chunks)]
        offset += len(p.chunks)
        added, removed, unchanged = index.replace_source(
            p.key, "paper", p.hash, p.chunks, vecs, meta=p.meta, passages=passages
        )
        report.chunks_added += added
        report.chunks_removed += removed
        report.chunks_unchanged += unchanged
        report.papers.append(PaperReport(paper_id=p.res.paper_id, status=p.res.status, pages=p.pages))  # type: ignore[arg-type]
        report.sources.append(
            SourceReport(key=p.key, status="changed" if p.key in known else "added", chunks=len(p.chunks))
        )

    _remove_stale(
        index,
        report,
        known,
        current={f"paper:{pid}" for pid in [*wanted, *given]},
        papers_dir=papers_dir,
        roots=roots or [],
        linked=linked,
    )


def _remove_stale(
    index: HybridIndex,
    report: IngestReport,
    known: dict[str, str | None],
    *,
    current: set[str],
    papers_dir: Path | None,
    roots: list[Path],
    linked: bool,
) -> None:
    """Papers no longer wanted go: a linked paper when no note links it any more (unless it came from
    --papers-dir), a PDF given directly when it is gone from a folder ingested again."""
    for key in set(known) - current:
        meta = index.source_meta(key) or {}
        origin = meta.get("origin")
        if origin == "file":
            root = str(meta.get("root", ""))
            if not any(root == str(r) or root.startswith(str(r).rstrip("/") + "/") for r in roots):
                continue
        elif not linked or (origin == "papers-dir" and papers_dir is None):
            continue
        report.chunks_removed += index.remove_source(key)
        report.sources.append(SourceReport(key=key, status="removed"))
