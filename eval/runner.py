"""Eval runs: golden questions through the same AnswerPipeline as /v1/chat, scored per question and summarised."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from eval.dataset import GoldenItem
from eval.groundedness import Entailment, Passage, citation_scores
from eval.metrics import hit_at_k, mrr, ndcg_at_k, recall_at_k
from eval.triad import NON_LLM, TRIAD, Scorer
from rag_service.answer.cite import clean_answer, strip_unknown_keys
from rag_service.answer.pipeline import AnswerPipeline
from rag_service.app import Services
from rag_service.retrieval.hybrid import RetrievalConfig
from rag_service.types import Answer

CONFIGS: dict[str, RetrievalConfig] = {
    "bm25-only": RetrievalConfig(dense=False, link_expansion=False, rerank=False),
    "dense-only": RetrievalConfig(bm25=False, link_expansion=False, rerank=False),
    "hybrid": RetrievalConfig(link_expansion=False, rerank=False),
    "hybrid+rerank": RetrievalConfig(link_expansion=False, rerank=True),
    "hybrid+links": RetrievalConfig(link_expansion=True, rerank=False),
}
RETRIEVAL_KEYS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr", "ndcg@10", "recall@4", "recall@10", "covered@5")
BY_SOURCE_KEYS = ("hit@1", "hit@5", "hit@10", "mrr", "covered@5")


def _answer(pipeline: AnswerPipeline, item: GoldenItem, config: RetrievalConfig) -> tuple[Answer, list[Any], str]:
    """The answer, the contexts it was written from (the ``sources`` event) and the model's raw text."""
    shown: list[Any] = []
    tokens: list[str] = []
    for event in pipeline.stream(item.question, item.history, config=config):
        if event.kind == "sources":
            shown = event.data
        elif event.kind == "token":
            tokens.append(event.data)
        elif event.kind == "answer":
            return event.data, shown, "".join(tokens)
    raise RuntimeError("the answer stream ended without an answer")


def evaluate_item(
    item: GoldenItem,
    services: Services,
    config: RetrievalConfig,
    scorer: Scorer | None,
    entails: Entailment | None = None,
) -> dict[str, Any]:
    """One question: answer it, rank contexts, compute every metric."""
    pipeline = services.pipeline
    t0 = time.perf_counter()
    answer, shown, raw = _answer(pipeline, item, config)
    latency = (time.perf_counter() - t0) * 1000
    ranked = pipeline.retriever.retrieve(answer.question, k=10, config=config)
    hits = ranked.hits
    found = [
        {i for i, ref in enumerate(item.contexts) for src in [h.chunk.source, *h.also_in] if ref.matches(src)}
        for h in hits
    ]
    row: dict[str, Any] = {
        "id": item.id,
        "question": item.question,
        "standalone_question": answer.question,
        "tags": item.tags,
        "group": item.group,
        "answerable": item.answerable,
        "retrieved": [h.chunk.id for h in hits],
        "retrieved_sources": [h.chunk.source.label() for h in hits],
        "best_similarity": ranked.best_similarity,
        "answer": answer.answer,
        "refused": answer.refused,
        "refusal_reason": answer.refusal_reason,
        "citations": [c.model_dump(mode="json", exclude_none=True) for c in answer.citations],
        "latency_ms": round(latency, 1),
        "backend": answer.backend,
    }
    if item.answerable:
        rel = [bool(f) for f in found]
        # nDCG gains: a hit earns 1 only for a reference no earlier hit matched (a section split into several
        # chunks is one reference), so the ideal is min(#references, 10) ones and the score stays in [0, 1].
        gains: list[float] = []
        covered: set[int] = set()
        for f in found:
            gains.append(1.0 if f - covered else 0.0)
            covered |= f
        row.update(
            {
                "hit@1": hit_at_k(rel, 1),
                "hit@3": hit_at_k(rel, 3),
                "hit@5": hit_at_k(rel, 5),
                "hit@10": hit_at_k(rel, 10),
                "mrr": mrr(rel),
                "ndcg@10": ndcg_at_k(gains, 10, n_relevant=len(item.contexts)),
                "recall@4": recall_at_k(found, len(item.contexts), 4),
                "recall@10": recall_at_k(found, len(item.contexts), 10),
                # the evidence span is in one of the first 5 results' text (the passage the answer step sees)
                "covered@5": hit_at_k([item.covered_by(h.chunk.source, h.chunk.text) for h in hits], 5),
            }
        )
    row["refusal_correct"] = answer.refused == (not item.answerable)
    row["supported_share"] = (
        sum(c.supported for c in answer.citations) / len(answer.citations) if answer.citations else None
    )
    if item.answerable and not answer.refused and entails is not None:
        # the checker as the triad's groundedness, on the answer shown and on the model's own text before the claim
        # check dropped anything (what the filter buys)
        passages = {n: Passage(h.chunk.text, h.chunk.source.type == "paper") for n, h in enumerate(shown, start=1)}
        labels = [h.chunk.source.label() for h in shown]
        for name, text in (("", answer.answer), ("raw_", strip_unknown_keys(clean_answer(raw, labels), len(shown))[0])):
            scores = citation_scores(text, passages, entails, answer.question)
            row[f"{name}citation_recall"] = scores.recall if scores else None
            row[f"{name}citation_precision"] = scores.precision if scores else None
    if scorer is not None and item.answerable and not answer.refused:
        chunks = pipeline.retriever.index.get_chunks(c.chunk_id for c in answer.citations)
        contexts = [chunks[c.chunk_id].text for c in answer.citations if c.chunk_id in chunks] or [
            h.chunk.text for h in hits[:4]
        ]
        row.update(
            scorer.score(
                answer.question,
                answer.answer,
                contexts,
                item.reference_answer,
                reference_chunk_texts(item, pipeline.retriever.index),
            )
        )
    return row


