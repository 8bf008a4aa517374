"""Eval: metric functions by hand, the golden set's schema and references, a complete report run, BEIR and
judge calibration on real SciFact data."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from eval.calibrate import calibrate, pairs, support_checker_score
from eval.dataset import PAPERS_QA, DatasetError, load_golden, load_sets, verify_references
from eval.metrics import hit_at_k, mrr, ndcg_at_k, recall_at_k
from eval.report import write_report
from eval.runner import run, summarize
from eval.triad import Scorer, make_judge
from rag_service.answer.cite import SupportChecker
from rag_service.app import build_services
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import RetrievalConfig
from tests.conftest import NOTES, PAPERS, SCIFACT


def test_metrics_by_hand() -> None:
    ranking = [False, True, False, True]
    assert hit_at_k(ranking, 1) == 0.0 and hit_at_k(ranking, 2) == 1.0
    assert mrr(ranking) == 0.5 and mrr([False, False]) == 0.0
    # DCG = 1/log2(3) + 1/log2(5); ideal with 2 relevant = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k([0, 1, 0, 1], 10, n_relevant=2) == pytest.approx(expected)
    assert ndcg_at_k([1, 0, 0], 10, n_relevant=1) == 1.0
    assert ndcg_at_k([0, 0, 0, 1], 3, n_relevant=1) == 0.0
    assert ndcg_at_k([2, 0, 1], 3) == pytest.approx((2 + 1 / 2) / (2 + 1 / math.log2(3)))
    assert recall_at_k([set(), {0}, {0, 1}], 3, 2) == pytest.approx(1 / 3)
    assert recall_at_k([set(), {0}, {0, 1}], 3, 3) == pytest.approx(2 / 3)


def test_golden_set_shape_and_references() -> None:
    items = load_golden()
    assert len(items) >= 60
    assert sum(not i.answerable for i in items) >= 8
    assert sum(any(c.type == "paper" for c in i.contexts) for i in items) >= 15
    assert any(i.history for i in items) and any("paraphrase" in i.tags for i in items)
    assert verify_references(items, NOTES, PAPERS) == [], "every reference snippet is verbatim in its source"


@pytest.mark.slow  # a long run: the second CI step (README, development)
def test_paper_qa_set_spans_are_verbatim_on_their_pages() -> None:
    items = load_golden(PAPERS_QA)
    assert len(items) >= 80 and all(i.group == "papers" and i.answerable for i in items)
    assert {c.paper_id for i in items for c in i.contexts} == {
        "1701.06538",
        "1706.03762",
        "2101.03961",
        "2106.09685",
        "2203.02155",
        "2210.03629",
        "2305.18290",
    }
    assert verify_references(items, NOTES, PAPERS) == [], "every evidence span is verbatim on its page"
    assert len(load_sets()) == len(items) + len(load_golden())


def test_bad_golden_line_names_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    good = json.loads((Path(__file__).parents[1] / "eval/data/golden.jsonl").read_text().splitlines()[0])
    bad.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "x", "answerable": "maybe"}) + "\n")
    with pytest.raises(DatasetError, match=r"g\.jsonl:2: answerable"):
        load_golden(bad)
    bad.write_text(json.dumps({**good, "contexts": []}) + "\n")
    with pytest.raises(DatasetError, match="g.jsonl:1"):
        load_golden(bad)


def test_run_writes_a_complete_report(full_index: HybridIndex, tmp_path: Path) -> None:
    """3 questions (2 answerable, 1 not), extractive backend, the deterministic stand-in judge."""
    golden = load_golden()
    items = [golden[18], next(i for i in golden if "paper" in i.tags), next(i for i in golden if not i.answerable)]
    items.append(load_golden(PAPERS_QA)[12])  # a question of the paper QA set
    settings = full_index.settings.model_copy(update={"llm": "extractive"})
    services = build_services(settings, index=full_index)
    judge = make_judge("standin", settings)
    rows = run(items, services, RetrievalConfig(), Scorer(judge, full_index.embedder))
    summary = summarize(rows, "default", judge.name, services.pipeline.backend)
    out = write_report(tmp_path / "report", [summary], rows)
    assert {p.name for p in out.iterdir()} >= {
        "results.jsonl",
        "summary.json",
        "report.md",
        "report.html",
        "metrics.png",
        "heatmap.png",
        "latency.png",
    }
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert [x["id"] for x in lines] == [i.id for i in items]
    assert all({"retrieved", "answer", "citations", "latency_ms"} <= set(x) for x in lines)
    assert lines[0]["hit@10"] == 1.0 and "faithfulness" in lines[0] and "rouge_l" in lines[0]
    data = json.loads((out / "summary.json").read_text())
    assert data["judge"].startswith("deterministic stand-in") and data["refusal_accuracy_unanswerable"] == 1.0
    assert "stand-in" in (out / "report.md").read_text()
    by = data["by_source"]  # notes and papers questions reported apart
    assert set(by) == {"notes", "papers"} and by["notes"]["n"] == 1 and by["papers"]["n"] == 2
    assert set(by["papers"]) >= {"hit@1", "hit@5", "hit@10", "mrr", "covered@5"}
    assert lines[3]["group"] == "papers" and lines[3]["hit@5"] in (0.0, 1.0)
    # the offline groundedness (claim checker as ALCE's judge) is on every run, per answer and in the summary
    answered = [x for x in lines if x["answerable"] and not x["refused"]]
    assert answered and all(0.0 <= x["citation_recall"] <= 1.0 for x in answered)
    assert data["citation_recall"] is not None and data["raw_citation_precision"] is not None
    assert "ALCE" in (out / "report.md").read_text()


@pytest.fixture(scope="module")
def scifact_subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 25 SciFact test queries, their relevant abstracts and 300 others: a real, small BEIR folder."""
    folder = tmp_path_factory.mktemp("scifact-small")
    (folder / "qrels").mkdir()
    qrels = (SCIFACT / "qrels" / "test.tsv").read_text().splitlines()
    rows = qrels[1:]
    qids = list(dict.fromkeys(r.split("\t")[0] for r in rows))[:25]
    kept = [r for r in rows if r.split("\t")[0] in qids]
    (folder / "qrels" / "test.tsv").write_text("\n".join([qrels[0], *kept]) + "\n")
    train = (SCIFACT / "qrels" / "train.tsv").read_text().splitlines()
    train_qids = list(dict.fromkeys(r.split("\t")[0] for r in train[1:]))[:20]
    train_kept = [r for r in train[1:] if r.split("\t")[0] in train_qids]
    (folder / "qrels" / "train.tsv").write_text("\n".join([train[0], *train_kept]) + "\n")
    wanted = {r.split("\t")[1] for r in kept + train_kept}
    corpus = [json.loads(x) for x in (SCIFACT / "corpus.jsonl").read_text().splitlines()]
    docs = [d for d in corpus if d["_id"] in wanted] + [d for d in corpus if d["_id"] not in wanted][:300]
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    qids += train_qids
    queries = [x for x in (SCIFACT / "queries.jsonl").read_text().splitlines() if json.loads(x)["_id"] in qids]
    (folder / "queries.jsonl").write_text("\n".join(queries) + "\n")
    return folder


