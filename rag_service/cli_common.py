"""What every package's commands share: settings from env + flags, the stderr console, progress bars."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from rag_service.offline import ensure_offline_env
from rag_service.settings import Settings

console = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Index folder (env NOTES_RAG_DATA_DIR).")]


def make_settings(data_dir: Path | None = None, **overrides: Any) -> Settings:
    """Settings from env, with CLI flags on top."""
    ensure_offline_env()
    settings = Settings()
    update = {k: v for k, v in {"data_dir": data_dir, **overrides}.items() if v is not None}
    return settings.model_copy(update=update) if update else settings


class RichProgress:
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


def bar() -> Progress:
    """A progress display on stderr, one bar per phase: label, bar, n/total, elapsed, time left (ETA)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
    )
