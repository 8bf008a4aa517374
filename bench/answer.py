"""Answer benchmark: honest answers per backend. Prints figures, asserts nothing.

    python bench/answer.py --data-dir DIR [--llm local|extractive] [--answerable 16] [--unanswerable 40]
    python bench/answer.py --data-dir DIR --split dev --corpus notes --budgets 0,600,1000,1400

Per prompt budget (answer.prompt_chars: characters of source text the model reads; 0: whole contexts) one run, and
at the end a table of them: prompt tokens, time to first token, time to the first quoted line, quality.

Over the golden set's unanswerable questions (near misses: topic present, fact absent; and off-topic ones) and a
sample of its answerable ones: refused unanswerable, unanswerable answered with a number and a supported citation
(the fabrication the gate and the claim check exist to stop), false refusals, keyword correctness (half of the
reference answer's content words in the answer), gold source cited, prompt size, time to first token and total time.
With the local model it also measures the prefill rate (llama.cpp's own timings on a fresh ~1,000-token prompt) and
each prompt's token count (the server's /tokenize), and prints time to first token against prompt tokens / rate.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from eval.dataset import load_golden  # noqa: E402
from eval.groundedness import Entailment, Passage, citation_scores  # noqa: E402
from rag_service.answer.cite import clean_answer, drop_keys, strip_unknown_keys  # noqa: E402
from rag_service.answer.pipeline import AnswerPipeline  # noqa: E402
from rag_service.app import build_services  # noqa: E402
from rag_service.index.bm25 import Tokenizer  # noqa: E402
from rag_service.settings import Settings  # noqa: E402
from rag_service.text.numbers import numbers  # noqa: E402


def prefill_rate(address: str) -> float:
    """Prompt tokens per second of the local server on a prompt it has not seen (no cached prefix)."""
    import httpx

    text = " ".join(f"fact {i}: the value of item {i} is {i * 7 % 97}." for i in range(90))
    body = {"messages": [{"role": "user", "content": f"{time.time()} {text}"}], "max_tokens": 1}
    out = httpx.post(f"{address}/v1/chat/completions", json=body, timeout=300).json()
    return float(out["timings"]["prompt_per_second"])


def count_tokens(address: str, text: str) -> int:
    import httpx

    return len(httpx.post(f"{address}/tokenize", json={"content": text}, timeout=60).json()["tokens"])


def _set_of(tags: list[str]) -> str:
    """Which batch of the golden set a question belongs to (eval/data/build_golden.py)."""
    return next((t for t in tags if t.startswith("fresh")), "development")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--llm", default="local")
    ap.add_argument("--answerable", type=int, default=16)
    ap.add_argument("--unanswerable", type=int, default=40)
    ap.add_argument("--ids", help="only these question ids, comma-separated")
    ap.add_argument("--split", help="dev | report: the questions of that split (eval/answers.py) for --corpus")
    ap.add_argument("--corpus", default="notes", help="with --split: which corpus --data-dir holds (notes, jalammar)")
    ap.add_argument("--budgets", help="answer.prompt_chars values to compare, comma-separated (default: Settings')")
    ap.add_argument("--dump", type=Path, help="write one JSON line per question (answer, reference, contexts)")
    args = ap.parse_args()
    settings = Settings(data_dir=args.data_dir, llm=args.llm)
    t0 = time.perf_counter()
    services = build_services(settings)
    services.warm_up()
    print(f"backend {services.pipeline.backend}; loaded and warmed up in {time.perf_counter() - t0:.1f} s")
    local = services.llm.local if services.llm else None
    rate = prefill_rate(local.address) if local else None
    if rate:
        print(f"prefill rate {rate:.1f} tokens/s")
    if args.split:
        from eval.answers import corpus_of, split

        golden = [i for i in split(args.split) if corpus_of(i) == args.corpus]
    else:
        golden = load_golden()
    unans = [i for i in golden if not i.answerable][: args.unanswerable]
    ans = [i for i in golden if i.answerable and not i.history][: args.answerable]
    if args.ids:
        wanted = set(args.ids.split(","))
        unans, ans = (
            [i for i in golden if i.id in wanted and not i.answerable],
            [i for i in golden if i.id in wanted and i.answerable],
        )
    budgets = [int(b) for b in args.budgets.split(",")] if args.budgets else [settings.answer.prompt_chars]
    table = []
    for budget in budgets:
        tuned = settings.model_copy(update={"answer": settings.answer.model_copy(update={"prompt_chars": budget})})
        pipeline = AnswerPipeline(services.pipeline.retriever, tuned, services.llm)
        print(f"\n## answer.prompt_chars = {budget} (0: whole contexts)")
        rows = run_budget(pipeline, unans + ans, local, services, settings, args.dump, budget)
        table.append((budget, report(rows, rate)))
    if len(table) > 1:
        keys = list(table[0][1])
        print("\n| prompt_chars | " + " | ".join(keys) + " |")
        print("|---" * (len(keys) + 1) + "|")
        for budget, figures in table:
            print(f"| {budget} | " + " | ".join(str(figures.get(k, "")) for k in keys) + " |")


def run_budget(
    pipeline: AnswerPipeline,
    items: list,
    local: object,
    services: Any,
    settings: Settings,
    dump: Path | None,
    budget: int,
) -> list[dict]:
    """Every question through the streaming path; per question its figures (and a dump line)."""
    tok = Tokenizer()
    entails = Entailment(services.index.embedder, settings.answer.support_threshold)
    rows = []
    for item in items:
        t = time.perf_counter()
        first = quoted = None
        prompt_chars = prompt_tokens = 0
        answer = None
        prep_hits: list = []
        raw: list[str] = []
        for event in pipeline.stream(item.question, item.history):
            if event.kind == "sources":
                prep_hits = event.data
            elif event.kind == "quote":
                quoted = time.perf_counter() - t
            elif event.kind == "token":
                raw.append(event.data)
                first = first if first is not None else time.perf_counter() - t
            elif event.kind == "answer":
                answer = event.data
        assert answer is not None
        if first is not None and pipeline.llm is not None:  # the prompt the model read
            prompt = "\n".join(m.content or "" for m in pipeline.messages(pipeline.prepare(item.question, [])))
            prompt_chars = len(prompt)
            prompt_tokens = count_tokens(local.address, prompt) if local else 0  # type: ignore[attr-defined]
        total = time.perf_counter() - t
        passages = {n: Passage(h.chunk.text, h.chunk.source.type == "paper") for n, h in enumerate(prep_hits, start=1)}
        alce = {}
        if item.answerable and not answer.refused:
            labels = [h.chunk.source.label() for h in prep_hits]
            raw_text = strip_unknown_keys(clean_answer("".join(raw), labels), len(prep_hits))[0]
            for name, text in (("final", answer.answer), ("raw", raw_text)):
                scores = citation_scores(text, passages, entails, answer.question)
                if scores:
                    alce[name] = (scores.recall, scores.precision)
        ref_words = [w for w in dict.fromkeys(tok(item.reference_answer))]
        got = set(tok(answer.answer))
        rows.append(
            {
                "item": item,
                "refused": answer.refused,
                "reason": answer.refusal_reason,
                "fabricated": (not answer.refused)
                and bool(numbers(drop_keys(answer.answer)))  # a citation key is no number
                and any(c.supported for c in answer.citations),
                "keywords": bool(ref_words) and sum(w in got for w in ref_words) >= 0.5 * len(ref_words),
                "gold_cited": any(  # a citation merged from copies of a section links them all (also_in)
                    ref.matches(s) for c in answer.citations for s in [c.source, *c.also_in] for ref in item.contexts
                ),
                "ttft": first,
                "quote": quoted,
                "total": total,
                "prompt_chars": prompt_chars,
                "prompt_tokens": prompt_tokens,
                "generated": first is not None and services.pipeline.llm is not None,
                "text": answer.answer,
                "alce": alce,
            }
        )
        if dump:
            with dump.open("a") as fh:
                record = {
                    "id": item.id,
                    "prompt_chars_budget": budget,
                    "question": item.question,
                    "reference": item.reference_answer,
                    "gold": [c.model_dump() for c in item.contexts],
                    **{k: v for k, v in rows[-1].items() if k != "item"},
                    "citations": [c.model_dump(mode="json") for c in answer.citations],
                    "dropped": answer.dropped,
                    "raw": "".join(raw),
                    "contexts": [h.chunk.source.label() for h in prep_hits],
                }
                fh.write(json.dumps(record) + "\n")
        print(
            f"{item.id} refused={answer.refused!s:5} {answer.refusal_reason or '':15} {total:5.1f}s  "
            f"{answer.answer[:90]!r}"
        )
    return rows


def report(rows: list[dict], rate: float | None) -> dict[str, str]:
    """Print the figures of one run; return the headline ones for the per-budget table."""
    near = [r for r in rows if "near-miss" in r["item"].tags]
    other = [r for r in rows if not r["item"].answerable and "near-miss" not in r["item"].tags]
    good = [r for r in rows if r["item"].answerable]
    answered = [r for r in good if not r["refused"]]
    gen = [r for r in rows if r["generated"]]
    print("\n| measure | value |\n|---|---|")
    print(f"| near-miss unanswerable refused | {sum(r['refused'] for r in near)}/{len(near)} |")
    print(f"| other unanswerable refused | {sum(r['refused'] for r in other)}/{len(other)} |")
    unans_rows = near + other
    print(
        f"| unanswerable answered with a number + supported citation | "
        f"{sum(r['fabricated'] for r in unans_rows)}/{len(unans_rows)} |"
    )
    print(f"| answerable: false refusals | {sum(r['refused'] for r in good)}/{len(good)} |")
    print(f"| answerable: keywords right | {sum(r['keywords'] for r in good)}/{len(good)} |")
    print(f"| answerable: gold source cited | {sum(r['gold_cited'] for r in good)}/{len(good)} |")
    print(f"| answerable: why refused | {dict(Counter(r['reason'] for r in good if r['refused']))} |")
    if gen:
        print(f"| prompt chars p50 (≈ tokens × 3.7) | {statistics.median(r['prompt_chars'] for r in gen):.0f} |")
        print(
            f"| time to first token p50 / max | {statistics.median(r['ttft'] for r in gen):.1f} s / "
            f"{max(r['ttft'] for r in gen):.1f} s |"
        )
    if gen and rate:
        ratios = [r["ttft"] / (r["prompt_tokens"] / rate) for r in gen if r["prompt_tokens"]]
        print(f"| prompt tokens p50 | {statistics.median(r['prompt_tokens'] for r in gen):.0f} |")
        print(
            f"| time to first token / (prompt tokens / prefill rate), p50 / max | {statistics.median(ratios):.2f} / "
            f"{max(ratios):.2f} |"
        )
    for name, what in (("final", "answers shown"), ("raw", "model text before the claim check")):
        scored = [r["alce"][name] for r in answered if name in r["alce"]]
        if scored:
            rec, prec = (100 * statistics.fmean(x[i] for x in scored) for i in (0, 1))
            print(f"| ALCE citation recall / precision, {what} | {rec:.1f} / {prec:.1f} (n={len(scored)}) |")
    if answered:
        print(f"| total per answered question p50 | {statistics.median(r['total'] for r in answered):.1f} s |")
    sets = Counter(_set_of(r["item"].tags) for r in rows)
    if len(sets) > 1:  # the development questions apart from those written later to check that changes carry over
        print("\n| set | unanswerable refused | ... answered with a number + supported citation ", end="")
        print("| false refusals | keywords | gold cited |")
        print("|---|---|---|---|---|---|")
        for name in sets:
            part = [r for r in rows if _set_of(r["item"].tags) == name]
            un = [r for r in part if not r["item"].answerable]
            ok = [r for r in part if r["item"].answerable]
            print(
                f"| {name} | {sum(r['refused'] for r in un)}/{len(un)} | {sum(r['fabricated'] for r in un)}/{len(un)} "
                f"| {sum(r['refused'] for r in ok)}/{len(ok)} | {sum(r['keywords'] for r in ok)}/{len(ok)} "
                f"| {sum(r['gold_cited'] for r in ok)}/{len(ok)} |"
            )
    refused_fast = [r["total"] for r in unans_rows if r["refused"] and not r["generated"]]
    if refused_fast:
        print(f"| refusal before generation p50 | {statistics.median(refused_fast) * 1000:.0f} ms |")
    quoted = [r["quote"] for r in rows if r["quote"] is not None]

    def p50(key: str, values: list) -> str:
        return f"{statistics.median(values):.{0 if key == 'tokens' else 1}f}" if values else "-"

    return {
        "prompt tokens p50": p50("tokens", [r["prompt_tokens"] for r in gen if r["prompt_tokens"]]),
        "TTFT p50 s": p50("s", [r["ttft"] for r in gen]),
        "TTFT max s": f"{max(r['ttft'] for r in gen):.1f}" if gen else "-",
        "first quoted line p50 s": p50("s", quoted),
        "total p50 s": p50("s", [r["total"] for r in answered]),
        "false refusals": f"{sum(r['refused'] for r in good)}/{len(good)}",
        "right facts": f"{sum(r['keywords'] for r in good)}/{len(good)}",
        "gold cited": f"{sum(r['gold_cited'] for r in good)}/{len(good)}",
        "unanswerable refused": f"{sum(r['refused'] for r in unans_rows)}/{len(unans_rows)}",
        "fabricated": f"{sum(r['fabricated'] for r in unans_rows)}/{len(unans_rows)}",
    }


if __name__ == "__main__":
    main()
