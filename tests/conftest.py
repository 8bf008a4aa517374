"""Shared fixtures: real embedder, one real index of the notes + 7 papers per session, and a network guard.

Every test runs behind a socket guard that refuses any connection outside the loopback range, so the whole suite
proves that the main paths run offline (no hub, tiktoken, nltk or telemetry downloads).
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag_service.offline import ensure_offline_env

ensure_offline_env()

from ingest.pipeline import run  # noqa: E402
from rag_service.index.embedder import Embedder  # noqa: E402
from rag_service.index.store import HybridIndex  # noqa: E402
from rag_service.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NOTES = SHARED / "notes"
PAPERS = SHARED / "papers"
SCIFACT = SHARED / "datasets" / "scifact"

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo
BLOCKED: list[str] = []


def _is_loopback(host: object) -> bool:
    return isinstance(host, str) and (host in ("localhost", "::1", "") or host.startswith("127."))


def _guarded_connect(self: socket.socket, address: object) -> None:
    inet = self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple)
    if inet and not _is_loopback(address[0]):  # type: ignore[index]
        BLOCKED.append(str(address))
        raise ConnectionRefusedError(f"network blocked by the test guard: {address}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    if host is not None and not _is_loopback(host if isinstance(host, str) else host.decode()):  # type: ignore[attr-defined]
        BLOCKED.append(f"dns:{host!r}")
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (network blocked by the test guard)")
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def network_guard() -> Iterator[list[str]]:
    """Refuse every non-loopback connection and DNS lookup for the whole session."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]
    try:
        yield BLOCKED
    finally:
        socket.socket.connect = _real_connect  # type: ignore[method-assign]
        socket.getaddrinfo = _real_getaddrinfo


def make_settings(data_dir: Path, **kw: object) -> Settings:
    return Settings(data_dir=data_dir, fetch_papers=False, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged all-MiniLM-L6-v2."""
    return Embedder(Settings().embedding)


@pytest.fixture(scope="session")
def notes_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the user's notes (tests may not write to shared/)."""
    dst = tmp_path_factory.mktemp("notes") / "notes"
    shutil.copytree(NOTES, dst)
    return dst


@pytest.fixture(scope="session")
def full_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, notes_copy: Path) -> Iterator[HybridIndex]:
    """One real index of the notes and the 7 shared papers, built once per test session."""
    settings = make_settings(tmp_path_factory.mktemp("full-index"))
    index = HybridIndex(settings, embedder)
    report = run(settings, [notes_copy], index=index, papers_dir=PAPERS, fetch=False)
    index.last_report = report  # type: ignore[attr-defined]
    yield index
    index.close()


@pytest.fixture(scope="session")
def live_server(full_index: HybridIndex) -> Iterator[str]:
    """The real app under a real uvicorn server on 127.0.0.1 (extractive backend, the shared index); its base URL."""
    from tests.helpers import serve_app

    with serve_app(full_index.settings.model_copy(update={"llm": "extractive"}), full_index) as url:
        yield url
