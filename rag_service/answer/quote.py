"""Quoting the sources: the extractive answer, and the quote a model's answer gets.

Both read the evidence sentences the decision measured (evidence.py, ranked by cosine plus the share of the
question's content words a sentence and its heading hold), so no sentence is scored twice; the quote then goes
through the same claim checks as the model's sentences.
"""

from __future__ import annotations

from collections.abc import Callable

from rag_service.answer import prompts
from rag_service.answer.evidence import Sentence


def quotable(sentences: list[Sentence], floor: float) -> list[Sentence]:
    """The ranked sentences whose cosine to the question reaches ``floor``."""
    return [s for s in sentences if s.cosine >= floor]


def extractive(sentences: list[Sentence], floor: float, holds: Callable[[str], bool], n: int = 3) -> str:
    """The no-LLM answer: the ``n`` best sentences that pass the claim checks (``holds``: a quote that names another
    model than the one asked about answers nothing), best first, each with its key, one per line (a lower-case note
    line after a space would parse as part of the sentence before it). Only the first ``n`` * 3 are tried."""
    lines = (f"{s.text.rstrip('.')}. [{s.n}]" for s in quotable(sentences, floor)[: 3 * n])
    best = [line for line in lines if holds(line)][:n]
    return "\n".join(best) if best else prompts.REFUSAL


def lead_quote(
    sentences: list[Sentence], floor: float, answer: str, tokenizer: Callable[[str], list[str]]
) -> str | None:
    """The best-matching source sentence with its key, when the answer does not already say it (two thirds of its
    content words): a small model often answers from the right section but the wrong line."""
    best = next(iter(quotable(sentences, floor)), None)
    if best is None:
        return None
    words = set(tokenizer(best.text))
    if not words or len(words & set(tokenizer(answer))) >= 2 / 3 * len(words):
        return None
    return prompts.LEAD_QUOTE.format(text=best.text.rstrip(" ."), n=str(best.n))
