"""Test helpers: free ports, a subprocess CLI runner, a real `chroma run` server on loopback."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

CLI = [sys.executable, "-c", "from notes_rag.cli import app; app()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment minus anything that would make offline behaviour come from the test runner."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HF_", "TRANSFORMERS_", "TIKTOKEN_", "NOTES_RAG_", "ANONYMIZED", "RAGAS_"))
    }
    env.update(extra)
    return env


@contextlib.contextmanager
def running(
    cmd: list[str], ready_url: str, what: str, timeout: float, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, held until ``ready_url`` answers 200 (it failing to start is an error naming ``what``);
    yields the process; terminated on exit."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{what} did not become ready (exit code {proc.poll()})")
            time.sleep(0.3)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def chroma_process(path: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A real Chroma server (`chroma run`) on 127.0.0.1:``port`` over ``path``; yields its process."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert exe, "the chroma CLI is not installed"
    cmd = [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with running(cmd, f"http://127.0.0.1:{port}/api/v2/heartbeat", "chroma server", 60) as proc:
        yield proc


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """A real Chroma server (`chroma run`) on a free loopback port; yields the port."""
    port = free_port()
    with chroma_process(path, port):
        yield port


@contextlib.contextmanager
def serve_app(settings: Any, index: Any, services: Any = None) -> Iterator[str]:
    """``create_app`` under a real uvicorn server in a thread on 127.0.0.1, over an already open index (or over
    ready-made ``services``, e.g. with a fault injected)."""
    import threading

    import uvicorn

    from rag_service.api.main import create_app
    from rag_service.app import build_services

    app = create_app(settings, services or build_services(settings, index=index))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def serve_process(env: dict[str, str], *args: str, timeout: float = 300) -> Iterator[str]:
    """`notes-rag serve` as its own process on a free loopback port, ready (/readyz 200); yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([*CLI, "serve", "--port", str(port), *args], f"{base}/readyz", "notes-rag serve", timeout, env):
        yield base


def break_retriever(services: Any) -> list[str]:
    """Inject a fault: the pipeline's retriever raises on every call. Returns the list each call's query is appended
    to, so a test can check that the fault really fired."""
    calls: list[str] = []

    def fail(query: str, *args: object, **kwargs: object) -> Any:
        calls.append(query)
        raise RuntimeError("injected: the retriever broke")

    services.pipeline.retriever.retrieve = fail
    return calls
