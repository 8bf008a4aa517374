"""Per-check firing counts and an ablation of the post-generation checks (rag_service/answer/checks.py) on a split.

A check that never fired for a question cannot change that question's answer when it is turned off, so the ablation
re-answers only the questions where the check fired (anywhere: re-citation, the quoted line, the final claim check)
and compares them with the full run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from eval.answers import Row, score
from eval.dataset import GoldenItem
from rag_service.answer.checks import CHECKS
from rag_service.index.bm25 import Tokenizer


@dataclass
class Fired:
    """One question: how it scored, the checks that fired while answering it, the checks its final answer shows."""

    row: Row
    fired: set[str] = field(default_factory=set)
    shown: list[str] = field(default_factory=list)  # checks that dropped a sentence or refused the answer


def run(pipeline: Any, items: Iterable[GoldenItem], advance: Callable[[], None] = lambda: None) -> list[Fired]:
    """Every question through the /v1/chat code path, with the checks that fired for it."""
    tok = Tokenizer()
    checks = pipeline.grounding.checks
    out = []
    for item in items:
        before = Counter(checks.fired)
        answer = pipeline.answer(item.question, item.history)
        fired = {k for k, v in checks.fired.items() if v > before[k]}
        shown = [f.split(":", 1)[0] for f in answer.findings]
        if answer.refusal_reason == "no_value":
            shown.append("no_value")
        out.append(Fired(score(item, answer, tok), fired, shown))
        advance()
    return out


def counts(runs: list[Fired]) -> dict[str, tuple[int, int]]:
    """Check -> (questions it fired for, questions whose final answer it changed)."""
    return {name: (sum(name in r.fired for r in runs), sum(name in r.shown for r in runs)) for name in CHECKS}


def effect(full: list[Row], off: list[Row]) -> dict[str, int]:
    """What turning a check off changed, over the same questions: answerable refused, right facts, unanswerable
    refused, fabricated-and-supported (after minus before)."""

    def tally(rows: list[Row]) -> dict[str, int]:
        return {
            "answerable_refused": sum(r.refused for r in rows if r.item.answerable),
            "right": sum(r.right for r in rows),
            "unanswerable_refused": sum(r.refused for r in rows if not r.item.answerable),
            "fabricated": sum(r.fabricated for r in rows),
        }

    before, after = tally(full), tally(off)
    return {k: after[k] - before[k] for k in before}


__all__ = ["CHECKS", "Fired", "counts", "effect", "run"]
