"""The tuned retriever: weighted RRF of BM25 and dense lists, link-aware paper expansion, near-duplicate merging,
optional cross-encoder rerank."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from rag_service.index.store import DenseUnavailableError, Filters, HybridIndex
from rag_service.retrieval.expand import linked_papers_of, merge_near_duplicates
from rag_service.retrieval.fusion import rrf
from rag_service.retrieval.passages import PassageScorer, PassageSearch, fuse_passages
from rag_service.retrieval.rerank import Reranker
from rag_service.retrieval.window import expand_windows
from rag_service.settings import RetrievalSettings
from rag_service.types import Chunk, ScoredChunk


@dataclass
class RetrievalConfig:
    """Which parts run; eval compares these (bm25-only, dense-only, hybrid, +rerank, +links)."""

    bm25: bool = True
    dense: bool = True
    link_expansion: bool = True
    rerank: bool = True
    dedupe: bool = True
    window: bool = True


def keep_a_note(
    hits: list[ScoredChunk], k: int, margin: float, closest: Sequence[ScoredChunk] = ()
) -> list[ScoredChunk]:
    """The notes are what the user wrote: when the top ``k`` are all paper chunks but a note section is nearly as
    close to the query (cosine within ``margin`` of the best), it takes the first slot and the last paper goes.
    Candidates are the notes among the next ``k`` hits, then ``closest`` (the nearest notes by embedding, found
    apart: a paper's many chunks can push its one summarising note out of the fused list altogether). On the golden
    set, 7 of 35 note questions had their note outside the top 4, five of them behind four chunks of the paper the
    note summarises."""
    top = hits[:k]
    if len(top) < k or any(h.chunk.source.type == "note" for h in top):
        return hits
    best = max((h.dense_score or 0.0) for h in top)
    candidates = [h for h in hits[k : 2 * k] if h.chunk.source.type == "note"] + [
        h for h in closest if h.chunk.id not in {x.chunk.id for x in hits}
    ]
    note = next((h for h in candidates if (h.dense_score or 0.0) >= best - margin), None)
    if note is None:
        return hits
    # first, not last: the small local model answers mostly from the first contexts, and the user's own summary is
    # what the answer should rest on, with the paper's chunks for detail
    return [note, *top[: k - 1], *[h for h in hits[k - 1 :] if h is not note]]


log = logging.getLogger("notes_rag.retrieval")


@dataclass
class RetrievalResult:
    hits: list[ScoredChunk]
    timings: dict[str, float] = field(default_factory=dict)
    best_similarity: float = 0.0  # max cosine to the query over the whole fused pool, not just the top k
    best_passage: float = 0.0  # max cosine of a passage of the pool's head (0 when passages are off)
    degraded: bool = False  # the dense side (Chroma server) was unreachable: BM25 alone


class HybridRetriever:
    """BM25 + dense over one HybridIndex, fused by chunk id."""

    def __init__(self, index: HybridIndex, settings: RetrievalSettings, reranker: Reranker | None = None) -> None:
        self.index = index
        self.settings = settings
        self.reranker = reranker
        self.passages = PassageScorer(index.embedder.encode, index.passage_vectors)
        self.passage_search = PassageSearch(index.note_passage_vectors, lambda: index.generation)

    def retrieve(
        self,
        query: str,
        k: int | None = None,
        filters: Filters | None = None,
        config: RetrievalConfig | None = None,
        note_margin: float | None = None,
    ) -> RetrievalResult:
        """Top-k chunks for ``query``; every hit carries its cosine similarity to the query in ``dense_score``.
        With ``note_margin`` (the answer step's contexts), a close note is kept among the k (``keep_a_note``)."""
        s, cfg = self.settings, config or RetrievalConfig(link_expansion=self.settings.link_expansion)
        k = k or s.k
        timings: dict[str, float] = {}
        t = time.perf_counter()
        qvec = self.index.embedder.encode([query])[0]
        timings["embed_ms"] = _ms(t)

        lists: list[tuple[list[str], float]] = []
        t = time.perf_counter()
        if cfg.bm25:
            lists.append(([i for i, _ in self.index.search_lexical(query, s.bm25_k, filters)], s.bm25_weight))
        timings["bm25_ms"] = _ms(t)
        t = time.perf_counter()
        degraded = False
        if cfg.dense:
            try:
                dense = self.index.search_dense(qvec, s.dense_k, filters)
            except DenseUnavailableError as e:
                log.warning("degraded to BM25 alone: %s", e)
                degraded = True
            else:
                if s.note_passage_k > 0 and s.passage_weight > 0:
                    dense = self._with_note_passages(qvec, dense, filters)
                lists.append(([i for i, _ in dense], s.dense_weight))
        timings["dense_ms"] = _ms(t)
        fused = rrf(lists, k=s.rrf_k)

        if cfg.link_expansion and not degraded and (filters or {}).get("type") != "note":
            t = time.perf_counter()
            expansion = self._expand(qvec, [cid for cid, _ in fused[: max(k, 10)]], filters)
            if expansion:
                fused = rrf([*lists, (expansion, s.link_weight)], k=s.rrf_k)
            timings["links_ms"] = _ms(t)

        fused = self._weigh_parts(fused)
        best_passage = 0.0
        if s.passage_weight > 0:
            t = time.perf_counter()
            fused, best_passage = self._by_passage(qvec, fused)
            timings["passages_ms"] = _ms(t)
        pool = fused[: max(s.rerank_top_n, 3 * k)]
        ids = [cid for cid, _ in pool]
        chunks = self.index.get_chunks(ids)
        vectors = self._vectors(ids, chunks) if degraded else self.index.vectors(ids)
        hits = [
            ScoredChunk(
                chunk=chunks[cid], score=score, dense_score=float(vectors[cid] @ qvec) if cid in vectors else None
            )
            for cid, score in pool
            if cid in chunks
        ]
        if cfg.dedupe:
            hits = merge_near_duplicates(hits, vectors, s.dedupe_threshold, s.dedupe_same_section)
        if cfg.rerank and self.reranker is not None:
            t = time.perf_counter()
            hits = self.reranker.rerank(query, hits[: s.rerank_top_n])
            timings["rerank_ms"] = _ms(t)
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        if cfg.window:
            hits = expand_windows(self.index, hits[: 2 * k], s.window_chars)
        if note_margin is not None and (filters or {}).get("type") != "paper":
            closest = [] if degraded else self._closest_notes(qvec, hits[:k], filters)
            hits = keep_a_note(hits, k, note_margin, closest)
        return RetrievalResult(
            hits=hits[:k], timings=timings, best_similarity=best, best_passage=best_passage, degraded=degraded
        )

    def _with_note_passages(
        self, qvec: np.ndarray, dense: list[tuple[str, float]], filters: Filters | None
    ) -> list[tuple[str, float]]:
        """The dense list with each note chunk scored by its closest passage when that is closer than its own
        vector, over every stored note passage: a long section's one vector is far from a question its one bullet
        answers (Karpathy's "70b parameters (140g in size)": dense rank 104, best passage 6th of all). Paper chunks
        are short and keep their own vector (their two-sentence passages moved papers' MRR 0.619 -> 0.597)."""
        s = self.settings
        if (filters or {}).get("type") == "paper":
            return dense
        # the search holds note passages only, so only a file filter needs the allowed ids
        allowed = self.index.filtered_ids(filters) if {k for k in filters or {} if k != "type"} else None
        merged = dict(dense)
        for cid, cos in self.passage_search.search(qvec, s.note_passage_k, allowed):
            if cos > merged.get(cid, -1.0):
                merged[cid] = cos
        return sorted(merged.items(), key=lambda kv: -kv[1])[: s.dense_k]

    def _by_passage(self, qvec: np.ndarray, fused: list[tuple[str, float]]) -> tuple[list[tuple[str, float]], float]:
        """The fused pool's head re-fused with a third list: its chunks ranked by their closest passage (see
        passages.py), weighted ``passage_weight``; and the best passage cosine."""
        s = self.settings
        head = [cid for cid, _ in fused[: s.passage_pool]]
        chunks = self.index.get_chunks(head)
        best = self.passages.scores(qvec, [chunks[c] for c in head if c in chunks])
        return fuse_passages(fused, best, s.passage_weight, s.rrf_k), max(best.values(), default=0.0)

    def _closest_notes(self, qvec: np.ndarray, top: list[ScoredChunk], filters: Filters | None) -> list[ScoredChunk]:
        """The two note chunks nearest the query by embedding, asked only when ``top`` holds no note."""
        if any(h.chunk.source.type == "note" for h in top):
            return []
        found = self.index.search_dense(qvec, 2, {**(filters or {}), "type": "note"})
        chunks = self.index.get_chunks([cid for cid, _ in found])
        return [ScoredChunk(chunk=chunks[cid], score=0.0, dense_score=cos) for cid, cos in found if cid in chunks]

    def _vectors(self, ids: list[str], chunks: dict[str, Chunk]) -> dict[str, np.ndarray]:
        """Without Chroma, the pool's vectors come from the local embedder (a few dozen chunks: well under a second),
        so the evidence gate and duplicate merging still work."""
        have = [i for i in ids if i in chunks]
        if not have:
            return {}
        vecs = self.index.embedder.encode([chunks[i].index_text for i in have])
        return {cid: vecs[n] for n, cid in enumerate(have)}

    def _weigh_parts(self, fused: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Multiply fused scores by the weight of each paper chunk's part (references down-weighted)."""
        weights = self.settings.part_weights
        if all(w == 1.0 for w in weights.values()):
            return fused
        parts = self.index.parts
        weighed = [(cid, score * weights.get(parts.get(cid, ""), 1.0)) for cid, score in fused]
        return sorted(weighed, key=lambda kv: -kv[1])

    def _expand(self, qvec: np.ndarray, top_ids: list[str], filters: Filters | None) -> list[str]:
        """Best chunks (for this query) of the papers that the top note chunks link."""
        papers = linked_papers_of(self.index, top_ids)
        if filters and filters.get("paper_id"):
            papers = [p for p in papers if p == filters["paper_id"]]
        ranked: list[tuple[str, float]] = []
        for pid in papers[:5]:
            ranked += self.index.search_dense(qvec, 2, {"paper_id": pid})
        return [cid for cid, _ in sorted(ranked, key=lambda x: -x[1])]


def build_retriever(index: HybridIndex, settings: RetrievalSettings) -> HybridRetriever:
    """The retriever as configured: with the cross-encoder when ``rerank_model`` is set."""
    reranker = Reranker(settings.rerank_model) if settings.rerank_model else None
    return HybridRetriever(index, settings, reranker)


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
