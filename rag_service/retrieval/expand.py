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
    hits: list[ScoredChunk], vectors: dict[str, np.ndarray], threshold: float, same_section: float | None = None
) -> list[ScoredChunk]:
    """Collapse hits whose embeddings are nearly identical (contents.md and large-language-models.md repeat whole
    sections) into the best-ranked one, which lists the others' sources in ``also_in``. By embedding, not by text,
    so reformatted copies merge too and distinct passages never do by accident of wording. Two notes' sections of the
    same heading path are copies at the lower ``same_section`` similarity: one file keeps a list as a table (0.72)."""
    kept: list[ScoredChunk] = []
    kept_vecs: list[np.ndarray] = []
    for hit in hits:
        vec = vectors.get(hit.chunk.id)
        if vec is not None and kept_vecs:
            sims = np.stack(kept_vecs) @ vec
            bars = [same_section if same_section is not None and _same_section(k, hit) else threshold for k in kept]
            twin = next((j for j in map(int, np.argsort(-sims)) if sims[j] >= bars[j]), None)
            if twin is not None:
                kept[twin].also_in.append(hit.chunk.source)
                continue
        kept.append(hit.model_copy(update={"also_in": list(hit.also_in)}))
        kept_vecs.append(vec if vec is not None else np.zeros(1))
    return kept


def _same_section(a: ScoredChunk, b: ScoredChunk) -> bool:
    """Note chunks of two different files under the same heading path."""
    sa, sb = a.chunk.source, b.chunk.source
    return (
        sa.type == sb.type == "note"
        and sa.file != sb.file
        and bool(sa.heading_path and sb.heading_path)
        and [h.strip().lower() for h in sa.heading_path or []] == [h.strip().lower() for h in sb.heading_path or []]
    )
