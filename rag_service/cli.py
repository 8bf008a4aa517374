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
    paths: Annotated[list[Path], typer.Argument(help="Note files or folders.")],
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option(help="Drop the index and ingest everything again.")] = False,
    papers: Annotated[bool, typer.Option(help="Follow the notes' links to papers and index them.")] = True,
    fetch: Annotated[bool, typer.Option(help="Download linked papers that are not cached.")] = True,
    papers_dir: Annotated[Path | None, typer.Option(help="Local PDFs named by arXiv id.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any file failed.")] = False,
) -> None:
    """Ingest notes (and the papers they link) into the hybrid index, incrementally."""
    from ingest.pipeline import NothingIngestedError, run
    from ingest.pipeline import Progress as PipelineProgress
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
    from rag_service.index.store import open_index
    from rag_service.retrieval.simple import simple_search

    settings = make_settings(data_dir)
    index = open_index(settings)
    try:
        hits = simple_search(index, query, k)
    finally:
        index.close()
    if as_json:
        out = {
            "results": [
                {
                    "chunk_id": h.chunk.id,
                    "score": h.score,
                    "text": h.chunk.text,
                    "source": h.chunk.source.model_dump(exclude_none=True, mode="json"),
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
    from rag_service.api.services import build_services, linked

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
                else:
                    answer = event.data
            sys.stdout.write("\n")
            assert answer is not None
            if not answer.refused and answer.answer != streamed.strip():
                typer.echo(f"\nChecked answer (keys added where the model left a sentence uncited):\n{answer.answer}")
    finally:
        services.close()
    for c in answer.citations:
        c.source = linked(c.source, settings)
    for r in answer.related:
        r.source = linked(r.source, settings)
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


def main() -> None:  # pragma: no cover
    app()
