"""Quoting the sources: the excerpts a model reads, the extractive answer, and the quote a model's answer gets.

All read the evidence sentences the decision measured (evidence.py, ranked by cosine plus the share of the
question's content words a sentence and its heading hold), so no sentence is scored twice; the quote then goes
through the same claim checks as the model's sentences.
"""

from __future__ import annotations

from collections.abc import Callable

from rag_service.answer import prompts
from rag_service.answer.evidence import Sentence
from rag_service.text.regions import LIST_MARKER


def quotable(sentences: list[Sentence], floor: float) -> list[Sentence]:
    """The ranked sentences whose cosine to the question reaches ``floor``."""
    return [s for s in sentences if s.cosine >= floor]


def extractive(sentences: list[Sentence], floor: float, holds: Callable[[str], bool], n: int = 3) -> str:
    """The no-LLM answer: the ``n`` best sentences that pass the claim checks (``holds``: a quote that names another
    model than the one asked about answers nothing), best first, each with its key, one per line (a lower-case note
    line after a space would parse as part of the sentence before it). Only the first ``n`` * 3 are tried."""
    best: list[str] = []
    quoted: set[tuple[int, int]] = set()  # (context, place) of every line quoted so far, items included
    for s in quotable(sentences, floor)[: 3 * n]:
        places = {(s.n, s.i), *((s.n, k) for k, _ in s.introduces)}
        if len(best) < n and not places & quoted and holds(text := line(s)):  # no line is quoted twice
            best.append(text)
            quoted |= places
    return "\n".join(best) if best else prompts.REFUSAL


def line(s: Sentence) -> str:
    """A quoted sentence as an answer line, with its key."""
    return f"{s.quoted.rstrip('.')}. [{s.n}]"


def first(sentences: list[Sentence], floor: float, holds: Callable[[str], bool], tries: int = 3) -> Sentence | None:
    """The best-ranked quotable sentence that passes the claim checks (of the first ``tries``): the line a reader
    gets before the model's answer, and under it when the answer does not say it."""
    return next((s for s in quotable(sentences, floor)[:tries] if holds(line(s))), None)


def lead_line(lead: Sentence, answer: str, tokenizer: Callable[[str], list[str]]) -> str | None:
    """The quote under a model's answer, unless the answer already says it (two thirds of its content words): a small
    model often answers from the right section but the wrong line."""
    words = set(tokenizer(lead.text))  # the line itself: its items elaborate what it says
    if not words or len(words & set(tokenizer(answer))) >= 2 / 3 * len(words):
        return None
    return prompts.LEAD_QUOTE.format(text=lead.quoted.rstrip(" ."), n=str(lead.n))


def excerpts(sentences: list[Sentence], budget: int) -> dict[int, str]:
    """Context key -> the sentences of that context the prompt carries: the best-ranked first until ``budget``
    characters are spent (a table row with its header row, a nested bullet with its parent bullet, a line with what
    it introduces), each context's in reading order, "..." where text was left out. The model answers from one or two
    sentences; the prefill of the rest is what a reader waits for (bench/answer.py measures the budget against answer
    quality)."""
    chosen: dict[int, dict[float, str]] = {}  # key -> place in reading order -> line
    spent = 0
    for s in sentences:
        parent = _parent(s)
        lines = chosen.setdefault(s.n, {})
        new: dict[float, str] = {s.i: s.text, **dict(s.introduces)}
        if parent and parent not in lines.values():
            new[s.i - 0.5] = parent  # just above the sentence
        cost = sum(len(text) for i, text in new.items() if i not in lines)
        if spent + cost > budget and spent:
            if not lines:
                del chosen[s.n]
            continue  # a shorter sentence further down may still fit
        lines.update(new)
        spent += cost
    out: dict[int, str] = {}
    for n, lines in sorted(chosen.items()):
        keys = sorted(lines)
        parts = [lines[keys[0]]]
        for a, b in zip(keys, keys[1:], strict=False):
            parts.append(lines[b] if b - a <= 1 else f"... {lines[b]}")
        out[n] = "\n".join(parts)
    return out


def _parent(s: Sentence) -> str:
    """The line a sentence means nothing without: its table's header row, or the bullet it is nested under."""
    for line in reversed(s.frame.splitlines()):
        line = line.strip()
        if line.startswith("|"):
            return line[:200]
        if LIST_MARKER.match(line) and not s.text.startswith("|"):
            return LIST_MARKER.sub("", line)[:200]  # as the sentence itself is written when it is chosen too
    return ""
