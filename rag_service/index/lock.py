"""One writer per index: an exclusive advisory lock (fcntl) on ``<data dir>/index/writer.lock``.

Two ingests writing one index at once would interleave Chroma upserts and SQLite transactions of different runs; the
second one instead stops at once with an error naming the holder. Readers (the API) never take it. The OS drops the
lock when the holder dies, so a killed ingest leaves no stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class IndexLockedError(RuntimeError):
    """Another process is writing to this index."""


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[Path]:
    """Hold the index's writer lock for the block; IndexLockedError if another process holds it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / "writer.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise IndexLockedError(f"{index_dir}: another ingest is writing to this index (pid {holder})") from e
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock
