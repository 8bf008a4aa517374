"""The ingest and search paths run with outbound network blocked in a fresh process whose environment has none of
the offline variables: the code sets them itself, and nothing tries a hub, tiktoken, nltk or telemetry download."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import NOTES, PAPERS
from tests.helpers import CLI, clean_env

GUARD = """
import os, socket
_log = os.environ["NET_GUARD_LOG"]
_connect, _gai = socket.socket.connect, socket.getaddrinfo
def _loop(h): return isinstance(h, str) and (h in ("localhost", "::1", "") or h.startswith("127."))
def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and not _loop(address[0]):
        open(_log, "a").write(f"connect {address}\\n"); raise ConnectionRefusedError("blocked")
    return _connect(self, address)
def getaddrinfo(host, *a, **k):
    h = host.decode() if isinstance(host, bytes) else host
    if h is not None and not _loop(h):
        open(_log, "a").write(f"dns {h}\\n"); raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return _gai(host, *a, **k)
socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
"""


@pytest.mark.slow  # a long run: the second CI step (README, development)
def test_ingest_and_search_offline(tmp_path: Path) -> None:
    notes, papers, site = tmp_path / "notes", tmp_path / "papers", tmp_path / "site"
    notes.mkdir(), papers.mkdir(), site.mkdir()
    shutil.copy(NOTES / "large-language-models.md", notes)
    shutil.copy(PAPERS / "1701.06538v1.pdf", papers)
    (site / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "net.log"
    env = clean_env(PYTHONPATH=str(site), NET_GUARD_LOG=str(log))
    data = str(tmp_path / "data")

    ingest = subprocess.run(
        [*CLI, "ingest", str(notes), "--data-dir", data, "--papers-dir", str(papers)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stderr
    assert "unavailable" in ingest.stderr  # linked papers that are not local are reported, not fatal
    search = subprocess.run(
        [*CLI, "search", "noisy top-k gating", "--json", "--data-dir", data],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert search.returncode == 0, search.stderr
    results = json.loads(search.stdout)["results"]
    assert results and results[0]["source"].get("paper_id") == "1701.06538"

    attempts = log.read_text().splitlines() if log.exists() else []
    # The only outbound attempt allowed is the paper fetcher's (it then reports papers unavailable).
    others = [a for a in attempts if "arxiv.org" not in a and "groq.com" not in a and "googleusercontent" not in a]
    assert others == [], f"hidden downloads attempted: {others}"
