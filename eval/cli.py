"""`notes-rag eval ...`: offline evaluation runs over the same services as the API."""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rag_service.cli_common import DataDir, bar, console, make_settings
from rag_service.settings import Settings

app = typer.Typer(
    help="Offline evaluation runs: golden questions, BEIR SciFact, the claim checker.", no_args_is_help=True
)
Judge = Annotated[str, typer.Option(help="none | standin | local | openai (LLM judge for the RAG triad).")]


def _eval_setup(
    data_dir: Path | None, llm: str | None, judge: str, dataset: list[Path] | None, limit: int | None
) -> Any:
    from eval.dataset import load_sets
    from eval.triad import Scorer, make_judge
    from rag_service.app import build_services

    settings = make_settings(data_dir, llm=llm)
    items = load_sets(dataset)[: limit or None]
    with console.status(f"loading index, {settings.llm} backend and judge ({judge})"):
        services = build_services(settings)
        if services.index.count() == 0:
            console.print("[red]error:[/red] the index is empty: run `notes-rag ingest` first")
            raise typer.Exit(1)
        judge_obj = make_judge(judge, settings)
        scorer = Scorer(judge_obj, services.index.embedder)
    return settings, items, services, judge_obj, scorer


def _out_dir(settings: Settings, out: Path | None, config: str) -> Path:
    import datetime as dt

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return out or settings.data_dir / "eval-reports" / f"{stamp}-{config}"


@app.command("run")
def eval_run(
    dataset: Annotated[
        list[Path] | None, typer.Option(help="Golden JSONL, repeatable (default: the notes and paper QA sets).")
    ] = None,
    config: Annotated[str, typer.Option(help="Retrieval config: default or one of `eval compare`'s.")] = "default",
    judge: Judge = "none",
    limit: Annotated[int | None, typer.Option(help="First N questions only.")] = None,
    out: Annotated[Path | None, typer.Option(help="Report folder.")] = None,
    data_dir: DataDir = None,
    llm: Annotated[str | None, typer.Option(help="Answer backend: local | openai | extractive.")] = None,
) -> None:
    """Run the golden questions through the /v1/chat code path and write a report folder."""
    from eval.report import write_report
    from eval.runner import CONFIGS, run, summarize
    from rag_service.retrieval.hybrid import RetrievalConfig

    settings, items, services, judge_obj, scorer = _eval_setup(data_dir, llm, judge, dataset, limit)
    cfg = RetrievalConfig(link_expansion=settings.retrieval.link_expansion) if config == "default" else CONFIGS[config]
    with bar() as progress:
        task = progress.add_task(f"questions ({config})", total=len(items))
        rows = run(items, services, cfg, scorer, partial(progress.advance, task))
    summary = summarize(rows, config, judge_obj.name, services.pipeline.backend)
    folder = write_report(_out_dir(settings, out, config), [summary], rows)
    services.close()
    typer.echo(json.dumps(summary, indent=2))
    typer.echo(f"report: {folder / 'report.html'}")


@app.command("compare")
def eval_compare(
    dataset: Annotated[list[Path] | None, typer.Option(help="Golden JSONL, repeatable (default: both sets).")] = None,
    judge: Judge = "none",
    limit: Annotated[int | None, typer.Option(help="First N questions only.")] = None,
    out: Annotated[Path | None, typer.Option(help="Report folder.")] = None,
    data_dir: DataDir = None,
    llm: Annotated[str | None, typer.Option(help="Answer backend.")] = "extractive",
) -> None:
    """bm25-only, dense-only, hybrid, hybrid+rerank (when a rerank model is set), hybrid+links side by side."""
    from eval.report import write_report
    from eval.runner import CONFIGS, run, summarize

    settings, items, services, judge_obj, scorer = _eval_setup(data_dir, llm, judge, dataset, limit)
    summaries, all_rows = [], []
    with bar() as progress:
        for name, cfg in CONFIGS.items():
            if name == "hybrid+rerank" and services.pipeline.retriever.reranker is None:
                console.print("hybrid+rerank skipped: no retrieval.rerank_model set (none ships offline)")
                continue
            task = progress.add_task(name, total=len(items))
            rows = run(items, services, cfg, scorer, partial(progress.advance, task))
            summaries.append(summarize(rows, name, judge_obj.name, services.pipeline.backend))
            all_rows += [{**r, "config": name} for r in rows]
    folder = write_report(_out_dir(settings, out, "compare"), summaries, all_rows)
    services.close()
    Console(width=200).print(_compare_table(summaries, judge_obj.name))
    typer.echo(f"report: {folder / 'report.html'}")


def _compare_table(summaries: list[dict[str, Any]], judge: str) -> Table:
    """One row per config: notes and papers retrieval apart, then refusals."""
    cols = [(g, k) for g in ("notes", "papers") for k in ("hit@1", "hit@5", "mrr", "covered@5")]
    table = Table(title=f"eval compare (judge: {judge})")
    table.add_column("config")
    for g, k in cols:
        table.add_column(f"{g} {k}", justify="right")
    table.add_column("refused unanswerable", justify="right")
    table.add_column("false refusal", justify="right")
    for s in summaries:
        by = s.get("by_source", {})
        cells = [by.get(g, {}).get(k) for g, k in cols]
        cells += [s["refusal_accuracy_unanswerable"], s["false_refusal_rate"]]
        table.add_row(s["config"], *[f"{v:.3f}" if v is not None else "-" for v in cells])
    return table


