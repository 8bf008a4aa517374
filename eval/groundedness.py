"""Offline groundedness: ALCE-style citation recall and precision (Gao et al. 2023) with the claim checker standing in
for ALCE's NLI model (TRUE T5-11B; none ships offline).

A statement is *entailed* by a passage when the support score (embedding + word overlap) reaches the threshold and
the claim check finds nothing the passage lacks (numbers, names, own-work claims backed only by papers).

- citation recall, per answer: the share of its statements that cite something and are entailed by the
  concatenation of what they cite;
- citation precision, per answer: the share of its citations that are needed — a citation is irrelevant when it
  alone does not entail its statement and the statement's other citations still do (ALCE's definition: only for
  statements with several citations; a statement that is not entailed makes all its citations count as wrong).

These are the triad's groundedness numbers on every eval run: the 1.5B judge is not trustworthy as a ragas judge.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag_service.answer.cite import SupportChecker, cited_sentences
from rag_service.answer.grounding import GroundingChecker
from rag_service.answer.verify import Verifier
from rag_service.index.embedder import Embedder


@dataclass
class Passage:
    text: str
    is_paper: bool


class Entailment:
    """The checker's verdict on 'these passages say this sentence'."""

    def __init__(self, embedder: Embedder, threshold: float) -> None:
        # the answer step's own definition, so eval judges with exactly what the service checks
        self.verifier = Verifier(SupportChecker(embedder), GroundingChecker(common=embedder.is_common_word), threshold)

    def __call__(self, sentence: str, passages: list[Passage], question: str = "") -> bool:
        if not passages:
            return False
        joint = "\n".join(p.text for p in passages)
        return self.verifier.entails(sentence, joint, all(p.is_paper for p in passages), question)


@dataclass
class CitationScores:
    recall: float
    precision: float
    statements: int
    citations: int


def citation_scores(
    answer: str, passages: dict[int, Passage], entails: Entailment, question: str = ""
) -> CitationScores | None:
    """ALCE citation recall / precision of one answer whose ``[n]`` keys index ``passages``; None without statements.
    Fragments under three words (list numbers, "Step 1:") are not statements."""
    statements = [s for s in cited_sentences(answer) if len(s.text.split()) >= 3]
    if not statements:
        return None
    entailed = precise = total = 0
    for s in statements:
        keys = [k for k in dict.fromkeys(s.keys) if k in passages]
        joint = bool(keys) and entails(s.text, [passages[k] for k in keys], question)
        entailed += joint
        total += len(keys)
        if not joint:
            continue
        if len(keys) == 1:
            precise += 1
            continue
        for k in keys:
            alone = entails(s.text, [passages[k]], question)
            rest = [passages[o] for o in keys if o != k]
            precise += alone or not entails(s.text, rest, question)
    return CitationScores(
        recall=entailed / len(statements),
        precision=precise / total if total else 0.0,
        statements=len(statements),
        citations=total,
    )
