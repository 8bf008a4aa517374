"""`notes-rag ingest --watch`: ingest again whenever a note or PDF under the given paths changes.

Polling (mtime + size of every .md / .markdown / .pdf, every ``interval`` seconds) rather than inotify: it works the
same on every filesystem (network mounts, Docker volumes, WSL) and costs a directory walk per interval. Each run is
the normal incremental ingest, so an unchanged file costs nothing and a broken one is named and skipped while the
watcher keeps going.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

WATCHED = (".md", ".markdown", ".pdf")
Snapshot = dict[Path, tuple[float, int]]


def snapshot(paths: list[Path]) -> Snapshot:
    """mtime and size of every watched file under ``paths``."""
    out: Snapshot = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix.lower() in WATCHED)
        for f in files:
            try:
                st = f.stat()
            except FileNotFoundError:  # deleted between the walk and the stat
                continue
            out[f] = (st.st_mtime, st.st_size)
    return out


def watch(
    paths: list[Path],
    on_change: Callable[[], None],
    interval: float = 2.0,
    stop: threading.Event | None = None,
) -> int:
    """Call ``on_change`` once now and again after every change; returns how many runs it made when ``stop`` is set
    (Ctrl-C ends it from the CLI)."""
    stop = stop or threading.Event()
    runs = 0
    seen = snapshot(paths)
    on_change()
    runs += 1
    while not stop.wait(interval):
        now = snapshot(paths)
        if now != seen:
            seen = now
            on_change()
            runs += 1
    return runs
