"""`notes-rag search | ask | serve | mcp`: the core's commands (ingest and eval bring their own)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from rag_service.cli_common import DataDir, console, make_settings
from rag_service.settings import Settings

app = typer.Typer(help="Ask your notes and the papers behind them.", no_args_is_help=True, add_completion=False)


ServerUrl = Annotated[
    str | None,
    typer.Option("--url", envvar="NOTES_RAG_URL", help="Ask a running notes-rag server instead of loading the index."),
]


def _remote(url: str, path: str, body: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """POST to a running server (the API key from NOTES_RAG_API_KEY); a clear error when it is not there."""
    import httpx

    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    try:
        resp = httpx.post(url.rstrip("/") + path, json=body, headers=headers, timeout=600)
    except httpx.HTTPError as e:
        console.print(f"[red]error:[/red] no notes-rag server at {url} ({e}); unset NOTES_RAG_URL to search locally")
        raise typer.Exit(2) from e
    if resp.status_code != 200:
        console.print(f"[red]error:[/red] {url}{path} answered {resp.status_code}: {resp.text[:300]}")
        raise typer.Exit(1)
    result: dict[str, Any] = resp.json()
    return result


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look up.")],
    k: Annotated[int, typer.Option("-k", help="Results.")] = 10,
    data_dir: DataDir = None,
    url: ServerUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hybrid (BM25 + dense) lookup over the index (or over a running server's, with --url / NOTES_RAG_URL)."""
    from rag_service.types import Source

    settings = make_settings(data_dir)
    if url:
        results = _remote(url, "/v1/search", {"query": query, "k": k}, settings)["results"]
    else:
        results = _local_search(query, k, settings)
    if as_json:
        sys.stdout.write(json.dumps({"results": results}, ensure_ascii=False, indent=2) + "\n")
        return
    for rank, r in enumerate(results, start=1):
        typer.echo(f"{rank:>2}. [{r['score']:.4f}] {Source.model_validate(r['source']).label()}")
        typer.echo("    " + r["text"][:300].replace("\n", "\n    "))


def _local_search(query: str, k: int, settings: Settings) -> list[dict[str, Any]]:
    from rag_service.index.store import open_index
    from rag_service.links import linked
    from rag_service.retrieval.hybrid import build_retriever

    index = open_index(settings)
    try:
        hits = build_retriever(index, settings.retrieval).retrieve(query, k).hits
    finally:
        index.close()
    return [
        {
            "chunk_id": h.chunk.id,
            "score": h.score,
            "text": h.chunk.text,
            "source": linked(h.chunk.source, settings).model_dump(exclude_none=True, mode="json"),
        }
        for h in hits
    ]


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    data_dir: DataDir = None,
    llm: Annotated[str | None, typer.Option(help="local | openai | extractive (env NOTES_RAG_LLM).")] = None,
) -> None:
    """Serve the API and the chat page. Logs one JSON line per request to stderr (notes_rag.access)."""
    import logging

    import uvicorn

    from rag_service.api.main import create_app

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("notes_rag").setLevel(logging.INFO)
    settings = make_settings(data_dir, llm=llm)
    # uvicorn's own access log is off: ours carries the request id, the route template and timings
    uvicorn.run(create_app(settings), host=host or settings.api.host, port=port or settings.api.port, access_log=False)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question.")],
    data_dir: DataDir = None,
    llm: Annotated[str | None, typer.Option(help="local | openai | extractive (env NOTES_RAG_LLM).")] = None,
    k: Annotated[int | None, typer.Option("-k", help="Contexts to retrieve.")] = None,
    url: ServerUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
) -> None:
    """Answer one question with numbered, clickable sources."""
    settings = make_settings(data_dir, llm=llm)
    if url:
        from rag_service.types import Answer

        remote = Answer.model_validate(_remote(url, "/v1/chat", {"message": question, "k": k}, settings))
        if not as_json:
            typer.echo(remote.answer)
        _print_answer(remote, settings, as_json, link=False)
        return
    from rag_service.app import build_services

    with console.status(f"loading ({settings.llm} backend)"):
        services = build_services(settings)
    try:
        if as_json:
            answer = services.pipeline.answer(question, k=k)
        else:
            answer, streamed = None, ""
            for event in services.pipeline.stream(question, k=k):
                if event.kind == "quote" and services.pipeline.llm is not None:  # while the model reads
                    console.print(f"[dim]In your sources: {event.data.quoted} [{event.data.n}][/dim]", highlight=False)
                elif event.kind == "token":
                    streamed += event.data
                    sys.stdout.write(event.data)
                    sys.stdout.flush()
                elif event.kind == "answer":
                    answer = event.data
            sys.stdout.write("\n")
            if answer is None:
                raise typer.Exit(1)
            if not answer.refused and answer.answer != streamed.strip():
                typer.echo(f"\nChecked answer (keys added where the model left a sentence uncited):\n{answer.answer}")
    finally:
        services.close()
    _print_answer(answer, settings, as_json)


