"""Property tests (hypothesis): the text rules never crash and keep their promises on any input, and the API answers
any query or message with a non-5xx status and a JSON body."""

from __future__ import annotations

import string
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chunking import Unit, pack
from rag_service.answer.cite import cited_sentences, clean_answer, move_source_lines, strip_unknown_keys
from rag_service.answer.grounding import GroundingChecker
from rag_service.api.main import create_app
from rag_service.app import build_services
from rag_service.index.store import HybridIndex
from rag_service.retrieval.window import clip
from rag_service.text.names import specific_terms
from rag_service.text.numbers import numbers

TEXT = st.text(alphabet=string.printable + "›’–é", max_size=400)


@given(TEXT)
def test_text_rules_never_crash(text: str) -> None:
    numbers(text)
    specific_terms(text)
    cited_sentences(text)
    move_source_lines(text)
    GroundingChecker().claim_problems(text, text, False, text)


@given(TEXT, st.integers(min_value=0, max_value=12))
def test_only_offered_keys_survive(text: str, n: int) -> None:
    cleaned, used = strip_unknown_keys(clean_answer(text, ["a › b"]), n)
    assert all(1 <= k <= n for k in used)
    assert all(1 <= k <= n for s in cited_sentences(cleaned) for k in s.keys)


@given(st.text(min_size=1, max_size=3000), st.data())
def test_clip_keeps_the_span_and_the_budget(text: str, data: st.DataObject) -> None:
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, min(len(text), a + 300)))
    out = clip(text, (a, b), 600)
    assert text[a:b].strip() in out or not text[a:b].strip()
    assert len(out) <= max(600, b - a) + 60  # word boundaries may stretch it a little


@given(st.lists(st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=80), min_size=1, max_size=40))
def test_pack_keeps_every_unit_and_the_budget(lines: list[str]) -> None:
    units = [Unit(line, i, i) for i, line in enumerate(lines)]
    pieces = pack(units, budget=40, overlap=0, count=lambda t: len(t.split()) + 1)
    joined = "\n".join(p.text for p in pieces)
    assert all(line.strip() in joined or not line.strip() for line in lines)
    assert all(len(p.text.split()) + 1 <= 40 or "\n" not in p.text for p in pieces)


@pytest.fixture(scope="module")
def client(full_index: HybridIndex) -> Iterator[TestClient]:
    app_settings = full_index.settings.model_copy(update={"llm": "extractive"})
    app = create_app(app_settings, build_services(app_settings, index=full_index))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


@settings(max_examples=40, deadline=None)
@given(query=st.text(max_size=300), k=st.integers(min_value=-5, max_value=80))
def test_the_api_never_answers_5xx(client: TestClient, query: str, k: int) -> None:
    search = client.post("/v1/search", json={"query": query, "k": k})
    chat = client.post("/v1/chat", json={"message": query, "k": max(1, min(k, 20))})
    for resp in (search, chat):
        assert resp.status_code < 500, (resp.status_code, resp.text[:200])
        assert resp.json() is not None
