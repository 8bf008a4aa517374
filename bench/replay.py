"""Replay recorded model text through the current checks: measures a post-processing change without the model.

    python bench/replay.py --data-dir DIR DUMP.jsonl [DUMP.jsonl ...]

DUMP is what `bench/answer.py --dump` wrote: per question its raw model text. Each question is retrieved again and
its recorded text goes through the current `finish()` (citation mapping, claim checks, refusal); a question the
gate now refuses before generation is refused. Prints, per batch of the golden set, the figures bench/answer.py
prints for them, and every question whose outcome changed from the recording. Asserts nothing.

bench/recordings/ holds recordings of the default local model (session 23, prompts of the code then: `0d6f60c`):
fresh16, every unanswerable golden question before fresh16 (219; 47 reached the model) and the 36 answerable of
fresh12..fresh14, slimmed to what replay reads. A retrieval change makes a replay measure contexts the model never
saw (its keys point elsewhere): re-record then.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from eval.dataset import load_golden  # noqa: E402
from rag_service.answer.cite import drop_keys  # noqa: E402
from rag_service.answer.pipeline import AnswerPipeline  # noqa: E402
from rag_service.app import build_services  # noqa: E402
from rag_service.index.bm25 import Tokenizer  # noqa: E402
from rag_service.settings import Settings  # noqa: E402
from rag_service.text.numbers import numbers  # noqa: E402


class _Recorded:
    """Stands in for the LLM handle so finish() takes the generated-answer path (its extractive fallback included);
    never called: the text comes from the recording."""

    name = "recorded"

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"replay does not generate ({name})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("dumps", nargs="+", type=Path)
    args = ap.parse_args()
    settings = Settings(data_dir=args.data_dir, llm="extractive")
    services = build_services(settings)
    pipeline = AnswerPipeline(services.pipeline.retriever, settings, _Recorded())  # type: ignore[arg-type]
    golden = {i.id: i for i in load_golden()}
    tok = Tokenizer()
    sets: dict[str, list[dict[str, bool]]] = defaultdict(list)
    for dump in args.dumps:
        for line in dump.read_text().splitlines():
            rec = json.loads(line)
            item = golden[rec["id"]]
            prep = pipeline.prepare(item.question, item.history)
            if prep.refused or not prep.hits:
                answer = pipeline._refusal(prep, prep.reason or "weak_evidence", {})
            else:
                answer = pipeline.finish(prep, rec["raw"], {})
            ref_words = list(dict.fromkeys(tok(item.reference_answer)))
            got = set(tok(answer.answer))
            row = {
                "answerable": item.answerable,
                "refused": answer.refused,
                "fabricated": not answer.refused
                and bool(numbers(drop_keys(answer.answer)))
                and any(c.supported for c in answer.citations),
                "keywords": bool(ref_words) and sum(w in got for w in ref_words) >= 0.5 * len(ref_words),
                "gold": any(
                    ref.matches(s) for c in answer.citations for s in [c.source, *c.also_in] for ref in item.contexts
                ),
            }
            name = next((t for t in item.tags if t.startswith("fresh")), "development")
            sets[name].append(row)
            was = (rec["refused"], rec.get("keywords"), rec.get("gold_cited"))
            now = (row["refused"], *((row["keywords"], row["gold"]) if item.answerable else (None, None)))
            if item.answerable and was != now or not item.answerable and rec["refused"] != row["refused"]:
                print(f"CHANGED {item.id} refused/keywords/gold {was} -> {now}: {answer.answer[:100]!r}")
    for name, rows in sets.items():
        un = [r for r in rows if not r["answerable"]]
        an = [r for r in rows if r["answerable"]]
        print(
            f"{name}: unanswerable refused {sum(r['refused'] for r in un)}/{len(un)}, "
            f"fabricated {sum(r['fabricated'] for r in un)} | "
            f"false refusals {sum(r['refused'] for r in an)}/{len(an)}, "
            f"keywords {sum(r['keywords'] for r in an)}/{len(an)}, gold {sum(r['gold'] for r in an)}/{len(an)}"
        )


if __name__ == "__main__":
    main()
