"""`notes-rag`: thin commands over library functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rag_service.offline import ensure_offline_env
from rag_service.settings import Settings

app = typer.Typer(help="Ask your notes and the papers behind them.", no_args_is_help=True, add_completion=False)
console = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Index folder (env NOTES_RAG_DATA_DIR).")]


def make_settings(data_dir: Path | None = None, **overrides: Any) -> Settings:
    """Settings from env, with CLI flags on top."""
    ensure_offline_env()
    settings = Settings()
    update = {k: v for k, v in {"data_dir": data_dir, **overrides}.items() if v is not None}
    return settings.model_copy(update=update) if update else settings


class _RichProgress:
    """Adapter from the pipeline's Progress callbacks to a rich progress display."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: Any = None

    def start(self, label: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=self.progress.tasks[self.task].total != 0)
        self.task = self.progress.add_task(label, total=total)

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Note files, PDFs, or folders holding either.")],
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option(help="Drop the index and ingest everything again.")] = False,
    papers: Annotated[bool, typer.Option(help="Follow the notes' links to papers and index them.")] = True,
    fetch: Annotated[
        bool | None,
        typer.Option("--fetch/--no-fetch", help="Download linked papers not cached (env NOTES_RAG_FETCH_PAPERS)."),
    ] = None,
    papers_dir: Annotated[Path | None, typer.Option(help="Local copies of linked papers, named by arXiv id.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any file failed.")] = False,
) -> None:
    """Ingest notes (and the papers they link) into the hybrid index, incrementally."""
    from ingest.common import Progress as PipelineProgress
    from ingest.pipeline import NothingIngestedError, run
    from rag_service.index.store import open_index

    settings = make_settings(data_dir)
    if papers_dir is not None and not papers_dir.is_dir():
        raise typer.BadParameter(f"{papers_dir}: not a folder", param_hint="--papers-dir")
    with console.status("loading the embedding model"):
        index = open_index(settings)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            rp = _RichProgress(bar)
            report = run(
                settings,
                paths,
                index=index,
                rebuild=rebuild,
                papers_dir=papers_dir,
                fetch=fetch,
                with_papers=papers,
                strict=strict,
                progress=PipelineProgress(rp.start, rp.advance),
            )
    except (NothingIngestedError, FileNotFoundError) as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(1) from e
    finally:
        index.close()
    _print_report(report)