@pytest.mark.slow  # a long run: the second CI step (README, development)
def test_beir_on_a_scifact_subset(scifact_subset: Path, tmp_path: Path, embedder: Embedder) -> None:
    from eval.beir import evaluate
    from tests.conftest import make_settings

    results = evaluate(scifact_subset, make_settings(tmp_path), embedder)
    assert set(results) == {"bm25", "dense", "hybrid", "hybrid+passages"}  # no rerank model configured
    for r in results.values():
        assert 0.3 < r["ndcg@10"] <= 1 and 0.5 < r["recall@100"] <= 1
    again = evaluate(scifact_subset, make_settings(tmp_path), embedder, configs=["bm25"])
    assert again["bm25"] == results["bm25"], "the index is reused and results are deterministic"
    tuned = evaluate(scifact_subset, make_settings(tmp_path), embedder, configs=["hybrid"], tune=True)
    from eval.beir import GRID

    assert (
        tuned["hybrid-tuned"]["bm25_weight"],
        tuned["hybrid-tuned"]["dense_weight"],
        tuned["hybrid-tuned"]["rrf_k"],
    ) in GRID
    assert 0.3 < tuned["hybrid-tuned"]["ndcg@10"] <= 1


def test_support_check_calibration_on_scifact(embedder: Embedder) -> None:
    items = pairs(SCIFACT / "claims_dev.jsonl", limit=30)
    assert {i["label"] for i in items} == {"SUPPORT", "CONTRADICT", "UNRELATED"}
    result = calibrate(items, support_checker_score(SupportChecker(embedder)), 0.45)
    assert result["pairs"] == 30 and result["nan"] == 0
    assert set(result["by_label"]) == {"SUPPORT", "CONTRADICT", "UNRELATED"}
    # unrelated evidence must mostly fail the support check; contradictions are beyond a similarity check
    assert result["by_label"]["UNRELATED"] >= 0.8


