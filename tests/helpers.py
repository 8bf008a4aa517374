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
) -> Iterator[None]:
    """A server process, held until ``ready_url`` answers 200 (it failing to start is an error naming ``what``);
    terminated on exit."""
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
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """A real Chroma server (`chroma run`) on 127.0.0.1; yields its port."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert exe, "the chroma CLI is not installed"
    port = free_port()
    cmd = [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with running(cmd, f"http://127.0.0.1:{port}/api/v2/heartbeat", "chroma server", 60):
        yield port


@contextlib.contextmanager
def serve_app(settings: Any, index: Any) -> Iterator[str]:
    """``create_app`` under a real uvicorn server in a thread on 127.0.0.1, over an already open index."""
    import threading

    import uvicorn

    from rag_service.api.main import create_app
    from rag_service.app import build_services

    app = create_app(settings, build_services(settings, index=index))
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
