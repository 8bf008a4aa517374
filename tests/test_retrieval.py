"""Tuned retrieval: weighted RRF, filters, link-aware expansion, near-duplicate merging, cross-encoder rerank."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag_service.answer import prompts
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.retrieval.expand import linked_papers_of
from rag_service.retrieval.fusion import rrf
from rag_service.retrieval.hybrid import HybridRetriever, RetrievalConfig, keep_a_note
from rag_service.retrieval.rerank import Reranker
from rag_service.types import Chunk, ScoredChunk, Source


def test_weighted_rrf_by_hand() -> None:
    fused = dict(rrf([(["a", "b", "c"], 1.0), (["c", "a"], 2.0)], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 2 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 2 / 61)
    assert fused["b"] == pytest.approx(1 / 62)
    assert [i for i, _ in rrf([(["a", "b", "c"], 1.0), (["c", "a"], 2.0)], k=60)] == ["c", "a", "b"]


def test_link_graph_points_from_note_chunks_to_papers(full_index: HybridIndex) -> None:
    moe_note = sorted(
        (
            c
            for c in full_index.get_chunks(full_index.chunk_ids("large-language-models.md")).values()
            if c.source.heading_path == ["Groq", "MoE papers"]
        ),
        key=lambda c: c.position,
    )
    assert moe_note
    papers = linked_papers_of(full_index, [c.id for c in moe_note])
    assert papers == ["1701.06538", "2101.03961"]  # only indexed papers (of the five linked), in link order


def test_link_expansion_reaches_the_cited_paper(full_index: HybridIndex) -> None:
    retriever = HybridRetriever(full_index, full_index.settings.retrieval)
    query = "what does the paper my notes cite on MoE say about load balancing?"
    hits = retriever.retrieve(query, k=8).hits
    assert any(h.chunk.source.paper_id in ("1701.06538", "2101.03961") for h in hits)
    notes_only = retriever.retrieve(query, k=8, config=RetrievalConfig(link_expansion=False)).hits
    papers_with = sum(h.chunk.source.type == "paper" for h in hits)
    papers_without = sum(h.chunk.source.type == "paper" for h in notes_only)
    assert papers_with >= papers_without


def test_near_duplicates_collapse_into_one_hit(full_index: HybridIndex) -> None:
    retriever = HybridRetriever(full_index, full_index.settings.retrieval)
    hits = retriever.retrieve("DPO training gradient accumulation learning rate beta", k=5).hits
    dpo = [h for h in hits if h.chunk.source.heading_path and h.chunk.source.heading_path[-1] == "DPO training"]
    assert len(dpo) == 1, "contents.md and large-language-models.md repeat the DPO section: one slot, two sources"
    assert {dpo[0].chunk.source.file, *(s.file for s in dpo[0].also_in)} == {"contents.md", "large-language-models.md"}
    raw = retriever.retrieve(
        "DPO training gradient accumulation learning rate beta", k=5, config=RetrievalConfig(dedupe=False)
    ).hits
    assert sum(1 for h in raw if h.chunk.source.heading_path and h.chunk.source.heading_path[-1] == "DPO training") == 2


def test_a_section_one_file_keeps_as_a_table_merges_with_its_list(full_index: HybridIndex) -> None:
    # contents.md keeps "Speedup the inference of LLMs" as a table, large-language-models.md as a list: their
    # vectors are 0.72 apart, under the 0.92 bar for any two chunks, but they are the same section
    retriever = HybridRetriever(full_index, full_index.settings.retrieval)
    query = "Which papers do I list for speeding up LLM inference?"

    def speedup(hits):  # type: ignore[no-untyped-def]
        return [h for h in hits if (h.chunk.source.heading_path or [""])[-1] == "Speedup the inference of LLMs"]

    merged = speedup(retriever.retrieve(query, k=4).hits)
    assert len(merged) == 1
    assert {merged[0].chunk.source.file, *(s.file for s in merged[0].also_in)} == {
        "contents.md",
        "large-language-models.md",
    }
    strict = full_index.settings.retrieval.model_copy(update={"dedupe_same_section": None})
    assert len(speedup(HybridRetriever(full_index, strict).retrieve(query, k=4).hits)) == 2


def test_every_hit_has_its_query_similarity(full_index: HybridIndex) -> None:
    hits = HybridRetriever(full_index, full_index.settings.retrieval).retrieve("noisy top-k gating", k=5).hits
    assert all(h.dense_score is not None and -1 <= h.dense_score <= 1 for h in hits)
    assert hits[0].chunk.source.paper_id == "1701.06538"


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A tiny random BERT cross-encoder the test builds and saves itself (no weights ship offline)."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny-ce")
    tok = AutoTokenizer.from_pretrained(embedder.path)
    cfg = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=1,
        max_position_embeddings=512,
    )
    BertForSequenceClassification(cfg).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def test_rerank_path_with_a_real_cross_encoder(full_index: HybridIndex, tiny_cross_encoder: Path) -> None:
    reranker = Reranker(str(tiny_cross_encoder))
    retriever = HybridRetriever(full_index, full_index.settings.retrieval, reranker)
    result = retriever.retrieve("load balancing loss for experts", k=5)
    assert "rerank_ms" in result.timings
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    expected = reranker.scores("load balancing loss for experts", [h.chunk.index_text for h in result.hits])
    assert scores == pytest.approx(expected, rel=1e-5)
    off = retriever.retrieve("load balancing loss for experts", k=5, config=RetrievalConfig(rerank=False))
    assert "rerank_ms" not in off.timings


def test_missing_rerank_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="retrieval.rerank_model"):
        Reranker(str(tmp_path / "nope"))


def test_prompts_declare_their_variables() -> None:
    for prompt in prompts.ALL:
        assert prompt.variables == {f for f in prompt.variables}
    with pytest.raises(KeyError, match="question"):
        prompts.QUESTION.format(contexts="x")
    with pytest.raises(ValueError, match="declared"):
        prompts.Prompt("bad", "{a} {b}", frozenset({"a"}))


def _hit(kind: str, n: int, sim: float) -> ScoredChunk:
    source = Source(type="note", file=f"n{n}.md") if kind == "note" else Source(type="paper", paper_id=f"p{n}", page=1)
    chunk = Chunk(id=f"{kind}{n}", source_key=f"{kind}:{n}", position=n, text=f"{kind} {n}", source=source)
    return ScoredChunk(chunk=chunk, score=1.0 / (n + 1), dense_score=sim)


def test_a_close_note_takes_a_slot_from_papers_and_comes_first() -> None:
    papers = [_hit("paper", i, 0.7 - i * 0.01) for i in range(6)]
    close, far = _hit("note", 9, 0.62), _hit("note", 9, 0.5)
    got = keep_a_note([*papers[:5], close, papers[5]], k=4, margin=0.1)
    assert [h.chunk.id for h in got[:4]] == ["note9", "paper0", "paper1", "paper2"]
    assert [h.chunk.id for h in got[4:]] == ["paper3", "paper4", "paper5"]  # nothing lost, order kept
    # a note outside the fused list, found by the notes-only search, is a candidate too
    outside = keep_a_note(papers, k=4, margin=0.1, closest=[_hit("note", 7, 0.65)])
    assert [h.chunk.id for h in outside[:4]] == ["note7", "paper0", "paper1", "paper2"]
    assert keep_a_note(papers, k=4, margin=0.1, closest=[far]) == papers
    assert keep_a_note([*papers[:5], far], k=4, margin=0.1)[3].chunk.id == "paper3"  # too far from the best
    with_note = [papers[0], _hit("note", 1, 0.3), *papers[1:4], close]
    assert keep_a_note(with_note, k=4, margin=0.1) == with_note  # a note is already there
