"""Source sentences ranked against a question: the extractive answer, and the quote a model's answer gets.

Written here rather than with a llama-index postprocessor: the ranking mixes the embedder's cosine with the
gate's own stemming (the share of the question's content words a sentence and its heading hold), and the quote
must go through the same claim checks as the model's sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag_service.answer.cite import SupportChecker, split_sentences
from rag_service.settings import AnswerSettings
from rag_service.types import ScoredChunk

_BULLET = re.compile(r"^[\s*#>\-\d.)]+")


@dataclass(frozen=True)
class Ranked:
    """A source sentence: its context key (1-based), text, and how well it matches the question."""

    n: int
    at: int  # order of appearance among the candidates (contexts in rank order, sentences in text order)
    text: str
    score: float  # cosine + weight x share of the question's content words held


class SentenceRanker:
    """Ranks the sentences of the top contexts for a question."""

    def __init__(
        self, checker: SupportChecker, tokenizer: Callable[[str], list[str]], settings: AnswerSettings
    ) -> None:
        self.checker = checker
        self.tokenizer = tokenizer
        self.settings = settings

    def ranked(self, question: str, hits: list[ScoredChunk], notes_only: bool = False) -> list[Ranked]:
        """The sentences of the top 4 contexts at or above the cosine floor, best first.

        Ranked by cosine plus the share of the question's content words (stems) the sentence or its section
        heading holds: the embedding alone ranks a sentence on the topic above the one holding the asked thing
        (golden set, 228 answerable questions the gate passes: keywords in the quoted sentences 156 -> 171;
        weight chosen on the development..fresh7 questions, 99 -> 108 of 145, and held on fresh8..fresh14,
        57 -> 63 of 83)."""
        candidates: list[tuple[int, str, str]] = []
        for n, hit in enumerate(hits[:4], start=1):
            if notes_only and hit.chunk.source.type != "note":
                continue
            heading = " ".join(hit.chunk.source.heading_path or [])
            for sent in split_sentences(hit.chunk.text):
                clean = _BULLET.sub("", sent).strip()
                if len(clean.split()) >= 4 and not clean.rstrip(" .").endswith("?"):  # a question answers nothing
                    candidates.append((n, clean, heading))
        if not candidates:
            return []
        vecs = self.checker.embed([question] + [c for _, c, _ in candidates])
        sims = vecs[1:] @ vecs[0]
        asked = set(self.tokenizer(question))
        share = np.array([len(asked & set(self.tokenizer(f"{c} {h}"))) / max(len(asked), 1) for _, c, h in candidates])
        score = sims + self.settings.extractive_lexical_weight * share
        floor = self.settings.extractive_min_similarity
        return [
            Ranked(candidates[i][0], int(i), candidates[i][1], float(score[i]))
            for i in np.argsort(-score)
            if sims[i] >= floor
        ]

    def lead_quote(self, question: str, hits: list[ScoredChunk], answer: str, personal: bool) -> str | None:
        """The best-matching source sentence, quoted with its key, when the answer does not already say it.

        The small model often answers from the right section but the wrong line (the "Best of N" bullet for
        "pick the best of several responses"); the line that matches the question best is then shown too. Only
        from the notes for a question about the user's own work (a paper's number would pass for theirs). Not
        added when two thirds of its content words are already in the answer."""
        if not self.settings.lead_quote:
            return None
        best = next(iter(self.ranked(question, hits, notes_only=personal)), None)
        if best is None:
            return None
        words = set(self.tokenizer(best.text))
        if not words or len(words & set(self.tokenizer(answer))) >= 2 / 3 * len(words):
            return None
        return f'In the source\'s words: "{best.text.rstrip(" .")}." [{best.n}]'