def _print_answer(answer: Any, settings: Settings, as_json: bool, link: bool = True) -> None:
    from rag_service.links import link_answer

    if link:  # a server's answers come linked already, by the server's settings
        link_answer(answer, settings)
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    if answer.refused:
        typer.echo(f"\n(refused: {answer.refusal_reason}) closest sources:")
        for r in answer.related:
            typer.echo(f"  - {r.source.label()}  {r.source.url}")
        return
    typer.echo("\nSources:")
    for c in answer.citations:
        mark = "" if c.supported else "  (not supported by this source)"
        typer.echo(f"  [{c.n}] {c.source.label()}  {c.source.url}{mark}")


@app.command()
def mcp(
    data_dir: DataDir = None, llm: Annotated[str | None, typer.Option(help="Backend for the ask tool.")] = None
) -> None:
    """Run the MCP server over stdio (tools search and ask; the notes and papers as resources)."""
    from rag_service.app import build_services
    from rag_service.mcp_server import run_stdio

    services = build_services(make_settings(data_dir, llm=llm))
    try:
        services.warm_up()
        run_stdio(services)
    finally:
        services.close()


def _replica_state(url: str, generation: int, api_key: str | None) -> dict[str, object]:
    """One replica's view: its BM25 generation after a search, against the store's."""
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        httpx.post(f"{url}/v1/search", json={"query": "check", "k": 1}, headers=headers, timeout=60).raise_for_status()
        ready = httpx.get(f"{url}/readyz", timeout=10).json()
    except httpx.HTTPError as e:
        return {"url": url, "current": False, "error": f"{type(e).__name__}: {e}"}
    built = ready.get("bm25_generation")
    return {"url": url, "generation": generation, "bm25_generation": built, "current": built == generation}


@app.command()
def check(
    data_dir: DataDir = None,
    repair: Annotated[bool, typer.Option(help="Make Chroma equal the SQLite chunks (takes the writer lock).")] = False,
    replica: Annotated[
        list[str] | None,
        typer.Option(help="Base URL of a running API replica (repeatable): is the BM25 it searches current?"),
    ] = None,
) -> None:
    """Check that Chroma, BM25 and the SQLite chunk store agree; exit 1 when they do not (after --repair: still).
    With --replica, each replica is sent one search (which makes it catch up, as any request does) and its
    /readyz must then report a BM25 built at the store's current generation."""
    from rag_service.index.lock import IndexLockedError, writer_lock
    from rag_service.index.store import open_index

    settings = make_settings(data_dir)
    index = open_index(settings)
    try:
        report = index.check()
        if repair and not report["ok"]:
            try:
                with writer_lock(settings.index_dir):
                    report["repaired"] = index.repair()
            except IndexLockedError as e:
                console.print(f"[red]error:[/red] {e}")
                raise typer.Exit(1) from e
            report = {**index.check(), "repaired": report["repaired"]}
        if replica:
            report["replicas"] = [_replica_state(url, index.generation, settings.api_key) for url in replica]
            report["ok"] = report["ok"] and all(r["current"] for r in report["replicas"])
    finally:
        index.close()
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    if not report["ok"]:
        raise typer.Exit(1)
