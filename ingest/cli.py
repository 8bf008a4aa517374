"""`notes-rag ingest`: notes, PDFs and the papers the notes link, into the hybrid index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from rag_service.cli_common import DataDir, RichProgress, bar, console, make_settings


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
    watch_: Annotated[
        bool, typer.Option("--watch", help="Keep running: ingest again whenever a file changes.")
    ] = False,
    interval: Annotated[float, typer.Option(help="Seconds between checks for changes with --watch.")] = 2.0,
) -> None:
    """Ingest notes (and the papers they link) into the hybrid index, incrementally."""
    from ingest.common import Progress as PipelineProgress
    from ingest.pipeline import NothingIngestedError, run
    from rag_service.index.lock import IndexLockedError
    from rag_service.index.store import open_index

    settings = make_settings(data_dir)
    if papers_dir is not None and not papers_dir.is_dir():
        raise typer.BadParameter(f"{papers_dir}: not a folder", param_hint="--papers-dir")
    with console.status("loading the embedding model"):
        index = open_index(settings)

    def once(rebuild: bool = rebuild) -> None:
        with bar() as progress_bar:
            rp = RichProgress(progress_bar)
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
        _print_report(report)

    try:
        if not watch_:
            once()
            return
        from ingest.watch import watch

        def on_change() -> None:  # a bad edit is reported and the watcher keeps going
            try:
                once(rebuild=False)
            except (NothingIngestedError, IndexLockedError) as e:
                console.print(f"[yellow]not ingested:[/yellow] {e}")
            console.print(f"watching {', '.join(map(str, paths))} (Ctrl-C to stop)")

        if rebuild:
            once()
        watch(paths, on_change, interval)
    except (NothingIngestedError, FileNotFoundError, IndexLockedError) as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(1) from e
    except KeyboardInterrupt:
        console.print("stopped watching")
    finally:
        index.close()


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
        ("instruction-like spans flagged", sum(len(s.flagged) for s in report.sources)),
        ("seconds", f"{report.seconds:.1f}"),
    ]:
        table.add_row(label, str(value))
    console.print(table)
    for s in report.failures:
        console.print(f"[yellow]failed[/yellow] {s.key}: {s.reason}")
    for s in report.sources:  # text addressed to an assistant: withheld from prompts, listed for the user to read
        for f in s.flagged:
            text = escape(str(f["text"])[:120])
            console.print(f"[magenta]flagged[/magenta] {s.key}:{f['line']} ({f['where']}, {f['score']}): {text}")
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
