"""The OpenAI wire format, driven by the official `openai` client against the live server (real HTTP, real index)."""

from __future__ import annotations

import openai
import pytest


@pytest.fixture(scope="module")
def client(live_server: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live_server}/v1", api_key="unused", max_retries=0)


def test_models_lists_notes_rag(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list().data] == ["notes-rag"]


def test_plain_completion_cites_with_markdown_links(client: openai.OpenAI) -> None:
    out = client.chat.completions.create(
        model="notes-rag", messages=[{"role": "user", "content": "What are my DPO training tips?"}]
    )
    text = out.choices[0].message.content or ""
    assert out.choices[0].finish_reason == "stop"
    assert "](contents.md#dpo-training)" in text or "](large-language-models.md#dpo-training)" in text
    extra = out.model_extra or {}
    assert extra["citations"] and extra["notes_rag"]["refused"] is False
    assert all(c["source"]["url"] for c in extra["citations"])


def test_streamed_completion_ends_with_citations_and_done(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="notes-rag",
        messages=[{"role": "user", "content": "What are my DPO training tips?"}],
        stream=True,
    )
    chunks = list(stream)  # the client stops at data: [DONE]
    assert len(chunks) >= 3 and chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "5e-7" in text and "Sources:" in text
    assert chunks[-1].choices[0].finish_reason == "stop" and (chunks[-1].model_extra or {})["citations"]


def test_history_is_follow_up_context_and_refusals_are_honoured(client: openai.OpenAI) -> None:
    follow = client.chat.completions.create(
        model="notes-rag",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "What are my DPO training tips?"},
            {"role": "assistant", "content": "Lower the learning rate (5e-7) [1]."},
            {"role": "user", "content": "and what about beta?"},
        ],
    )
    assert "beta" in (follow.choices[0].message.content or "").lower()
    refused = client.chat.completions.create(
        model="notes-rag", messages=[{"role": "user", "content": "What is a good recipe for sourdough bread?"}]
    )
    extra = refused.model_extra or {}
    assert extra["notes_rag"]["refused"] is True and extra["citations"] == []
    assert (refused.choices[0].message.content or "").startswith("The sources don't say.")


def test_bad_messages_are_a_clear_4xx(client: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError, match="last user/assistant message"):
        client.chat.completions.create(model="notes-rag", messages=[{"role": "assistant", "content": "hi"}])
