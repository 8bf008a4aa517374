"""Weighted reciprocal-rank fusion by chunk id."""

from __future__ import annotations

from collections.abc import Sequence


def rrf(ranked_lists: Sequence[tuple[Sequence[str], float]], k: int = 60) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum over lists of weight / (k + rank), rank starting at 1.
    Ties keep the order in which ids were first seen."""
    scores: dict[str, float] = {}
    for ids, weight in ranked_lists:
        for rank, cid in enumerate(ids, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
