"""The real index of the notes and the 7 papers: chunk counts, known sections, both indexes in step, search."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from notes_rag.cli import app
from rag_service.index.bm25 import BM25Index, Tokenizer
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import HybridRetriever


def test_every_chunk_id_in_both_indexes(full_index: HybridIndex) -> None:
    sqlite_ids = full_index.chunk_ids()
    assert sqlite_ids == full_index.chroma_ids()
    assert set(full_index.bm25.ids) == sqlite_ids
    report = full_index.last_report  # type: ignore[attr-defined]
    assert report.files_read == 5 and report.files_failed == 0
    assert report.chunks_added == len(sqlite_ids)


def test_note_chunk_counts(full_index: HybridIndex) -> None:
    per_source = {s["key"]: s["chunks"] for s in full_index.sources()}
    notes = {k: v for k, v in per_source.items() if not k.startswith("paper:")}
    assert set(notes) == {
        "contents.md",
        "large-language-models.md",
        "llm-reading-guide.md",
        "llm-study-notes.md",
        "reading-list.md",
    }
    # the long study notes have the most sections; every note yields several chunks
    assert max(notes, key=notes.__getitem__) == "llm-study-notes.md"
    assert all(n >= 5 for n in notes.values())
    assert 200 <= sum(notes.values()) <= 400


def test_known_sections_have_paths_and_anchors(full_index: HybridIndex) -> None:
    chunks = full_index.get_chunks(full_index.chunk_ids("llm-study-notes.md")).values()
    rag = [
        c
        for c in chunks
        if c.source.heading_path
        and c.source.heading_path[-1] == "RAG"
        and "Chapter 6, RAG and Agents" in c.source.heading_path
    ]
    assert rag and rag[0].source.anchor == "rag"
    assert rag[0].source.label() == (
        "llm-study-notes.md › Applications › AI Engineering, Chip Huyen › Chapter 6, RAG and Agents › RAG"
    )
    assert "Parkinson's Law" in " ".join(c.text for c in rag)
    contents = full_index.get_chunks(full_index.chunk_ids("contents.md")).values()
    assert any("This is just an example of side notes" in c.text for c in contents)
    reading = full_index.get_chunks(full_index.chunk_ids("reading-list.md")).values()
    assert any("Google’s Globally-Distributed" in c.text for c in reading)


def test_heading_prefix_makes_section_findable(full_index: HybridIndex) -> None:
    hits = HybridRetriever(full_index, full_index.settings.retrieval).retrieve("DPO training", k=5).hits
    assert any(h.chunk.source.heading_path and h.chunk.source.heading_path[-1] == "DPO training" for h in hits[:3])


def test_bm25_reloads_from_stored_tokens_and_matches_rank_bm25(full_index: HybridIndex) -> None:
    """Candidate-only scoring equals rank-bm25's full get_scores (the oracle) for the candidates, and every
    non-candidate scores 0 in the oracle."""
    bm25 = full_index.bm25
    tok = Tokenizer()
    for query in ["load balancing loss experts", "DPO beta learning rate", "scaled dot-product attention"]:
        q = tok(query)
        cand, scores = bm25.score_candidates(q)
        full = bm25.full_scores(q)
        np.testing.assert_allclose(scores, full[cand], rtol=1e-9)
        rest = np.setdiff1d(np.arange(len(bm25)), cand)
        assert np.all(full[rest] == 0)
        top_oracle = [bm25.ids[i] for i in np.argsort(-full, kind="stable")[:10]]
        assert [cid for cid, _ in bm25.search(query, 10)] == top_oracle


def test_tokenizer_stems_and_drops_stopwords() -> None:
    assert Tokenizer()("The Experts are balancing the loads") == ["expert", "balanc", "load"]


def test_tokenizer_finds_code_identifiers_and_closed_compounds() -> None:
    tok = Tokenizer()
    # "num_epochs = 3" in a note's code is found by "epochs"; "fine-tuning" by a heading "Finetuning"
    assert tok("num_epochs = 3") == ["num_epoch", "num", "epoch", "3"]
    assert set(tok("Finetuning")) <= set(tok("fine-tuning")) and "finetun" not in tok("fine tuning")
    assert tok("English-to-German", closed_compounds=False) == ["english", "german"]
    idx = BM25Index(["code", "prose"], [tok("for epoch in range(num_epochs):"), tok("the training loop")])
    assert [c for c, _ in idx.search("how many epochs", 2)][0] == "code"


def test_bm25_index_standalone() -> None:
    idx = BM25Index(["a", "b", "c"], [["moe", "expert"], ["attent"], ["moe"]])
    assert [c for c, _ in idx.search("MoE", 5)] == ["a", "c"] or [c for c, _ in idx.search("MoE", 5)] == [
        "c",
        "a",
    ]
    assert idx.search("nothing", 5) == []


def test_search_cli_json_schema(full_index: HybridIndex) -> None:
    result = CliRunner().invoke(
        app,
        ["search", "DPO training tips", "-k", "5", "--json", "--data-dir", str(full_index.settings.data_dir)],
        env={"NOTES_RAG_FETCH_PAPERS": "false"},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["results"]) == 5
    for r in data["results"]:
        assert set(r) >= {"chunk_id", "score", "text", "source"}
        src = r["source"]
        if src["type"] == "note":
            assert {"file", "heading_path", "anchor", "lines"} <= set(src)
            assert isinstance(src["heading_path"], list)
        else:
            assert {"paper_id", "title", "page", "url"} <= set(src)
    assert data["results"][0]["source"]["heading_path"][-1] == "DPO training"


@pytest.mark.parametrize("bad", [{"type": "note", "colour": "x"}])
def test_unknown_filter_is_a_clear_error(full_index: HybridIndex, bad: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="filters.colour"):
        full_index.search_lexical("x", 3, bad)
