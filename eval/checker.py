"""Measure the claim checker on labelled pairs: evidence sentences against the chunk that holds them (supported),
and the same sentences with a number or a name swapped (must become unsupported).

Two verdicts are compared: the similarity support score alone (``support >= threshold``, the check before issue 9)
and the full check (support and no claim problem: numbers, names, own-work claims cited to a paper).
"""

from __future__ import annotations

import random
import re
from typing import Any

from eval.dataset import GoldenItem
from rag_service.answer.cite import SupportChecker
from rag_service.answer.grounding import GroundingChecker, numbers, specific_terms
from rag_service.index.store import HybridIndex


def _swap_number(sentence: str, rng: random.Random) -> str | None:
    found = list(re.finditer(r"(?<![\w.])\d+(?:\.\d+)?", sentence))
    if not found:
        return None
    m = rng.choice(found)
    value = m.group()
    new = str(int(value) * 2 + 3) if value.isdigit() else f"{float(value) * 2 + 0.3:.2f}"
    return sentence[: m.start()] + new + sentence[m.end() :]


def _swap_name(sentence: str, context: str, pool: list[str], rng: random.Random) -> str | None:
    names = [t for t in specific_terms(sentence) if not any(c.isdigit() for c in t)]
    others = [p for p in pool if p.lower() not in context.lower() and p not in names]
    if not names or not others:
        return None
    return sentence.replace(names[0], rng.choice(others), 1)


def labelled_pairs(items: list[GoldenItem], index: HybridIndex, seed: int = 0) -> list[tuple[str, str, bool, str]]:
    """(sentence, context, supported?, kind) from the paper QA evidence spans and their perturbations."""
    rng = random.Random(seed)
    pool = sorted({t for i in items for c in i.contexts for t in specific_terms(c.text) if t.isalpha()})
    out: list[tuple[str, str, bool, str]] = []
    for item in items:
        ref = item.contexts[0]
        chunks = index.get_chunks(index.chunk_ids(f"paper:{ref.paper_id}")).values()
        holding = [c for c in chunks if item.covered_by(c.source, c.text)]
        if not holding:
            continue
        context, sentence = holding[0].text, ref.text
        out.append((sentence, context, True, "original"))
        if (num := _swap_number(sentence, rng)) and numbers(num) - numbers(context):
            out.append((num, context, False, "number swapped"))
        if name := _swap_name(sentence, context, pool, rng):
            out.append((name, context, False, "name swapped"))
    return out


def measure_checker(items: list[GoldenItem], index: HybridIndex, threshold: float) -> dict[str, Any]:
    """Precision / recall of 'supported' for the similarity score alone and for the full claim check."""
    support, grounding = SupportChecker(index.embedder), GroundingChecker()
    pairs = labelled_pairs(items, index)
    rows = []
    for sentence, context, label, kind in pairs:
        score = support.support(sentence, context).score
        problems = grounding.claim_problems(sentence, context, context_is_paper=True)
        rows.append((label, kind, score >= threshold, score >= threshold and not problems))
    result: dict[str, Any] = {"pairs": len(rows), "by_kind": {}}
    for name, col in (("similarity_only", 2), ("claim_check", 3)):
        tp = sum(1 for r in rows if r[0] and r[col])
        fp = sum(1 for r in rows if not r[0] and r[col])
        fn = sum(1 for r in rows if r[0] and not r[col])
        result[name] = {
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        }
    for kind in sorted({r[1] for r in rows}):
        sel = [r for r in rows if r[1] == kind]
        result["by_kind"][kind] = {
            "n": len(sel),
            "similarity_only_says_supported": sum(r[2] for r in sel),
            "claim_check_says_supported": sum(r[3] for r in sel),
        }
    return result