def _print_report(report: Any) -> None:
    table = Table(title="ingest summary")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in [
        ("files read", report.files_read),
        ("files skipped (unchanged)", report.files_skipped),
        ("files failed", report.files_failed),
        ("chunks added", report.chunks_added),
        ("chunks removed", report.chunks_removed),
        ("chunks unchanged", report.chunks_unchanged),
        ("ids repaired", report.repaired),
        ("seconds", f"{report.seconds:.1f}"),
    ]:
        table.add_row(label, str(value))
    console.print(table)
    for s in report.failures:
        console.print(f"[yellow]failed[/yellow] {s.key}: {s.reason}")
    if report.papers:
        counts: dict[str, int] = {}
        for p in report.papers:
            counts[p.status] = counts.get(p.status, 0) + 1
        pt = Table(title="papers")
        pt.add_column("status")
        pt.add_column("count", justify="right")
        for status, n in sorted(counts.items()):
            pt.add_row(status, str(n))
        console.print(pt)
        for p in report.papers:
            if p.status == "failed":
                console.print(f"[yellow]paper {p.paper_id} failed[/yellow]: {p.reason}")
        unavailable = [p.paper_id for p in report.papers if p.status == "unavailable"]
        if unavailable:
            console.print(
                f"{len(unavailable)} linked papers unavailable (no network / --no-fetch): "
                + ", ".join(unavailable[:8])
                + (" ..." if len(unavailable) > 8 else "")
            )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look up.")],
    k: Annotated[int, typer.Option("-k", help="Results.")] = 10,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hybrid (BM25 + dense) lookup over the index."""
    from rag_service.api.services import linked
    from rag_service.index.store import open_index
    from rag_service.retrieval.hybrid import build_retriever

    settings = make_settings(data_dir)
    index = open_index(settings)
    try:
        hits = build_retriever(index, settings.retrieval).retrieve(query, k).hits
    finally:
        index.close()
    if as_json:
        out = {
            "results": [
                {
                    "chunk_id": h.chunk.id,
                    "score": h.score,
                    "text": h.chunk.text,
                    "source": linked(h.chunk.source, settings).model_dump(exclude_none=True, mode="json"),
                }
                for h in hits
            ]
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    for rank, h in enumerate(hits, start=1):
        typer.echo(f"{rank:>2}. [{h.score:.4f}] {h.chunk.source.label()}")
        typer.echo("    " + h.chunk.text[:300].replace("\n", "\n    "))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    data_dir: DataDir = None,
    llm: Annotated[str | None, typer.Option(help="local | openai | extractive (env NOTES_RAG_LLM).")] = None,
) -> None:
    """Serve the API and the chat page."""
    import uvicorn

    from rag_service.api.main import create_app

    settings = make_settings(data_dir, llm=llm)
    uvicorn.run(create_app(settings), host=host or settings.api.host, port=port or settings.api.port)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question.")],
    data_dir: DataDir = None,
    llm: Annotated[str | None, typer.Option(help="local | openai | extractive (env NOTES_RAG_LLM).")] = None,
    k: Annotated[int | None, typer.Option("-k", help="Contexts to retrieve.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
) -> None:
    """Answer one question with numbered, clickable sources."""
    from rag_service.api.services import build_services

    settings = make_settings(data_dir, llm=llm)
    with console.status(f"loading ({settings.llm} backend)"):
        services = build_services(settings)
    try:
        if as_json:
            answer = services.pipeline.answer(question, k=k)
        else:
            answer, streamed = None, ""
            for event in services.pipeline.stream(question, k=k):
                if event.kind == "token":
                    streamed += event.data
                    sys.stdout.write(event.data)
                    sys.stdout.flush()
                elif event.kind == "answer":
                    answer = event.data
            sys.stdout.write("\n")
            if answer is None:
                raise typer.Exit(1)
            if not answer.refused and answer.answer != streamed.strip():
                typer.echo(f"\nChecked answer (keys added where the model left a sentence uncited):\n{answer.answer}")
    finally:
        services.close()
    _print_answer(answer, settings, as_json)


def _print_answer(answer: Any, settings: Settings, as_json: bool) -> None:
    from rag_service.api.services import link_answer

    link_answer(answer, settings)
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    if answer.refused:
        typer.echo(f"\n(refused: {answer.refusal_reason}) closest sources:")
        for r in answer.related:
            typer.echo(f"  - {r.source.label()}  {r.source.url}")
        return
    typer.echo("\nSources:")
    for c in answer.citations:
        mark = "" if c.supported else "  (not supported by this source)"
        typer.echo(f"  [{c.n}] {c.source.label()}  {c.source.url}{mark}")


eval_app = typer.Typer(help="Offline evaluation runs (eval package, imported lazily).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
Judge = Annotated[str, typer.Option(help="none | standin | local | openai (LLM judge for the RAG triad).")]


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )


def _eval_setup(
    data_dir: Path | None, llm: str | None, judge: str, dataset: list[Path] | None, limit: int | None
) -> Any:
    from eval.dataset import load_sets
    from eval.triad import Scorer, make_judge
    from rag_service.api.services import build_services

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


@eval_app.command("run")
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
    with _bar() as bar:
        task = bar.add_task(f"questions ({config})", total=len(items))
        rows = run(items, services, cfg, scorer, lambda: bar.advance(task))
    summary = summarize(rows, config, judge_obj.name, services.pipeline.backend)
    folder = write_report(_out_dir(settings, out, config), [summary], rows)
    services.close()
    typer.echo(json.dumps(summary, indent=2))
    typer.echo(f"report: {folder / 'report.html'}")


@eval_app.command("compare")
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
    with _bar() as bar:
        for name, cfg in CONFIGS.items():
            if name == "hybrid+rerank" and services.pipeline.retriever.reranker is None:
                console.print("hybrid+rerank skipped: no retrieval.rerank_model set (none ships offline)")
                continue
            task = bar.add_task(name, total=len(items))
            rows = run(items, services, cfg, scorer, lambda t=task: bar.advance(t))  # type: ignore[misc]
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


@eval_app.command("checker")
def eval_checker(data_dir: DataDir = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Precision/recall of the claim checker on the paper QA evidence and its number/name perturbations."""
    from eval.checker import measure_checker
    from eval.dataset import PAPERS_QA, load_golden
    from rag_service.index.store import open_index

    settings = make_settings(data_dir)
    index = open_index(settings)
    try:
        result = measure_checker(load_golden(PAPERS_QA), index, settings.answer.support_threshold)
    finally:
        index.close()
    typer.echo(json.dumps(result, indent=2))


@eval_app.command("beir")
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
    with _bar() as bar:

        def progress(label: str, total: int) -> Any:
            task = bar.add_task(label, total=total)
            return lambda n: bar.advance(task, n)

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


@eval_app.command("calibrate")
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
    with _bar() as bar:
        task = bar.add_task("support check (all pairs)", total=len(everything))
        report["support_check"] = calibrate(
            everything,
            support_checker_score(SupportChecker(embedder)),
            settings.answer.support_threshold,
            lambda: bar.advance(task),
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
            task = bar.add_task(f"ragas faithfulness ({judge_obj.name})", total=len(subset))
            report[f"faithfulness:{judge_obj.name}"] = calibrate(subset, score, 0.5, lambda: bar.advance(task))
    typer.echo(json.dumps(report, indent=2))


def main() -> None:  # pragma: no cover
    app()