def reference_chunk_texts(item: GoldenItem, index: Any) -> list[str]:
    """Texts of the indexed chunks that hold each reference (matching source and containing its snippet), so the
    ragas string-based context metrics compare like with like; the snippet itself when no chunk holds it."""
    out = []
    for ref in item.contexts:
        key = f"paper:{ref.paper_id}" if ref.type == "paper" else str(ref.file)
        chunks = [c for c in index.get_chunks(index.chunk_ids(key)).values() if ref.matches(c.source)]
        snippet = " ".join(ref.text.lower().split())
        holding = [c.text for c in chunks if snippet in " ".join(c.text.lower().split())]
        out += holding[:1] or [ref.text]
    return out


def run(
    items: list[GoldenItem],
    services: Services,
    config: RetrievalConfig,
    scorer: Scorer | None,
    advance: Callable[[], None] = lambda: None,
) -> list[dict[str, Any]]:
    rows = []
    entails = Entailment(services.pipeline.retriever.index.embedder, services.settings.answer.support_threshold)
    for item in items:
        rows.append(evaluate_item(item, services, config, scorer, entails))
        advance()
    return rows


def _mean(values: list[Any]) -> float | None:
    vals = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return round(statistics.fmean(vals), 4) if vals else None


def refusal_threshold(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The evidence threshold (best query similarity) that best separates answerable from unanswerable questions
    on this run (balanced accuracy) — the calibration behind answer.min_evidence."""
    pos = [r["best_similarity"] for r in rows if r["answerable"]]
    neg = [r["best_similarity"] for r in rows if not r["answerable"]]
    if not pos or not neg:
        return {}
    best = (0.0, 0.0)
    for t in sorted(set(pos + neg)):
        acc = 0.5 * (np.mean([p >= t for p in pos]) + np.mean([n < t for n in neg]))
        if acc > best[0]:
            best = (float(acc), float(t))
    return {"min_evidence": round(best[1], 4), "balanced_accuracy": round(best[0], 4)}


def summarize(rows: list[dict[str, Any]], config: str, judge: str, backend: str) -> dict[str, Any]:
    """Means per metric (answerable questions for retrieval and triad), refusal rates, NaN counts, latency."""
    ans = [r for r in rows if r["answerable"]]
    unans = [r for r in rows if not r["answerable"]]
    answered = [r for r in ans if not r["refused"]]
    summary: dict[str, Any] = {
        "config": config,
        "judge": judge,
        "backend": backend,
        "questions": len(rows),
        "answerable": len(ans),
        "unanswerable": len(unans),
    }
    for key in RETRIEVAL_KEYS:
        summary[key] = _mean([r[key] for r in ans])
    summary["refusal_accuracy_unanswerable"] = _mean([1.0 if r["refused"] else 0.0 for r in unans])
    summary["false_refusal_rate"] = _mean([1.0 if r["refused"] else 0.0 for r in ans])
    summary["citation_supported_share"] = _mean([r["supported_share"] for r in answered])
    # offline groundedness (the claim checker as ALCE's entailment judge), shown answers and raw model text
    for key in ("citation_recall", "citation_precision", "raw_citation_recall", "raw_citation_precision"):
        summary[key] = _mean([r.get(key) for r in answered])
    for key in (*TRIAD, *NON_LLM):
        vals = [r.get(key) for r in answered if key in r]
        if vals:
            summary[key] = _mean(vals)
            summary[f"{key}_nan"] = sum(1 for v in vals if v is None or math.isnan(v))
            summary[f"{key}_n"] = len(vals)
    lat = [r["latency_ms"] for r in rows]
    summary["latency_p50_ms"] = round(float(np.percentile(lat, 50)), 1) if lat else None
    summary["latency_p95_ms"] = round(float(np.percentile(lat, 95)), 1) if lat else None
    summary["refusal_calibration"] = refusal_threshold(rows)
    by_tag: dict[str, Any] = {}
    for tag in sorted({t for r in ans for t in r["tags"]}):
        tagged = [r for r in ans if tag in r["tags"]]
        by_tag[tag] = {
            "n": len(tagged),
            "hit@10": _mean([r["hit@10"] for r in tagged]),
            "mrr": _mean([r["mrr"] for r in tagged]),
        }
    summary["by_tag"] = by_tag
    # notes and papers questions apart: one can regress while the other hides it in the mean
    summary["by_source"] = {
        group: {"n": len(rows_g), **{k: _mean([r[k] for r in rows_g]) for k in BY_SOURCE_KEYS}}
        for group in ("notes", "papers")
        if (rows_g := [r for r in ans if r.get("group", "notes") == group])
    }
    return summary
