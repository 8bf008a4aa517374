"""Plain hybrid lookup: BM25 top-k and dense top-k fused by reciprocal rank."""

from __future__ import annotations

from rag_service.index.store import Filters, HybridIndex
from rag_service.retrieval.fusion import rrf
from rag_service.types import ScoredChunk


def simple_search(index: HybridIndex, query: str, k: int = 10, filters: Filters | None = None) -> list[ScoredChunk]:
    """Unweighted RRF (k=60) of 4k BM25 and 4k dense candidates."""
    depth = max(4 * k, 20)
    lexical = index.search_lexical(query, depth, filters)
    dense = index.search_dense(index.embedder.encode([query])[0], depth, filters)
    sims = dict(dense)
    fused = rrf([([i for i, _ in lexical], 1.0), ([i for i, _ in dense], 1.0)])[:k]
    chunks = index.get_chunks(i for i, _ in fused)
    return [ScoredChunk(chunk=chunks[i], score=s, dense_score=sims.get(i)) for i, s in fused if i in chunks]