@pytest.mark.slow
@pytest.mark.judge
def test_real_ragas_faithfulness_with_the_local_judge(full_index: HybridIndex) -> None:
    """Two samples through ragas Faithfulness with the packaged local model as judge."""
    import asyncio

    from ragas import SingleTurnSample

    settings = full_index.settings.model_copy(update={"llm": "local"})
    judge = make_judge("local", settings)
    faith = Scorer(judge, full_index.embedder).llm_metrics["faithfulness"]
    ctx = "LoRA reduces the number of trainable parameters by 10,000 times and GPU memory by 3 times."
    good = asyncio.run(
        faith.single_turn_ascore(
            SingleTurnSample(
                user_input="What does LoRA reduce?",
                response="LoRA reduces GPU memory by 3 times.",
                retrieved_contexts=[ctx],
            )
        )
    )
    bad = asyncio.run(
        faith.single_turn_ascore(
            SingleTurnSample(
                user_input="What does LoRA reduce?",
                response="LoRA was invented in 1995 by IBM.",
                retrieved_contexts=[ctx],
            )
        )
    )
    scores = [x for x in (good, bad) if not math.isnan(x)]
    assert scores, "the judge produced no score at all (both NaN)"
    assert all(0 <= x <= 1 for x in scores)
    print(f"ragas faithfulness with {judge.name}: faithful={good} unfaithful={bad}")


def test_alce_citation_recall_and_precision_with_the_claim_checker(embedder) -> None:  # type: ignore[no-untyped-def]
    from eval.groundedness import Entailment, Passage, citation_scores

    entails = Entailment(embedder, threshold=0.45)
    dpo = Passage("DPO training tips: lower the learning rate (5e-7) and increase beta.", is_paper=False)
    moe = Passage("Switch Transformers route each token to a single expert.", is_paper=True)
    passages = {1: dpo, 2: moe}
    good = citation_scores("Lower the learning rate to 5e-7 for DPO [1].", passages, entails)
    assert good is not None and (good.recall, good.precision) == (1.0, 1.0)
    # an extra citation that adds nothing is imprecise; the statement itself is still recalled
    over = citation_scores("Lower the learning rate to 5e-7 for DPO [1][2].", passages, entails)
    assert over is not None and (over.recall, over.precision) == (1.0, 0.5)
    # a fabricated number: not entailed, so neither recalled nor a precise citation; an uncited statement counts too
    bad = citation_scores(
        "Lower the learning rate to 3e-5 for DPO [1]. Switch routes tokens to one expert.", passages, entails
    )
    assert bad is not None and (bad.recall, bad.precision, bad.statements, bad.citations) == (0.0, 0.0, 2, 1)
