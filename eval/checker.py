"""Measure the claim checker on labelled pairs: evidence sentences against the chunk that holds them (supported),
and the same sentences with a number or a name swapped (must become unsupported); and on SciFact's labelled claims
(SUPPORT against their rationale sentences; CONTRADICT, and claims paired with another claim's evidence, as
unsupported). SciFact's contradictions mostly negate or reverse a finding in the same words — what an NLI model is
for and a term check is not — so that figure marks the checker's limit, not its use in answers.

Two verdicts are compared: the similarity support score alone (``support >= threshold``, the check before issue 9)
and the full check (support and no claim problem: numbers, names, own-work claims cited to a paper).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from eval.dataset import GoldenItem
from rag_service.answer.cite import SupportChecker
from rag_service.answer.grounding import GroundingChecker
from rag_service.index.store import HybridIndex
from rag_service.text.names import specific_terms
from rag_service.text.numbers import numbers


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


def scifact_pairs(path: Path, seed: int = 0) -> list[tuple[str, str, bool, str]]:
    """(claim, rationale sentences, supported?, kind) from SciFact's claims_dev.jsonl, plus one not-enough-info pair
    per claim: the claim against the evidence of a claim about another abstract."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    rng = random.Random(seed)
    out = [(r["claim"], r["evidence"], r["label"] == "SUPPORT", r["label"].lower()) for r in rows]
    for claim_id in sorted({r["claim_id"] for r in rows}):
        mine = next(r for r in rows if r["claim_id"] == claim_id)
        other = rng.choice([r for r in rows if r["doc_id"] != mine["doc_id"]])
        out.append((mine["claim"], other["evidence"], False, "not enough info"))
    return out


def measure_checker(
    items: list[GoldenItem], index: HybridIndex, threshold: float, scifact: Path | None = None
) -> dict[str, Any]:
    """Precision / recall of 'supported' for the similarity score alone and for the full claim check, on the
    golden perturbation set and (given its claims file) on SciFact."""
    result = _measure(labelled_pairs(items, index), index, threshold, context_is_paper=True)
    if scifact is not None:
        result["scifact"] = _measure(scifact_pairs(scifact), index, threshold, context_is_paper=False)
    return result


def _measure(
    pairs: list[tuple[str, str, bool, str]], index: HybridIndex, threshold: float, context_is_paper: bool
) -> dict[str, Any]:
    support, grounding = SupportChecker(index.embedder), GroundingChecker(common=index.embedder.is_common_word)
    rows = []
    for sentence, context, label, kind in pairs:
        score = support.support(sentence, context).score
        problems = grounding.claim_problems(sentence, context, context_is_paper=context_is_paper)
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
