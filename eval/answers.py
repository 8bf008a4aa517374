"""Answer quality per corpus and per kind of question, on a named split: what `notes-rag eval answers` prints.

Splits (the line between what is fitted and what is reported):
- ``dev``: fitted on. The golden set's development batches (before fresh12), the paraphrased twins of those questions,
  and the jalammar dev set (eval/data/jalammar_dev.jsonl).
- ``report``: never fitted on. Golden fresh12..fresh16 and their twins, and two sets written by helpers who saw only
  the corpus (not the code, the rules or any failure): notes_report.jsonl and jalammar_report.jsonl.

Per question: refused; right facts (half of the reference answer's content words in the answer); gold cited (a
citation is the reference's note section or paper page); fabricated-and-supported (an unanswerable question answered
with a number and a supported citation).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.dataset import GoldenItem, load_golden
from rag_service.answer.cite import drop_keys
from rag_service.index.bm25 import Tokenizer
from rag_service.text.numbers import numbers

DATA = Path(__file__).parent / "data"
_REPORT_BATCHES = {f"fresh{i}" for i in range(12, 17)}
UNANSWERABLE_KINDS = (
    "attribute-swap",
    "entity-swap",
    "false-presupposition",
    "personal-value-absent",
    "underspecified",
    "out-of-corpus",
)


def _batch(item: GoldenItem) -> str:
    return next((t for t in item.tags if t.startswith("fresh")), "development")


def corpus_of(item: GoldenItem) -> str:
    return "jalammar" if "jalammar" in item.tags else "notes"


def kind_of(item: GoldenItem) -> str:
    """direct / paraphrased for answerable questions; the unanswerable kind (golden: near-miss or off-topic)."""
    tags = set(item.tags)
    if item.answerable:
        return "paraphrased" if tags & {"paraphrased", "paraphrase"} else "direct"
    kind = next((k for k in UNANSWERABLE_KINDS if k in tags), None)
    return kind or ("near-miss" if "near-miss" in tags else "off-topic")


def split(name: str) -> list[GoldenItem]:
    """The questions of a named split (see the module docstring)."""
    if name not in ("dev", "report"):
        raise ValueError(f"unknown split {name!r}: dev or report")
    report = name == "report"
    golden = [i for i in load_golden(DATA / "golden.jsonl") if not i.history]
    items = [i for i in golden if (_batch(i) in _REPORT_BATCHES) == report]
    items += [i for i in load_golden(DATA / "golden_twins.jsonl") if (_batch(i) in _REPORT_BATCHES) == report]
    for path in ("notes_report.jsonl", "jalammar_report.jsonl") if report else ("jalammar_dev.jsonl",):
        if (DATA / path).exists():
            items += load_golden(DATA / path)
    return items


@dataclass
class Row:
    item: GoldenItem
    refused: bool
    reason: str | None
    right: bool
    gold_cited: bool
    fabricated: bool
    text: str
    extra: dict[str, Any] = field(default_factory=dict)
    speed: dict[str, float] = field(default_factory=dict)  # first_quote_ms, first_token_ms, total_ms, prompt_chars


def score(item: GoldenItem, answer: Any, tok: Tokenizer) -> Row:
    """One answered (or refused) question, scored."""
    ref_words = list(dict.fromkeys(tok(item.reference_answer)))
    got = set(tok(answer.answer))
    return Row(
        item=item,
        refused=answer.refused,
        reason=answer.refusal_reason,
        right=item.answerable
        and not answer.refused
        and bool(ref_words)
        and sum(w in got for w in ref_words) >= 0.5 * len(ref_words),
        gold_cited=any(
            ref.matches(s) for c in answer.citations for s in [c.source, *c.also_in] for ref in item.contexts
        ),
        fabricated=not item.answerable
        and not answer.refused
        and bool(numbers(drop_keys(answer.answer)))
        and any(c.supported for c in answer.citations),
        text=answer.answer,
        extra={"findings": answer.findings, "dropped": answer.dropped} if answer.findings else {},
        speed={k: v for k, v in answer.timings.items() if k in ("first_quote_ms", "first_token_ms", "total_ms")},
    )


def run(pipeline: Any, items: Iterable[GoldenItem], advance: Callable[[], None] = lambda: None) -> list[Row]:
    """Every question through the /v1/chat code path."""
    tok = Tokenizer()
    rows = []
    for item in items:
        rows.append(score(item, pipeline.answer(item.question, item.history), tok))
        if pipeline.llm is not None and "first_token_ms" in rows[-1].speed:  # the prompt the model read
            prep = pipeline.prepare(item.question, item.history)
            rows[-1].speed["prompt_chars"] = sum(len(m.content or "") for m in pipeline.messages(prep))
        advance()
    return rows


def speed(rows: list[Row]) -> dict[str, float]:
    """Medians over the generated answers: prompt characters, time to the first quoted line and to the first token."""
    import statistics

    gen = [r.speed for r in rows if "first_token_ms" in r.speed]
    out = {"generated": float(len(gen))}
    for key in ("prompt_chars", "first_quote_ms", "first_token_ms", "total_ms"):
        values = [g[key] for g in gen if key in g]
        if values:
            out[f"{key} p50"] = statistics.median(values)
            out[f"{key} max"] = max(values)
    return out


def summary(rows: list[Row]) -> list[dict[str, Any]]:
    """One line per (corpus, kind), answerable kinds first, then a total per corpus."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(corpus_of(r.item), kind_of(r.item))].append(r)
        groups[(corpus_of(r.item), "ALL answerable" if r.item.answerable else "ALL unanswerable")].append(r)
    out = []
    for (corpus, kind), part in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[1][0].item.answerable is False, kv[0][1])
    ):
        answerable = part[0].item.answerable
        out.append(
            {
                "corpus": corpus,
                "kind": kind,
                "n": len(part),
                "answerable": answerable,
                "refused": sum(r.refused for r in part),
                "right": sum(r.right for r in part) if answerable else None,
                "gold_cited": sum(r.gold_cited for r in part) if answerable else None,
                "fabricated": None if answerable else sum(r.fabricated for r in part),
            }
        )
    return out


def dump(rows: list[Row], path: Path) -> None:
    """One JSON line per question: what was answered and how it scored."""
    with path.open("w") as fh:
        for r in rows:
            fh.write(
                json.dumps(
                    {
                        "id": r.item.id,
                        "question": r.item.question,
                        "corpus": corpus_of(r.item),
                        "kind": kind_of(r.item),
                        "refused": r.refused,
                        "reason": r.reason,
                        "right": r.right,
                        "gold_cited": r.gold_cited,
                        "fabricated": r.fabricated,
                        "answer": r.text,
                        "reference": r.item.reference_answer,
                        **r.extra,
                        **r.speed,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
