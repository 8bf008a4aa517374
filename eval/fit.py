"""Fit the answerability decision (answer/decide.py) on a split: the signals of every question, a logistic
regression (scikit-learn, class-balanced, L2), and the threshold that maximises balanced accuracy on that split."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from eval.answers import Row, corpus_of, kind_of
from eval.dataset import GoldenItem
from rag_service.answer.evidence import SIGNALS


def signals(
    pipeline: Any, items: list[GoldenItem], advance: Callable[[], None] = lambda: None
) -> list[dict[str, float]]:
    """The evidence signals the decision sees for each question (retrieval and measuring only, no generation)."""
    out = []
    for item in items:
        prep = pipeline.prepare(item.question, item.history)
        out.append(dict(prep.decision.evidence.signals) if prep.decision else {})
        advance()
    return out


def fit(xs: list[dict[str, float]], ys: list[bool], c: float = 1.0) -> tuple[dict[str, float], float]:
    """Weights per signal and the intercept."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[row[name] for name in SIGNALS] for row in xs])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, np.array(ys, dtype=int))
    return {name: round(float(w), 3) for name, w in zip(SIGNALS, model.coef_[0], strict=True)}, round(
        float(model.intercept_[0]), 3
    )


def best_threshold(probs: list[float], ys: list[bool]) -> float:
    """The threshold with the best balanced accuracy (answerable passed, unanswerable refused)."""
    p, y = np.array(probs), np.array(ys)
    best, at = -1.0, 0.5
    for t in np.arange(0.05, 0.96, 0.01):
        acc = 0.5 * ((p[y] >= t).mean() + (p[~y] < t).mean())
        if acc > best + 1e-9:
            best, at = acc, float(t)
    return round(at, 2)


def balanced_accuracy(probs: list[float], ys: list[bool], threshold: float) -> float:
    """Mean of the answerable share passed and the unanswerable share refused."""
    p, y = np.array(probs), np.array(ys)
    return round(float(0.5 * ((p[y] >= threshold).mean() + (p[~y] < threshold).mean())), 3)


def cross_validated(xs: list[dict[str, float]], ys: list[bool], folds: int = 5, seeds: int = 3) -> float:
    """Balanced accuracy of the decision on questions it was not fitted on: stratified k-fold, the weights and the
    threshold fitted on the other folds, averaged over ``seeds`` shuffles."""
    from sklearn.model_selection import StratifiedKFold

    from rag_service.answer.decide import probability
    from rag_service.settings import DecisionSettings

    y = np.array(ys)
    scores = []
    for seed in range(seeds):
        passed = np.zeros(len(ys), dtype=bool)
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(ys)), y):
            weights, bias = fit([xs[i] for i in train], [ys[i] for i in train])
            settings = DecisionSettings(weights=weights, bias=bias, threshold=0.5)
            t = best_threshold([probability(xs[i], settings) for i in train], [ys[i] for i in train])
            passed[test] = [probability(xs[i], settings) >= t for i in test]
        scores.append(0.5 * (passed[y].mean() + (~passed[~y]).mean()))
    return round(float(np.mean(scores)), 3)


def ablation(xs: list[dict[str, float]], ys: list[bool]) -> dict[str, float]:
    """Cross-validated balanced accuracy with each signal left out in turn ("none": all signals in)."""
    return {
        name: cross_validated([{**x, name: 0.0} for x in xs] if name != "none" else xs, ys)
        for name in ("none", *SIGNALS)
    }


def per_kind(items: list[GoldenItem], passed: list[bool]) -> list[tuple[str, str, int, int]]:
    """(corpus, kind, passed, n) for each group."""
    groups: dict[tuple[str, str], list[bool]] = {}
    for item, ok in zip(items, passed, strict=True):
        groups.setdefault((corpus_of(item), kind_of(item)), []).append(ok)
    return [(c, k, sum(v), len(v)) for (c, k), v in sorted(groups.items())]


__all__ = ["Row", "ablation", "balanced_accuracy", "best_threshold", "cross_validated", "fit", "per_kind", "signals"]
