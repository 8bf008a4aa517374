"""Ingest and search through HttpClient against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.pipeline import run
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import HybridRetriever
from tests.conftest import NOTES, make_settings
from tests.helpers import chroma_server


def test_ingest_and_search_via_chroma_server(tmp_path: Path, embedder: Embedder) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "contents.md", notes)
    with chroma_server(tmp_path / "chroma-server") as port:
        settings = make_settings(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port)
        index = HybridIndex(settings, embedder)
        assert type(index.client).__name__ != "PersistentClient"
        assert not (settings.index_dir / "chroma").exists(), "server mode must not write an embedded Chroma"
        report = run(settings, [notes], index=index, with_papers=False)
        assert report.chunks_added > 10
        assert index.chroma_ids() == index.chunk_ids()
        hits = (
            HybridRetriever(index, index.settings.retrieval)
            .retrieve("DPO with HuggingFace Trainer learning rate", k=3)
            .hits
        )
        assert hits[0].chunk.source.heading_path == ["Groq", "DPO training"]
        again = run(settings, [notes], index=index, with_papers=False)
        assert again.chunks_added == 0 and again.files_skipped == 1
    # the server is gone: retrieval degrades to BM25 alone, says so, and answers still come with the evidence gate
    retriever = HybridRetriever(index, index.settings.retrieval)
    down = retriever.retrieve("DPO with HuggingFace Trainer learning rate", k=3)
    assert down.degraded and down.hits[0].chunk.source.heading_path == ["Groq", "DPO training"]
    assert down.best_similarity > 0.4  # vectors of the pool come from the local embedder
    from rag_service.answer.pipeline import AnswerPipeline

    answer = AnswerPipeline(retriever, settings.model_copy(update={"llm": "extractive"}), None).answer(
        "What are my DPO training tips?"
    )
    assert answer.degraded and not answer.refused and answer.citations
    index.close()


def test_two_stateless_api_replicas_share_one_chroma_server(tmp_path: Path, embedder: Embedder) -> None:
    """Two API processes' worth of app (each its own index object, one shared data folder and Chroma server): an
    ingest through neither is answered by both at once, with no restart."""
    import httpx

    from tests.helpers import serve_app

    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "contents.md", notes)
    with chroma_server(tmp_path / "chroma-server") as port:
        settings = make_settings(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port, llm="extractive")
        writer = HybridIndex(settings, embedder)
        run(settings, [notes], index=writer, with_papers=False)
        replicas = [HybridIndex(settings, embedder) for _ in range(2)]
        with serve_app(settings, replicas[0]) as one, serve_app(settings, replicas[1]) as two:
            query = {"query": "ColBERT late interaction retrieval", "k": 1}
            before = [httpx.post(f"{url}/v1/search", json=query).json() for url in (one, two)]
            assert all("ColBERT" not in r["results"][0]["text"] for r in before)
            (notes / "retrieval.md").write_text("# Retrieval\n## ColBERT\n- ColBERT late interaction retrieval.\n")
            run(settings, [notes], index=writer, with_papers=False)  # a third process's ingest
            after = [httpx.post(f"{url}/v1/search", json=query).json() for url in (one, two)]
            assert all("ColBERT late interaction" in r["results"][0]["text"] for r in after)
            generations = {httpx.get(f"{url}/readyz").json()["generation"] for url in (one, two)}
            assert generations == {writer.generation}
        for index in (writer, *replicas):
            index.close()
