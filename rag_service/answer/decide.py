"""One answerability decision: a logistic model over the evidence signals (evidence.SIGNALS), weights and threshold
fitted by `notes-rag eval fit` on a named development split and kept in Settings (answer.decision).

No signal vetoes on its own: a question worded unlike the notes loses some lexical coverage but keeps its sentence
cosine and its soft word matches, and a near miss (topic present, the asked attribute absent) keeps its cosine but
loses its weakest word; the fitted weights say how much each counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rag_service.answer.evidence import SIGNALS, Evidence
from rag_service.settings import DecisionSettings


@dataclass(frozen=True)
class Decision:
    """Answer or refuse, with the probability and the evidence it was decided on."""

    answerable: bool
    probability: float
    reason: str | None  # weak_evidence (topic absent) | not_in_sources (topic present, the asked fact absent)
    evidence: Evidence


def probability(signals: dict[str, float], settings: DecisionSettings) -> float:
    """P(answerable) under the fitted logistic model."""
    z = settings.bias + sum(settings.weights.get(name, 0.0) * signals[name] for name in SIGNALS)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def decide(evidence: Evidence, settings: DecisionSettings, min_topic: float) -> Decision:
    """The decision; a refusal says weak_evidence when no chunk, passage or sentence reaches ``min_topic``."""
    p = probability(evidence.signals, settings)
    if p >= settings.threshold:
        return Decision(True, p, None, evidence)
    s = evidence.signals
    topical = max(s["chunk_cos"], s["passage_cos"], s["sent_cos"]) >= min_topic
    return Decision(False, p, "not_in_sources" if topical else "weak_evidence", evidence)
