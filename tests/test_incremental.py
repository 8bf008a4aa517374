"""Re-ingest: unchanged -> zero writes; edit -> only that note's chunks change; delete -> gone from both; repair."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import NothingIngestedError, run
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.settings import Settings
from tests.conftest import NOTES, make_settings


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("reading-list.md", "large-language-models.md"):
        shutil.copy(NOTES / name, notes / name)
    return notes


def _ingested(tmp_path: Path, corpus: Path, embedder: Embedder) -> tuple[Settings, HybridIndex]:
    """Settings for a fresh data folder and an index holding ``corpus`` (notes only)."""
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    run(settings, [corpus], index=index, with_papers=False)
    return settings, index


def _consistent(index: HybridIndex) -> set[str]:
    ids = index.chunk_ids()
    assert ids == index.chroma_ids()
    assert set(index.bm25.ids) == ids
    return ids


def test_incremental_reingest(tmp_path: Path, small_corpus: Path, embedder: Embedder) -> None:
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    first = run(settings, [small_corpus], index=index, with_papers=False)
    assert first.chunks_added > 0
    before = _consistent(index)
    other_before = index.chunk_ids("large-language-models.md")

    calls: list[str] = []
    real_upsert, real_delete = index.collection.upsert, index.collection.delete
    index.collection.upsert = lambda **kw: (calls.append("upsert"), real_upsert(**kw))[1]  # type: ignore[method-assign]
    index.collection.delete = lambda **kw: (calls.append("delete"), real_delete(**kw))[1]  # type: ignore[method-assign]
    again = run(settings, [small_corpus], index=index, with_papers=False)
    assert (again.chunks_added, again.chunks_removed, again.files_skipped) == (0, 0, 2)
    assert calls == [], "an identical rerun must not write to Chroma"
    assert _consistent(index) == before

    note = small_corpus / "reading-list.md"
    note.write_text(note.read_text() + "\n## Retrieval\n- ColBERT late interaction is worth a read.\n")
    edited = run(settings, [small_corpus], index=index, with_papers=False)
    assert edited.chunks_added >= 1
    assert index.chunk_ids("large-language-models.md") == other_before
    after_edit = _consistent(index)
    hits = index.search_lexical("ColBERT late interaction", 1)
    assert index.get_chunks([hits[0][0]])[hits[0][0]].source.heading_path == ["Retrieval"]

    note.unlink()
    removed = run(settings, [small_corpus], index=index, with_papers=False)
    assert removed.chunks_removed == len(after_edit) - len(other_before)
    assert _consistent(index) == other_before
    assert index.source_hashes().keys() == {"large-language-models.md"}
    index.close()


def test_repair_fixes_both_kinds_of_drift(tmp_path: Path, small_corpus: Path, embedder: Embedder) -> None:
    """The states a kill -9 can leave: Chroma with extra ids (upserted, SQLite not committed) and with missing
    ids (SQLite committed, Chroma write lost)."""
    settings, index = _ingested(tmp_path, small_corpus, embedder)
    ids = sorted(index.chunk_ids())
    index.collection.upsert(ids=["orphan1", "orphan2"], embeddings=np.ones((2, embedder.dim), dtype=np.float32))
    index.collection.delete(ids=ids[:3])
    assert index.repair() == 5
    assert _consistent(index) == set(ids)
    assert index.repair() == 0
    index.close()


def test_bad_file_is_reported_and_nothing_indexed_is_lost(
    tmp_path: Path, small_corpus: Path, embedder: Embedder
) -> None:
    settings, index = _ingested(tmp_path, small_corpus, embedder)
    kept = _consistent(index)
    (small_corpus / "reading-list.md").write_bytes(b"\xff\xfe\x00\x01binary")
    report = run(settings, [small_corpus], index=index, with_papers=False)
    assert [f.key for f in report.failures] == ["reading-list.md"]
    assert "binary" in (report.failures[0].reason or "")
    assert _consistent(index) == kept, "a file that fails must keep its previously indexed chunks"
    with pytest.raises(NothingIngestedError, match="reading-list.md"):
        run(settings, [small_corpus / "reading-list.md"], index=index, with_papers=False)
    with pytest.raises(NothingIngestedError, match="--strict"):
        run(settings, [small_corpus], index=index, with_papers=False, strict=True)
    index.close()


def test_one_writer_at_a_time(tmp_path: Path, small_corpus: Path, embedder: Embedder) -> None:
    from rag_service.index.lock import IndexLockedError, writer_lock

    settings, index = _ingested(tmp_path, small_corpus, embedder)
    before = _consistent(index)
    (small_corpus / "reading-list.md").write_text("# Changed\n- would replace the note's chunks\n")
    with writer_lock(settings.index_dir) as lock:  # another writer holds the index
        assert lock.read_text().strip().isdigit()
        with pytest.raises(IndexLockedError, match="another ingest is writing"):
            run(settings, [small_corpus], index=index, with_papers=False)
        assert _consistent(index) == before  # refused before touching anything
    changed = run(settings, [small_corpus], index=index, with_papers=False)  # released: the next run goes ahead
    assert changed.chunks_added >= 1 and _consistent(index) != before
    index.close()


def test_a_changed_heading_changes_the_chunk_id(tmp_path: Path, small_corpus: Path, embedder: Embedder) -> None:
    """Ids hash what is indexed (text and source metadata): a renamed heading over the same text is a new chunk,
    so Chroma's metadata cannot keep the old heading."""
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    note = small_corpus / "reading-list.md"
    note.write_text("# Notes\n## Old name\n- the same body text in both versions\n")
    run(settings, [small_corpus], index=index, with_papers=False)

    def body_ids() -> set[str]:
        chunks = index.get_chunks(index.chunk_ids("reading-list.md"))
        return {i for i, c in chunks.items() if "same body text" in c.text}

    old = body_ids()
    note.write_text("# Notes\n## New name\n- the same body text in both versions\n")
    run(settings, [small_corpus], index=index, with_papers=False)
    new = body_ids()
    assert old and new and old.isdisjoint(new)
    metas = index.collection.get(ids=sorted(new), include=["metadatas"])["metadatas"]
    assert metas and all(m["heading"].endswith("New name") for m in metas)  # type: ignore[index, union-attr]
    index.close()


