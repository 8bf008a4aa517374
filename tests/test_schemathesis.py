"""Schemathesis (the CLI, every check it has) against a live server's own OpenAPI schema: every operation, fed
examples generated from the schema (valid and invalid bodies, odd strings, boundary numbers, missing auth), never
answers 5xx, answers only documented statuses and content types, and its bodies match their schemas. A real
uvicorn server over the real index, behind an API key (extractive backend: an answer costs milliseconds)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rag_service.app import build_services
from rag_service.index.store import HybridIndex
from tests.helpers import break_retriever, serve_app

CONFIG = Path(__file__).with_name("schemathesis.toml")
KEY = "fuzz-key"


def schemathesis(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run", f"{url}/openapi.json"]
    return subprocess.run(
        [*cmd, "-H", f"Authorization: Bearer {KEY}", "--no-color", *args],
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def keyed_server(full_index: HybridIndex) -> Iterator[str]:
    settings = full_index.settings.model_copy(update={"llm": "extractive", "api_key": KEY})
    with serve_app(settings, full_index) as url:
        yield url


def test_every_operation_passes_every_check(keyed_server: str) -> None:
    out = schemathesis(keyed_server)
    assert out.returncode == 0, out.stdout[-4000:]
    generated, passed = map(int, re.search(r"(\d+) generated, (\d+) passed", out.stdout).groups())  # type: ignore[union-attr]
    assert generated == passed >= 300, out.stdout[-2000:]
    assert re.search(r"Tested: 10\b", out.stdout), out.stdout[-2000:]
    print(f"schemathesis: {generated} cases over 10 operations, all passed")


def test_a_5xx_is_caught(full_index: HybridIndex) -> None:
    """The run above can fail: with the retriever broken, search and chat answer 500 and schemathesis says so."""
    settings = full_index.settings.model_copy(update={"llm": "extractive", "api_key": KEY})
    services = build_services(settings, index=full_index)
    calls = break_retriever(services)
    with serve_app(settings, full_index, services=services) as url:
        auth = {"Authorization": f"Bearer {KEY}"}
        assert httpx.post(f"{url}/v1/search", json={"query": "DPO"}, headers=auth).status_code == 500
        out = schemathesis(url, "--checks", "not_a_server_error", "--max-examples", "5")
    assert calls, "the fault never fired"
    assert out.returncode != 0 and "Server error" in out.stdout, out.stdout[-3000:]


def test_the_schema_covers_the_api(keyed_server: str) -> None:
    """The fuzzing is only as wide as the schema: every public route must be in it."""
    schema = httpx.get(f"{keyed_server}/openapi.json").json()
    paths = set(schema["paths"])
    expected = {"/v1/search", "/v1/chat", "/v1/chat/completions", "/v1/models", "/v1/sources", "/healthz", "/readyz"}
    expected |= {f"/v1/papers/{{paper_id}}/{tail}" for tail in ("pdf", "pages/{page}.png", "pages/{page}/highlight")}
    assert expected == paths, paths ^ expected

    def keys(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from keys(value)
        elif isinstance(node, list):
            for value in node:
                yield from keys(value)

    # pydantic's own names for bounds are not JSON Schema: a validator type on an Optional once leaked them, and
    # schemathesis then took k=0 for valid
    assert not {"ge", "le", "gt", "lt"} & set(keys(schema))


def test_counts_are_json_numbers(keyed_server: str) -> None:
    """Found by schemathesis in a fresh clone: `"k": true` was taken as k=1. A boolean or a string is now a 422
    naming the field; 7.0 is still the integer 7, as JSON Schema has it."""
    auth = {"Authorization": f"Bearer {KEY}"}
    for route, body in (("/v1/search", {"query": "DPO"}), ("/v1/chat", {"message": "What are my DPO training tips?"})):
        for bad in (True, "3"):
            resp = httpx.post(f"{keyed_server}{route}", json={**body, "k": bad}, headers=auth, timeout=120)
            assert resp.status_code == 422 and "k" in str(resp.json()["detail"]), resp.text
        ok = httpx.post(f"{keyed_server}{route}", json={**body, "k": 3.0}, headers=auth, timeout=120)
        assert ok.status_code == 200, ok.text
