"""Re-ingest: unchanged -> zero writes; edit -> only that note's chunks change; delete -> gone from both; repair."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import NothingIngestedError, run
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from tests.conftest import NOTES, make_settings


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("reading-list.md", "large-language-models.md"):
        shutil.copy(NOTES / name, notes / name)
    return notes


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
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    run(settings, [small_corpus], index=index, with_papers=False)
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
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    run(settings, [small_corpus], index=index, with_papers=False)
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