def test_check_finds_drift_and_repair_fixes_it(tmp_path: Path, small_corpus: Path, embedder: Embedder) -> None:
    import json

    from typer.testing import CliRunner

    from notes_rag.cli import app

    settings, index = _ingested(tmp_path, small_corpus, embedder)
    lost = sorted(index.chunk_ids())[:3]
    index.collection.delete(ids=lost)  # drift: three chunks lose their vectors
    index.close()
    runner = CliRunner()
    args = ["check", "--data-dir", str(settings.data_dir)]
    found = runner.invoke(app, args)
    assert found.exit_code == 1 and json.loads(found.stdout)["missing_in_chroma"] == lost
    fixed = runner.invoke(app, [*args, "--repair"])
    report = json.loads(fixed.stdout)
    assert fixed.exit_code == 0 and report["ok"] and report["repaired"] == 3


def test_a_reader_sees_another_writers_ingest_without_restart(
    tmp_path: Path, small_corpus: Path, embedder: Embedder
) -> None:
    """Two HybridIndex objects on one folder stand for the API (reader) and an ingest (writer) in two processes."""
    settings, writer = _ingested(tmp_path, small_corpus, embedder)
    reader = HybridIndex(settings, embedder)
    assert reader.search_lexical("ColBERT late interaction", 3) == [] or all(
        "ColBERT" not in reader.get_chunks([i])[i].text for i, _ in reader.search_lexical("ColBERT late interaction", 3)
    )
    before = reader.generation
    note = small_corpus / "reading-list.md"
    note.write_text(note.read_text() + "\n## Retrieval\n- ColBERT late interaction is worth a read.\n")
    run(settings, [small_corpus], index=writer, with_papers=False)
    assert reader.generation > before  # the write was seen as a new generation
    top = reader.search_lexical("ColBERT late interaction", 1)[0][0]
    assert "ColBERT" in reader.get_chunks([top])[top].text  # and the reader's BM25 was rebuilt for it
    reader.close()
    writer.close()


def test_watch_ingests_again_when_a_note_changes(tmp_path: Path, small_corpus: Path, embedder: Embedder) -> None:
    import threading
    import time

    from ingest.watch import watch

    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    reports: list[object] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=([small_corpus], lambda: reports.append(run(settings, [small_corpus], index=index, with_papers=False))),
        kwargs={"interval": 0.2, "stop": stop},
    )
    thread.start()
    deadline = time.monotonic() + 60
    while len(reports) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    note = small_corpus / "reading-list.md"
    note.write_text(note.read_text() + "\n## Watched\n- ColBERT late interaction, added while watching.\n")
    while len(reports) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # no further change: no further run
    stop.set()
    thread.join(10)
    assert len(reports) == 2, len(reports)
    assert reports[0].chunks_added > 0 and reports[1].chunks_added >= 1  # type: ignore[attr-defined]
    hit = index.search_lexical("ColBERT late interaction added while watching", 1)[0][0]
    assert "added while watching" in index.get_chunks([hit])[hit].text
    index.close()