@app.command("checker")
def eval_checker(
    data_dir: DataDir = None,
    scifact: Annotated[
        Path | None, typer.Option(help="SciFact claims_dev.jsonl: also measure on its labelled claims.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Precision/recall of the claim checker on the paper QA evidence and its number/name perturbations."""
    from eval.checker import measure_checker
    from eval.dataset import PAPERS_QA, load_golden
    from rag_service.index.store import open_index

    settings = make_settings(data_dir)
    index = open_index(settings)
    try:
        result = measure_checker(load_golden(PAPERS_QA), index, settings.answer.support_threshold, scifact)
    finally:
        index.close()
    typer.echo(json.dumps(result, indent=2))


@app.command("beir")
def eval_beir(
    folder: Annotated[Path, typer.Argument(help="BEIR dataset folder (corpus.jsonl, queries.jsonl, qrels/).")],
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
    tune: Annotated[bool, typer.Option(help="Also tune RRF weights on the train split (hybrid-tuned).")] = True,
) -> None:
    """Index a BEIR dataset in its own collection and report nDCG@10 / R@100 per retrieval config."""
    from eval.beir import BASELINES, evaluate
    from rag_service.index.embedder import Embedder

    settings = make_settings(data_dir)
    embedder = Embedder(settings.embedding)
    with bar() as display:

        def progress(label: str, total: int) -> Any:
            task = display.add_task(label, total=total)
            return lambda n: display.advance(task, n)

        results = evaluate(folder, settings, embedder, progress=progress, tune=tune)
    if as_json:
        metrics = {name: {k: r[k] for k in ("ndcg@10", "recall@100")} for name, r in results.items()}
        sys.stdout.write(json.dumps(metrics) + "\n")
        return
    table = Table(title=f"BEIR {folder.name} (test)")
    table.add_column("system")
    table.add_column("nDCG@10", justify="right")
    table.add_column("R@100", justify="right")
    for name, r in results.items():
        extra = f" (bm25 {r['bm25_weight']}, dense {r['dense_weight']}, k {r['rrf_k']})" if "rrf_k" in r else ""
        table.add_row(f"notes-rag {name}{extra}", f"{r['ndcg@10']:.3f}", f"{r['recall@100']:.3f}")
    for name, v in BASELINES.items():
        table.add_row(f"[dim]{name} (published)[/dim]", f"{v:.3f}", "")
    Console().print(table)


@app.command("calibrate")
def eval_calibrate(
    claims: Annotated[Path, typer.Option(help="SciFact claims_dev.jsonl.")] = Path(
        "../shared/datasets/scifact/claims_dev.jsonl"
    ),
    judge: Judge = "local",
    limit: Annotated[int | None, typer.Option(help="Pairs for the LLM judge (balanced over labels).")] = 24,
    data_dir: DataDir = None,
) -> None:
    """Accuracy of the groundedness judge (ragas Faithfulness) and of the service's own support check on
    labelled SUPPORT / CONTRADICT / UNRELATED claim-evidence pairs."""
    import asyncio

    from eval.calibrate import calibrate, pairs, support_checker_score
    from eval.triad import Scorer, make_judge
    from rag_service.answer.cite import SupportChecker
    from rag_service.index.embedder import Embedder

    settings = make_settings(data_dir)
    embedder = Embedder(settings.embedding)
    everything = pairs(claims)
    report: dict[str, Any] = {}
    with bar() as progress:
        task = progress.add_task("support check (all pairs)", total=len(everything))
        report["support_check"] = calibrate(
            everything,
            support_checker_score(SupportChecker(embedder)),
            settings.answer.support_threshold,
            lambda: progress.advance(task),
        )
        if judge not in ("none", "standin"):
            judge_obj = make_judge(judge, settings)
            faith = Scorer(judge_obj, embedder).llm_metrics["faithfulness"]
            from ragas import SingleTurnSample

            from eval.triad import _safe

            def score(claim: str, evidence: str) -> float:
                sample = SingleTurnSample(
                    user_input="Is this claim supported?", response=claim, retrieved_contexts=[evidence]
                )
                return _safe(lambda: asyncio.run(faith.single_turn_ascore(sample)))

            subset = pairs(claims, limit=limit)
            task = progress.add_task(f"ragas faithfulness ({judge_obj.name})", total=len(subset))
            report[f"faithfulness:{judge_obj.name}"] = calibrate(subset, score, 0.5, partial(progress.advance, task))
    typer.echo(json.dumps(report, indent=2))


def _mount() -> None:
    from eval import answer_cli, injection_cli

    answer_cli.register(app)
    injection_cli.register(app)


_mount()
