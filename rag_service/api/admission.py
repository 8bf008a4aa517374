"""Admission control for answers: at most ``max_concurrent_answers`` generate at once, ``max_waiting_answers`` wait
for a slot (up to ``answer_wait_s``), anyone beyond gets 503 busy with Retry-After at once instead of a timeout
minutes later. Searches are not refused, but only two per core run at a time (the rest wait, blocked): every runnable
Python thread competes for the GIL with the event loop, and with 25 searching threads /healthz waited hundreds of ms
for its turn."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

from rag_service.settings import ApiSettings


class BusyError(RuntimeError):
    """Every answer slot is taken and the queue is full (or the wait ran out)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def default_capacity(backend: str) -> int:
    """Answers at once when not configured: the local model saturates every core with one answer; the extractive
    backend costs ~0.5 s of CPU per answer, so one per core; a remote (openai) backend leaves this process idle."""
    if backend == "local":
        return 1
    if backend == "extractive":
        return max(1, os.cpu_count() or 1)
    return 8


class Admission:
    """A counting gate shared by /v1/chat and /v1/chat/completions (one per app, in app.state)."""

    def __init__(self, settings: ApiSettings, backend: str) -> None:
        self.capacity = settings.max_concurrent_answers or default_capacity(backend)
        self.max_waiting = settings.max_waiting_answers
        self.wait_s = settings.answer_wait_s
        self._cond = threading.Condition()
        self.active = 0
        self.waiting = 0
        self.rejected = 0  # for /readyz and the load benchmark
        self._searches = threading.BoundedSemaphore(2 * max(1, os.cpu_count() or 1))

    @contextlib.contextmanager
    def search_slot(self) -> Iterator[None]:
        """Hold one of the per-core search slots for the block (waiting, not refused, when all are taken)."""
        with self._searches:
            yield

    def check(self) -> None:
        """Refuse at once (BusyError) when a new answer could not even queue: called before a stream starts, so a
        busy server answers 503, not a 200 whose stream then fails."""
        with self._cond:
            self._refuse_if_full()

    def _refuse_if_full(self) -> None:
        """Under the lock: BusyError when every slot is taken and nobody more may wait."""
        if self.active >= self.capacity and self.waiting >= self.max_waiting:
            self.rejected += 1
            raise BusyError("busy: every answer slot is taken and the queue is full", retry_after=5)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold an answer slot for the block, waiting in the queue if there is room; BusyError otherwise."""
        with self._cond:
            if self.active >= self.capacity:
                self._refuse_if_full()
                self.waiting += 1
                try:
                    got = self._cond.wait_for(lambda: self.active < self.capacity, timeout=self.wait_s)
                finally:
                    self.waiting -= 1
                if not got:
                    self.rejected += 1
                    raise BusyError(f"busy: no answer slot freed within {self.wait_s:.0f} s", retry_after=10)
            self.active += 1
        try:
            yield
        finally:
            with self._cond:
                self.active -= 1
                self._cond.notify()
