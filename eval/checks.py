"""Per-check firing counts and an ablation of the post-generation checks (rag_service/answer/checks.py) on a split.

A check that never fired for a question cannot change that question's answer when it is turned off, so the ablation
re-checks only the questions where the check fired (anywhere: re-citation, the quoted line, the final claim check)
and compares them with the full run. The checks run after generation, so a model's text is generated once per
question and replayed through the checks with one check off (a local-model ablation costs one generation pass).
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
    """One question: how it scored, the checks that fired while answering it, the checks its final answer shows,
    and what it was checked on (the prepared question and the model's raw text) for a replay."""

    row: Row
    fired: set[str] = field(default_factory=set)
    shown: list[str] = field(default_factory=list)  # checks that dropped a sentence or refused the answer
    prep: Any = None
    raw: str | None = None  # None: refused before generation


def _generate(pipeline: Any, prep: Any) -> str:
    """The raw answer text, as stream() generates it (the extractive backend quotes through the checks)."""
    if pipeline.llm is None:
        return str(pipeline.extractive(prep))
    return "".join(chunk.delta or "" for chunk in pipeline.llm.llm.stream_chat(pipeline.messages(prep)))


def _checked(pipeline: Any, item: GoldenItem, prep: Any, raw: str | None, tok: Tokenizer) -> Fired:
    """The question's answer from ``raw`` through ``pipeline``'s checks, with the checks that fired."""
    checks = pipeline.grounding.checks
    before = Counter(checks.fired)
    if raw is None:
        answer = pipeline._refusal(prep, prep.reason or "weak_evidence", {})
    else:
        answer = pipeline.finish(prep, raw, {})
    fired = {k for k, v in checks.fired.items() if v > before[k]}
    shown = [f.split(":", 1)[0] for f in answer.findings]
    if answer.refusal_reason == "no_value":
        shown.append("no_value")
    return Fired(score(item, answer, tok), fired, shown, prep, raw)


def run(pipeline: Any, items: Iterable[GoldenItem], advance: Callable[[], None] = lambda: None) -> list[Fired]:
    """Every question through the /v1/chat code path (prepare, generate, finish), with the checks that fired."""
    tok = Tokenizer()
    out = []
    for item in items:
        checks = pipeline.grounding.checks
        before = Counter(checks.fired)
        prep = pipeline.prepare(item.question, item.history)
        raw = None if prep.refused or not prep.hits else _generate(pipeline, prep)
        done = _checked(pipeline, item, prep, raw, tok)
        done.fired |= {k for k, v in checks.fired.items() if v > before[k]}  # the extractive quote's checks too
        out.append(done)
        advance()
    return out


def replay(pipeline: Any, items: list[GoldenItem], runs: list[Fired]) -> list[Fired]:
    """The same questions re-checked by ``pipeline`` (one check off): a model's text is replayed, the extractive
    backend quotes again (its choice of quote runs through the checks)."""
    tok = Tokenizer()
    return [
        _checked(
            pipeline,
            item,
            r.prep,
            _generate(pipeline, r.prep) if pipeline.llm is None and r.raw is not None else r.raw,
            tok,
        )
        for item, r in zip(items, runs, strict=True)
    ]


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
