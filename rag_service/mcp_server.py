"""The MCP server: tools ``search`` and ``ask`` and the notes and papers as resources, over stdio
(``notes-rag mcp``) or mounted on the API at ``/mcp`` (streamable HTTP, behind the API key).

Built on the official SDK's ``MCPServer`` (mcp 2.x). The tools call the same retriever and answer pipeline as
``/v1/search`` and ``/v1/chat``; a refusal stays a refusal (``refused: true`` with the closest sources).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from mcp.server import MCPServer

from rag_service.app import Services
from rag_service.links import link_answer, linked
from rag_service.text.injection import as_data_hit

INSTRUCTIONS = (
    "Question answering over the user's machine-learning study notes and the papers they link. Use `search` to "
    "find passages (each with a deep link to the note heading or PDF page) and `ask` for a cited answer. An answer "
    "with refused=true means the notes and papers do not say: do not fill the gap from general knowledge."
)


def build_mcp(get_services: Callable[[], Services]) -> MCPServer:
    """The server; ``get_services`` is called per request, so the API can build its services after start-up."""
    # WARNING: at its default (INFO) the SDK sets up root logging that prints every HTTP request the app makes
    mcp = MCPServer(name="notes-rag", instructions=INSTRUCTIONS, log_level="WARNING")

    @mcp.tool()
    def search(
        query: str,
        k: int = 8,
        type: Literal["note", "paper"] | None = None,
        file: str | None = None,
        paper_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Hybrid (keyword + embedding) search over the notes and linked papers. Optional filters: type ('note' or
        'paper'), file (a note's path) or paper_id (arXiv id). Returns passages with their source and deep link."""
        services = get_services()
        filters = {k_: v for k_, v in {"type": type, "file": file, "paper_id": paper_id}.items() if v} or None
        hits = services.pipeline.retriever.retrieve(query, max(1, min(k, 50)), filters).hits
        # an MCP client is a model: it reads the sources as data, as the answer pipeline does (text/injection.py)
        hits = [as_data_hit(h, services.settings.injection) for h in hits]
        return [
            {
                "chunk_id": h.chunk.id,
                "score": round(h.score, 6),
                "text": h.chunk.text,
                "source": linked(h.chunk.source, services.settings).model_dump(mode="json", exclude_none=True),
            }
            for h in hits
        ]

    @mcp.tool()
    def ask(question: str) -> dict[str, Any]:
        """Answer a question from the notes and papers with numbered citations [n] (each with a quote and a deep
        link). refused=true means the sources don't say; related lists the closest sources instead."""
        services = get_services()
        answer = link_answer(services.pipeline.answer(question), services.settings)
        return answer.model_dump(mode="json", exclude_none=True)

    @mcp.resource("notes-rag://sources", name="sources", mime_type="application/json")
    def sources() -> list[dict[str, Any]]:
        """Every indexed note and paper: key, type, title, chunk count, resource URI."""
        index = get_services().index
        return [
            {
                "key": s["key"],
                "type": s["type"],
                "title": s["meta"].get("title"),
                "chunks": s["chunks"],
                "uri": f"notes-rag://source/{_quote(s['key'])}",
            }
            for s in index.sources()
        ]

    @mcp.resource("notes-rag://source/{key}", name="source", mime_type="text/markdown")
    def source(key: str) -> str:
        """The text of one note or paper as indexed, section by section, with its deep links."""
        services = get_services()
        index = services.index
        real = _unquote(key)
        chunks = sorted(index.get_chunks(index.chunk_ids(real)).values(), key=lambda c: c.position)
        if not chunks:
            raise ValueError(f"no indexed source {real!r}")
        out, last = [], None
        for c in chunks:
            src = linked(c.source, services.settings)
            head = f"{src.label()} <{src.url}>" if src.url else src.label()
            if head != last:
                out.append(f"\n## {head}\n")
                last = head
            out.append(c.text)
        return "\n".join(out).strip()

    return mcp


def _quote(key: str) -> str:
    # a note key is a path ("notes/a.md") and a paper key has a colon: one URI segment either way
    return key.replace("%", "%25").replace("/", "%2F").replace(":", "%3A")


def _unquote(key: str) -> str:
    return key.replace("%3A", ":").replace("%2F", "/").replace("%25", "%")


def run_stdio(services: Services) -> None:
    """Serve over stdin/stdout until the client closes it."""
    build_mcp(lambda: services).run("stdio")
