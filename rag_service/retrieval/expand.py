"""Link graph look-ups and near-duplicate merging."""

from __future__ import annotations

import numpy as np

from rag_service.index.store import HybridIndex
from rag_service.types import ScoredChunk


def linked_papers_of(index: HybridIndex, chunk_ids: list[str]) -> list[str]:
    """Indexed papers linked from the given note chunks, in the order of the chunks that link them."""
    rows = index.linked_indexed_papers(chunk_ids)
    rank = {cid: i for i, cid in enumerate(chunk_ids)}
    out: list[str] = []
    for _, target in sorted(rows, key=lambda r: rank[r[0]]):
        if target not in out:
            out.append(target)
    return out


def merge_near_duplicates(
    hits: list[ScoredChunk], vectors: dict[str, np.ndarray], threshold: float
) -> list[ScoredChunk]:
    """Collapse hits whose embeddings are nearly identical (contents.md and large-language-models.md repeat whole
    sections) into the best-ranked one, which lists the others' sources in ``also_in``. By embedding, not by text,
    so reformatted copies merge too and distinct passages never do by accident of wording."""
    kept: list[ScoredChunk] = []
    kept_vecs: list[np.ndarray] = []
    for hit in hits:
        vec = vectors.get(hit.chunk.id)
        if vec is not None and kept_vecs:
            sims = np.stack(kept_vecs) @ vec
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                kept[j].also_in.append(hit.chunk.source)
                continue
        kept.append(hit.model_copy(update={"also_in": list(hit.also_in)}))
        kept_vecs.append(vec if vec is not None else np.zeros(1))
    return kept
