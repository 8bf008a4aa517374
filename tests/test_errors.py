"""Failures answer as failures: a JSON 500 naming the request id, an `error` event when a stream breaks, 422 only for
the caller's mistakes. The fault is injected into a real pipeline over the real index, and each test checks that it
really fired."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rag_service.api.admission import Admission
from rag_service.api.main import create_app
from rag_service.app import build_services
from rag_service.index.store import HybridIndex
from rag_service.settings import ApiSettings
from tests.helpers import break_retriever


@pytest.fixture()
def broken(full_index: HybridIndex) -> Iterator[tuple[TestClient, list[str]]]:
    settings = full_index.settings.model_copy(update={"llm": "extractive"})
    services = build_services(settings, index=full_index)
    calls = break_retriever(services)
    with TestClient(
        create_app(settings, services), raise_server_exceptions=False, base_url="http://127.0.0.1"
    ) as client:
        yield client, calls


def test_an_internal_failure_is_a_json_500_with_the_request_id(broken: tuple[TestClient, list[str]]) -> None:
    client, calls = broken
    resp = client.post("/v1/chat", json={"message": "What are my DPO tips?"}, headers={"X-Request-ID": "req-42"})
    assert calls == ["What are my DPO tips?"]  # the fault really happened
    assert resp.status_code == 500 and resp.headers["x-request-id"] == "req-42"
    body = resp.json()
    assert body["error"] == "internal_error" and body["request_id"] == "req-42" and "req-42" in body["detail"]
    assert "injected" not in resp.text  # internals stay in the log


def test_a_broken_stream_ends_with_an_error_event(broken: tuple[TestClient, list[str]]) -> None:
    client, calls = broken
    with client.stream("POST", "/v1/chat", json={"message": "What are my DPO tips?", "stream": True}) as resp:
        text = "".join(resp.iter_text())
    assert calls and resp.status_code == 200
    events = [b.split("\n") for b in text.strip().split("\n\n")]
    assert events[-1][0] == "event: error"
    err = json.loads(events[-1][1].removeprefix("data: "))
    assert err["request_id"] == resp.headers["x-request-id"]


def test_caller_mistakes_stay_422_and_every_response_has_an_id(broken: tuple[TestClient, list[str]]) -> None:
    client, _ = broken
    bad = client.post("/v1/search", json={"query": "x", "filters": {"colour": "red"}})
    assert bad.status_code == 422 and bad.headers["x-request-id"]
    ok = client.get("/healthz")
    assert ok.status_code == 200 and len(ok.headers["x-request-id"]) == 16


def test_one_structured_log_line_per_request(
    broken: tuple[TestClient, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = broken
    with caplog.at_level(logging.INFO, logger="notes_rag.access"):
        ok = client.get("/healthz", headers={"X-Request-ID": "trace-me-1"})
        failed = client.post("/v1/search", json={"query": "DPO"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "notes_rag.access"]
    assert len(lines) == 2, lines
    first, second = lines
    assert first["request_id"] == "trace-me-1" == ok.headers["x-request-id"]
    assert (first["route"], first["status"], first["method"]) == ("/healthz", 200, "GET")
    assert second["request_id"] == failed.headers["x-request-id"] and second["status"] == 500
    assert 0 <= first["headers_ms"] <= first["total_ms"]
    assert second["route"] == "/v1/search" and second["total_ms"] >= 0  # failed before any header: total only


def test_a_full_server_says_busy_with_retry_after(full_index: HybridIndex) -> None:
    settings = full_index.settings.model_copy(update={"llm": "extractive"})
    api = settings.api.model_copy(update={"max_waiting_answers": 0, "max_concurrent_answers": 1})
    settings = settings.model_copy(update={"api": api})
    app = create_app(settings, build_services(settings, index=full_index))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        admission = app.state.admission
        body = {"message": "What are my DPO training tips?"}
        with admission.slot():  # an answer is being generated and nobody may queue behind it
            assert admission.active == 1
            busy = client.post("/v1/chat", json=body)
            busy_stream = client.post("/v1/chat", json={**body, "stream": True})
            busy_openai = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]})
            assert client.post("/v1/search", json={"query": "DPO"}).status_code == 200  # search is not admitted
        for resp in (busy, busy_stream, busy_openai):
            assert resp.status_code == 503 and resp.json()["error"] == "busy" and resp.headers["retry-after"]
        assert admission.rejected == 3 and admission.active == 0
        assert client.post("/v1/chat", json=body).status_code == 200  # the slot is free again
        assert client.get("/readyz").json()["answers"] == {"capacity": 1, "active": 0, "waiting": 0, "rejected": 3}


@pytest.mark.parametrize("backend", ["local", "extractive", "openai"])
def test_answer_slots_follow_the_backend(backend: str) -> None:
    """Unless configured, the local model gets one slot (it uses every core), extractive one per core, and a remote
    backend several (this process only waits); an explicit setting wins."""
    expected = {"local": 1, "extractive": os.cpu_count() or 1, "openai": 8}[backend]
    assert Admission(ApiSettings(), backend).capacity == expected
    assert Admission(ApiSettings(max_concurrent_answers=3), backend).capacity == 3


def test_unknown_host_headers_are_refused(broken: tuple[TestClient, list[str]]) -> None:
    """A page on another site cannot reach a loopback server through a rebound DNS name."""
    client, _ = broken
    assert client.get("/healthz", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
