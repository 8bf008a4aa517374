"""Judge calibration on labelled claim/evidence pairs (SciFact claims_dev: SUPPORT vs CONTRADICT, plus unrelated
evidence we pair up): how often does a groundedness judge call a supported claim supported and the others not?"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rag_service.answer.cite import SupportChecker


def pairs(claims_file: Path, limit: int | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """Balanced pairs: SUPPORT (label 1), CONTRADICT (0), and NOT-ENOUGH-INFO (0) made by giving a claim the
    evidence of an unrelated claim (a different document)."""
    rows = [json.loads(line) for line in claims_file.read_text().splitlines() if line.strip()]
    rng = random.Random(seed)
    support = [r for r in rows if r["label"] == "SUPPORT"]
    contradict = [r for r in rows if r["label"] == "CONTRADICT"]
    out = [{"claim": r["claim"], "evidence": r["evidence"], "label": "SUPPORT", "gold": 1} for r in support]
    out += [{"claim": r["claim"], "evidence": r["evidence"], "label": "CONTRADICT", "gold": 0} for r in contradict]
    for r in rng.sample(support, k=min(len(support), len(contradict))):
        other = rng.choice([x for x in rows if x["doc_id"] != r["doc_id"]])
        out.append({"claim": r["claim"], "evidence": other["evidence"], "label": "UNRELATED", "gold": 0})
    rng.shuffle(out)
    if limit:
        per = max(1, limit // 3)
        out = [p for lab in ("SUPPORT", "CONTRADICT", "UNRELATED") for p in [x for x in out if x["label"] == lab][:per]]
    return out


def calibrate(
    items: list[dict[str, Any]],
    score: Callable[[str, str], float],
    threshold: float,
    advance: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Accuracy of ``score(claim, evidence) >= threshold`` against the labels, per label, with NaNs counted."""
    per: dict[str, list[int]] = {}
    nans = 0
    for it in items:
        s = score(it["claim"], it["evidence"])
        advance()
        if math.isnan(s):
            nans += 1
            continue
        per.setdefault(it["label"], []).append(int((s >= threshold) == bool(it["gold"])))
    total = [x for v in per.values() for x in v]
    return {
        "pairs": len(items),
        "nan": nans,
        "accuracy": round(sum(total) / len(total), 4) if total else None,
        "by_label": {k: round(sum(v) / len(v), 4) for k, v in sorted(per.items())},
        "threshold": threshold,
    }


def support_checker_score(checker: SupportChecker) -> Callable[[str, str], float]:
    """The answer service's own citation check (embedding similarity + word overlap) as a judge."""
    return lambda claim, evidence: checker.support(claim, evidence).score
