"""run(settings, paths) -> IngestReport: notes (and the papers they link) into the hybrid index, incrementally.

Each source's content hash (bytes + chunking config) is kept in the index manifest: unchanged sources are skipped,
changed ones have their chunks replaced, vanished ones are deleted from both indexes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from ingest.chunk_notes import chunk_note
from ingest.common import Progress, config_signature, content_hash, embed_chunk_passages, embed_in_batches
from ingest.links import links_for_chunks
from ingest.notes import Note, NoteError, read_note
from ingest.papers_pipeline import ingest_papers
from rag_service.index.lock import writer_lock
from rag_service.index.store import HybridIndex
from rag_service.settings import Settings
from rag_service.text.injection import note_flags
from rag_service.types import Chunk, IngestReport, SourceReport

NOTE_SUFFIXES = (".md", ".markdown")
PDF_SUFFIXES = (".pdf",)


class NothingIngestedError(RuntimeError):
    """No file of the run could be ingested."""


def find_files(paths: list[Path], suffixes: tuple[str, ...]) -> list[tuple[Path, Path]]:
    """(file, root) for every file with one of ``suffixes`` under the given paths (a file named directly counts
    whatever its suffix only when it is a note); root is what rel paths are taken against."""
    found: list[tuple[Path, Path]] = []
    for p in paths:
        p = p.resolve()
        if p.is_dir():
            found += [(f, p) for f in sorted(p.rglob("*")) if f.suffix.lower() in suffixes and f.is_file()]
        elif p.is_file():
            is_pdf = p.suffix.lower() in PDF_SUFFIXES
            if is_pdf == (suffixes == PDF_SUFFIXES):
                found.append((p, p.parent))
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return found


def find_notes(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, root) for every markdown note under the given paths (any non-PDF file named directly)."""
    return find_files(paths, NOTE_SUFFIXES)


@contextmanager
def _timer(report: IngestReport) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        report.seconds = round(time.perf_counter() - t0, 3)


def ingest_notes(
    settings: Settings, paths: list[Path], index: HybridIndex, report: IngestReport, progress: Progress
) -> list[tuple[Note, list[Chunk]]]:
    """Read, chunk and index the notes; returns the notes that were (re)chunked this run with their chunks."""
    files = find_notes(paths)
    roots = {str(root) for _, root in files} | {str(p.resolve()) for p in paths if p.is_dir()}
    sig = config_signature(settings)
    known = index.source_hashes("note")
    todo: list[tuple[str, str, Note]] = []
    seen: set[str] = set()
    progress.start("reading notes", len(files))
    for path, root in files:
        progress.advance(1)
        report.files_read += 1
        rel = path.relative_to(root).as_posix()
        seen.add(rel)
        h = content_hash(path.read_bytes(), sig)
        if known.get(rel) == h:
            report.files_skipped += 1
            n = len(index.chunk_ids(rel))
            report.chunks_unchanged += n
            flags = (index.source_meta(rel) or {}).get("flagged", [])
            report.sources.append(SourceReport(key=rel, status="unchanged", chunks=n, flagged=flags))
            continue
        try:
            note = read_note(path, root)
        except NoteError as e:
            report.files_failed += 1
            report.sources.append(SourceReport(key=rel, status="failed", reason=str(e)))
            continue
        todo.append((rel, h, note))

    c = settings.chunking
    chunked = [
        (note, chunk_note(note, c.max_tokens, c.overlap_tokens, index.embedder.count_tokens)) for *_, note in todo
    ]
    all_chunks = [c for _, chunks in chunked for c in chunks]
    progress.start("embedding note chunks", len(all_chunks))
    all_vecs = embed_in_batches(index, all_chunks, progress)
    progress.start("embedding note passages", len(all_chunks))
    passages = embed_chunk_passages(index, all_chunks, progress)
    # text addressed to an assistant, not to a reader: listed here and in /v1/sources, withheld from every prompt
    flagged = {
        rel: [asdict(f) for f in note_flags(note.front_matter, note.text, settings.injection, note.first_line)]
        for rel, _, note in todo
    }
    offset = 0
    for (rel, h, note), (_, chunks) in zip(todo, chunked, strict=True):
        vecs = all_vecs[offset : offset + len(chunks)]
        offset += len(chunks)
        added, removed, unchanged = index.replace_source(
            rel,
            "note",
            h,
            chunks,
            vecs,
            meta={"root": str(note.path.parent), "title": note.title, "flagged": flagged[rel]},
            links=links_for_chunks(chunks),
            passages=passages,
        )
        report.chunks_added += added
        report.chunks_removed += removed
        report.chunks_unchanged += unchanged
        report.sources.append(
            SourceReport(
                key=rel, status="changed" if rel in known else "added", chunks=len(chunks), flagged=flagged[rel]
            )
        )

    # Notes under the ingested roots that no longer exist are removed from both indexes.
    for key in set(known) - seen:
        meta = index.source_meta(key) or {}
        note_root = str(meta.get("root", ""))
        if any(note_root == r or note_root.startswith(r.rstrip("/") + "/") for r in roots):
            report.chunks_removed += index.remove_source(key)
            report.sources.append(SourceReport(key=key, status="removed"))
    return chunked


def run(
    settings: Settings,
    paths: list[Path],
    *,
    index: HybridIndex,
    rebuild: bool = False,
    papers_dir: Path | None = None,
    fetch: bool | None = None,
    with_papers: bool = True,
    strict: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest notes under ``paths`` (and the papers they link) into ``index``, holding the index's writer lock.
    Raises IndexLockedError when another ingest holds it, NothingIngestedError when no file could be ingested, or
    any failure with ``strict``."""
    progress = progress or Progress()
    report = IngestReport()
    with writer_lock(settings.index_dir), _timer(report):
        if rebuild:
            index.clear()
        report.repaired = index.repair()
        pdfs = find_files(paths, PDF_SUFFIXES)
        ingest_notes(settings, paths, index, report, progress)
        ingest_papers(
            settings,
            index,
            report,
            progress,
            papers_dir=papers_dir,
            fetch=settings.fetch_papers if fetch is None else fetch,
            files=pdfs,
            roots=[p.resolve() for p in paths if p.is_dir()],
            linked=with_papers,
        )
    if report.files_read == 0:
        raise NothingIngestedError(
            "nothing to ingest: no markdown notes (.md, .markdown) or PDFs found under "
            + ", ".join(str(p) for p in paths)
        )
    ok = report.files_read - report.files_failed
    if ok == 0:
        raise NothingIngestedError(
            "no file could be ingested: " + "; ".join(s.reason or s.key for s in report.failures)
        )
    if strict and report.failures:
        raise NothingIngestedError("--strict: " + "; ".join(s.reason or s.key for s in report.failures))
    return report
