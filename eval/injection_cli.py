"""`notes-rag eval injection`: fit the instruction detector on the dev split and print its figures per split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

SHARED = Path(__file__).resolve().parents[2] / "shared"


def register(app: typer.Typer) -> None:
    """Mount the command on the `eval` app."""
    app.command("injection")(eval_injection)


def eval_injection(
    dev: Annotated[
        list[Path] | None, typer.Option(help="Notes folders fitted on (real text, no planted instruction).")
    ] = None,
    report: Annotated[list[Path] | None, typer.Option(help="Notes folders reported on, never fitted on.")] = None,
    write: Annotated[bool, typer.Option(help="Write the fit to rag_service/injection.json (the default).")] = False,
    show: Annotated[int, typer.Option(help="Print this many false flags and misses per split.")] = 20,
    index: Annotated[
        list[Path] | None, typer.Option(help="Data dirs whose paper chunks are also read (no planted text).")
    ] = None,
) -> None:
    """Fit the detector of text addressed to an assistant (eval/injection.py) on the dev split; print planted cases
    and units caught and units of real text flagged, per split, with the false flags and misses to read."""
    from eval.injection import dataset, fit, measure, missed
    from rag_service.settings import INJECTION_FILE, InjectionSettings
    from rag_service.text.injection import flags

    dev = dev or [SHARED / "notes"]
    report = report or [SHARED / "corpora"]
    rows = {"dev": dataset("dev", dev), "report": dataset("report", report)}
    fitted = fit(rows["dev"])
    settings = InjectionSettings(**fitted)  # type: ignore[arg-type]
    table = Table(title=f"instruction detector (fitted on dev: {', '.join(str(p) for p in dev)})")
    for col in ("split", "planted cases caught", "planted units caught", "real units flagged", "precision"):
        table.add_column(col)
    console = Console()
    for name, part in rows.items():
        m = measure(part, settings)
        table.add_row(
            name,
            f"{m.cases_caught}/{m.planted_cases}",
            f"{m.units_caught}/{m.planted_units}",
            f"{len(m.false_flags)}/{m.negatives}",
            f"{m.precision:.3f}",
        )
        for r in m.false_flags[:show]:
            console.print(f"  [yellow]false flag[/] {name} {r.case} ({r.unit.where}): {escape(r.unit.text[:160])}")
        for r in missed(part, settings)[:show]:
            console.print(f"  [red]missed[/] {name} {r.case} ({r.unit.where}): {escape(r.unit.text[:160])}")
    console.print(table)
    for data_dir in index or []:
        papers = _paper_texts(data_dir)
        flagged = [(key, f.text) for key, text in papers for f in flags(text, settings)]
        console.print(f"papers in {data_dir}: {len(flagged)} units flagged in {len(papers)} paper chunks")
        for key, text in flagged[:show]:
            console.print(f"  [yellow]flagged[/] {key}: {escape(text[:160])}")
    console.print(json.dumps(fitted))
    if write:
        INJECTION_FILE.write_text(json.dumps({"split": "dev", **fitted}, indent=2) + "\n")
        console.print(f"written: {INJECTION_FILE}")


def _paper_texts(data_dir: Path) -> list[tuple[str, str]]:
    """(source key, text) of every paper chunk of an index, read from its SQLite chunk store."""
    import sqlite3

    from rag_service.cli_common import make_settings

    db = sqlite3.connect(make_settings(data_dir).index_dir / "chunks.sqlite")
    try:
        rows = db.execute("SELECT source_key, text FROM chunks WHERE source_key LIKE 'paper:%'").fetchall()
    finally:
        db.close()
    return [(str(k), str(t)) for k, t in rows]
