"""The MCP server through the official SDK's client: over stdio (`notes-rag mcp` as a subprocess on a real index) and
over streamable HTTP at /mcp on the live API server."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from mcp import Client
from mcp.client.stdio import StdioServerParameters

from rag_service.index.store import HybridIndex
from tests.helpers import clean_env


async def _session(server: Any) -> dict[str, Any]:
    async with Client(server) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        found = await client.call_tool("search", {"query": "DPO training tips learning rate", "k": 3})
        asked = await client.call_tool("ask", {"question": "What is a good recipe for sourdough bread?"})
        listed = await client.read_resource("notes-rag://sources")
        note_uri = next(s["uri"] for s in json.loads(listed.contents[0].text) if s["type"] == "note")
        note = await client.read_resource(note_uri)
        return {
            "tools": tools,
            "search": found.structured_content,
            "ask": asked.structured_content,
            "note": note.contents[0].text,
        }


def _check(out: dict[str, Any]) -> None:
    assert {"search", "ask"} <= set(out["tools"])
    assert "query" in out["tools"]["search"].input_schema["properties"]
    hits = out["search"]["result"]
    assert len(hits) == 3 and any("5e-7" in h["text"] for h in hits)
    assert all(h["source"].get("url") for h in hits)
    assert out["ask"]["refused"] is True and out["ask"]["related"]  # a refusal stays a refusal
    assert out["note"].startswith("## ") and len(out["note"]) > 200


def test_mcp_over_stdio(full_index: HybridIndex) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", "from notes_rag.cli import app; app()", "mcp", "--data-dir", str(full_index.settings.data_dir)],
        env=clean_env(NOTES_RAG_LLM="extractive", NOTES_RAG_FETCH_PAPERS="false"),
    )
    _check(asyncio.run(_session(params)))


def test_mcp_over_http_on_the_api(live_server: str) -> None:
    _check(asyncio.run(_session(f"{live_server}/mcp")))
