"""Chroma client factory: embedded PersistentClient by default, HttpClient when a host is set.

We talk to chromadb directly instead of through llama-index's ChromaVectorStore: the store writes a serialized
llama-index node into every record's metadata (coupling our on-disk format to its node schema), and we need exact
id listing for the crash-repair check and filtered queries on our own metadata keys.
"""

from __future__ import annotations

from typing import Any

from rag_service.offline import ensure_offline_env
from rag_service.settings import Settings


def make_client(settings: Settings) -> Any:
    """A chromadb client with telemetry off."""
    ensure_offline_env()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def get_collection(client: Any, name: str) -> Any:
    """The collection in cosine space with NO embedding function: Chroma's default one downloads an ONNX model,
    so we always pass our own embeddings."""
    return client.get_or_create_collection(
        name=name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )


async def server_unreachable(settings: Settings, timeout: float = 1.0) -> str | None:
    """Why the configured Chroma server cannot be reached (None when it answers, or when Chroma is embedded).
    Async and bounded so a readiness probe never waits behind request work or a hung server."""
    if not settings.chroma_host:
        return None
    import httpx

    url = f"http://{settings.chroma_host}:{settings.chroma_port}/api/v2/heartbeat"
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url)
    except httpx.HTTPError as e:
        return f"Chroma server at {settings.chroma_host}:{settings.chroma_port} unreachable ({type(e).__name__})"
    if response.status_code != 200:
        return f"Chroma server at {settings.chroma_host}:{settings.chroma_port} answered {response.status_code}"
    return None
