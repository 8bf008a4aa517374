"""Deterministic retrieval metrics over ranked relevance lists (no judge)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    """1 if any of the first k results is relevant."""
    return 1.0 if any(relevant[:k]) else 0.0


def mrr(relevant: Sequence[bool]) -> float:
    """Reciprocal rank of the first relevant result (0 if none)."""
    for rank, rel in enumerate(relevant, start=1):
        if rel:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(gains: Sequence[float], k: int, n_relevant: int | None = None) -> float:
    """nDCG@k with graded gains in rank order; the ideal ranking puts ``n_relevant`` gains of 1 (or the sorted
    gains) first."""
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal_gains = sorted(gains, reverse=True) if n_relevant is None else [1.0] * n_relevant
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains[:k]))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(found_refs: Sequence[set[int]], n_refs: int, k: int) -> float:
    """Share of reference contexts matched by at least one of the first k results. ``found_refs[i]`` holds the
    reference indices result i matches."""
    if n_refs == 0:
        return 0.0
    covered: set[int] = set()
    for refs in found_refs[:k]:
        covered |= refs
    return len(covered) / n_refs
