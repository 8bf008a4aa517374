"""Passage-level dense scores: a chunk is as close as its closest passage (retrieval/passages.py), stored with the
chunks at ingest and kept in step with them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import HybridRetriever
from rag_service.retrieval.passages import PassageScorer, PassageSearch, fuse_passages, passages
from rag_service.types import Chunk, Source, chunk_id
from tests.conftest import make_settings

BURIED = "instruction, winning response, losing response"


def _note(text: str, heading: list[str], key: str = "n.md", position: int = 0) -> Chunk:
    source = Source(type="note", file=key, heading_path=heading)
    return Chunk(id=chunk_id(key, position, text, source), source_key=key, position=position, text=text, source=source)


def test_a_note_bullet_is_read_with_its_parent_and_heading() -> None:
    chunk = _note("- [Some paper](https://x.org/1)\n  - it routes each token to one expert\n- short", ["AI"])
    got = passages(chunk)
    assert got == ["AI Some paper it routes each token to one expert"], got  # "short" and the link alone: no claim
    paper = Chunk(
        id="p",
        source_key="paper:x",
        position=0,
        text="First sentence here. Second one\nbroken over a line. Third.",
        source=Source(type="paper", paper_id="x", page=1),
    )
    assert passages(paper)[0] == "First sentence here. Second one broken over a line."


def test_fusion_adds_the_passage_list_by_rank() -> None:
    fused = [("a", 0.03), ("b", 0.02), ("c", 0.01)]
    out = dict(fuse_passages(fused, {"c": 0.9, "b": 0.5}, 1.0, 60))
    assert out["c"] == 0.01 + 1 / 61 and out["b"] == 0.02 + 1 / 62 and out["a"] == 0.03


def test_a_bullet_buried_in_a_long_section_reaches_the_top(full_index: HybridIndex) -> None:
    """The notes' "instruction, winning response, losing response" is one bullet of a long finetuning section whose
    single vector is far from the question; its passage is not. The fault is shown first: without the passage list
    the section is not among the top 5."""
    settings = full_index.settings.retrieval
    question = "What data does preference finetuning require?"

    def rank(weight: float) -> int:
        retriever = HybridRetriever(full_index, settings.model_copy(update={"passage_weight": weight}))
        hits = retriever.retrieve(question, k=20).hits
        return next((i for i, h in enumerate(hits) if BURIED in h.chunk.text), len(hits))

    # Chroma's HNSW graph differs from build to build, and so does the section's place without passages (7th in one
    # index, inside the top 5 in a fresh clone's); with them it is first in both
    off, on = rank(0.0), rank(1.0)
    assert on < off and on < 5, (off, on)


def test_ingest_stores_passage_vectors_equal_to_fresh_ones(full_index: HybridIndex, embedder: Embedder) -> None:
    ids = sorted(full_index.chunk_ids("reading-list.md"))
    stored = full_index.passage_vectors(ids)
    assert set(stored) == set(ids)
    chunks = full_index.get_chunks(ids)
    fresh = PassageScorer(embedder.encode)  # nothing stored: embeds them itself
    for cid in ids[:3]:
        again = fresh.vectors([chunks[cid]])[cid]
        assert again.shape == stored[cid].shape
        assert np.allclose(again, stored[cid], atol=2e-3)  # float16 storage
    assert fresh.embedded == 3
    reader = PassageScorer(embedder.encode, full_index.passage_vectors)
    reader.vectors([chunks[c] for c in ids])
    assert reader.embedded == 0, "what ingest stored is read, not embedded again"


def test_passage_rows_follow_their_chunks(tmp_path: Path, embedder: Embedder) -> None:
    index = HybridIndex(make_settings(tmp_path), embedder)
    a, b = _note("- alpha beta gamma delta", ["H"]), _note("- epsilon zeta eta theta", ["H"], position=1)
    vec = embedder.encode([a.index_text, b.index_text])
    rows = {a.id: np.ones((1, embedder.dim)), b.id: np.ones((2, embedder.dim))}
    index.replace_source("n.md", "note", "h1", [a, b], vec, passages=rows)
    assert {k: len(v) for k, v in index.passage_vectors([a.id, b.id]).items()} == {a.id: 1, b.id: 2}
    index.replace_source("n.md", "note", "h2", [a], vec[:1], passages={a.id: rows[a.id]})
    assert set(index.passage_vectors([a.id, b.id])) == {a.id}, "a chunk that went takes its passages along"
    index.remove_source("n.md")
    assert index.passage_vectors([a.id]) == {}
    index.close()


def test_passage_search_ranks_chunks_by_their_closest_passage_and_reloads_after_a_write() -> None:
    generation = [0]
    loads: list[int] = []
    rows = {0: (["a", "a", "b"], np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32))}

    def load() -> tuple[list[str], np.ndarray]:
        loads.append(generation[0])
        return rows.get(generation[0], (["c"], np.array([[1.0, 0.0]], dtype=np.float32)))

    search = PassageSearch(load, lambda: generation[0])
    query = np.array([0.0, 1.0], dtype=np.float32)
    found = search.search(query, 5)
    assert [c for c, _ in found] == ["a", "b"] and np.allclose([s for _, s in found], [1.0, 0.8])  # a's 2nd passage
    assert [c for c, _ in search.search(query, 5, allowed={"b"})] == ["b"]
    assert loads == [0], "the matrix is loaded once per write generation"
    generation[0] = 1  # another process wrote
    assert search.search(query, 5) == [("c", 0.0)] and loads == [0, 1]


def test_a_note_bullet_far_from_its_sections_vector_reaches_the_contexts(full_index: HybridIndex) -> None:
    """Karpathy's "70b parameters (140g in size)" is one bullet of a long section whose vector is 104th for the
    question; over every note passage it is among the closest. The fault is shown first: without the note passages
    in the dense list, the section is not among the top 4."""
    settings = full_index.settings.retrieval
    question = "How big is the parameters file of a 70b model?"

    def top(k: int) -> list[Chunk]:
        retriever = HybridRetriever(full_index, settings.model_copy(update={"note_passage_k": k}))
        return [h.chunk for h in retriever.retrieve(question, k=4).hits]

    assert not any("140g in size" in c.text for c in top(0))
    assert any("140g in size" in c.text for c in top(settings.note_passage_k))


def test_a_code_block_gives_no_passages() -> None:
    chunk = _note(
        "Set the rank low.\n```python\nmodel = get_peft_model(base, config)\n```\n- then train it for one epoch",
        ["LoRA"],
    )
    assert passages(chunk) == ["LoRA Set the rank low.", "LoRA then train it for one epoch"]


def test_ingest_embeds_each_distinct_text_once_and_keeps_input_order(tmp_path: Path, embedder: Embedder) -> None:
    from ingest.common import Progress, embed_chunk_passages, encode_distinct

    index = HybridIndex(make_settings(tmp_path), embedder)
    seen: list[str] = []
    encode = index.embedder.encode
    index.embedder.encode = lambda texts: (seen.extend(texts), encode(texts))[1]  # type: ignore[method-assign]
    advanced: list[int] = []
    texts = ["beta gamma", "alpha", "beta gamma", "a much longer text than the others"]
    vecs = encode_distinct(index, texts, Progress(advance=advanced.append))
    assert sorted(seen) == sorted(set(texts)) and len(seen) == 3, "a repeated text is embedded once"
    assert np.allclose(vecs, encode(texts), atol=1e-5), "rows come back in input order"
    assert sum(advanced) == len(texts)
    # two overlapping chunks share a bullet: one text, each chunk still gets its row
    a = _note("- the router sends each token to one expert\n- alpha beta gamma delta", ["MoE"])
    b = _note("- alpha beta gamma delta\n- experts are feed-forward layers", ["MoE"], position=1)
    seen.clear()
    advanced.clear()
    rows = embed_chunk_passages(index, [a, b], Progress(advance=advanced.append))
    assert [len(rows[a.id]), len(rows[b.id])] == [2, 2] and len(seen) == 3
    assert np.allclose(rows[a.id][1], rows[b.id][0]) and sum(advanced) == 2
    index.close()
