"""Ingest and search through HttpClient against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

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


@pytest.mark.slow  # a long run: the second CI step (README, development)
def test_compose_topology_without_docker(tmp_path: Path) -> None:
    """docker-compose.yml's topology run directly: a real `chroma run`, the ingest CLI, and two `notes-rag serve`
    processes sharing one data folder. Both replicas answer alike; a later ingest reaches both within seconds with no
    restart; Chroma killed with SIGKILL leaves both serving from BM25 (degraded, and /readyz says why); Chroma
    restarted on the same port and folder brings the dense side back by itself."""
    import json
    import signal
    import subprocess
    import time

    import httpx

    from tests.helpers import CLI, chroma_process, clean_env, free_port, serve_process

    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "contents.md", notes)
    port = free_port()
    env = clean_env(
        NOTES_RAG_DATA_DIR=str(tmp_path / "data"),
        NOTES_RAG_CHROMA_HOST="127.0.0.1",
        NOTES_RAG_CHROMA_PORT=str(port),
        NOTES_RAG_LLM="extractive",
        NOTES_RAG_FETCH_PAPERS="false",
    )
    ingest = [*CLI, "ingest", str(notes), "--no-fetch"]
    query = {"query": "DPO with HuggingFace Trainer learning rate", "k": 3}

    def search(url: str, q: dict[str, object] = query) -> Any:
        response = httpx.post(f"{url}/v1/search", json=q, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    with chroma_process(tmp_path / "chroma", port) as chroma:
        subprocess.run(ingest, env=env, check=True, capture_output=True)
        with serve_process(env) as one, serve_process(env) as two:
            first = [search(url) for url in (one, two)]
            assert [[r["chunk_id"] for r in f["results"]] for f in first] == [
                [r["chunk_id"] for r in first[0]["results"]]
            ] * 2
            assert not any(f["degraded"] for f in first)
            assert first[0]["results"][0]["source"]["heading_path"] == ["Groq", "DPO training"]

            # a third process's ingest is found by both replicas within seconds, no restart
            (notes / "retrieval.md").write_text("# Retrieval\n## ColBERT\n- ColBERT late interaction retrieval.\n")
            subprocess.run(ingest, env=env, check=True, capture_output=True)
            colbert = {"query": "ColBERT late interaction retrieval", "k": 1}
            assert all("ColBERT late" in search(url, colbert)["results"][0]["text"] for url in (one, two))
            check = [*CLI, "check", "--replica", one, "--replica", two]
            ok = subprocess.run(check, env=env, capture_output=True, text=True)
            replicas = json.loads(ok.stdout)["replicas"]
            assert ok.returncode == 0 and [r["current"] for r in replicas] == [True, True], ok.stdout + ok.stderr
            nobody = f"http://127.0.0.1:{free_port()}"
            gone = subprocess.run([*check, "--replica", nobody], env=env, capture_output=True)
            assert gone.returncode == 1  # a replica that does not answer is not current

            chroma.send_signal(signal.SIGKILL)
            assert chroma.wait(10) == -signal.SIGKILL  # the fault really happened
            with pytest.raises(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            down = [search(url) for url in (one, two)]
            assert all(d["degraded"] for d in down)
            assert down[0]["results"][0]["source"]["heading_path"] == ["Groq", "DPO training"]
            ready = httpx.get(f"{one}/readyz").json()
            assert ready["status"] == "degraded" and "unreachable" in ready["reason"]
            chat = httpx.post(f"{two}/v1/chat", json={"message": "What are my DPO training tips?"}, timeout=120)
            assert chat.status_code == 200 and chat.json()["degraded"] and chat.json()["citations"]

            with chroma_process(tmp_path / "chroma", port):
                deadline = time.monotonic() + 30
                while any(search(url)["degraded"] for url in (one, two)) and time.monotonic() < deadline:
                    time.sleep(0.5)
                back = [search(url) for url in (one, two)]
                assert not any(b["degraded"] for b in back)
                assert [r["chunk_id"] for r in back[0]["results"]] == [r["chunk_id"] for r in first[0]["results"]]
                assert httpx.get(f"{two}/readyz").json()["status"] == "ready"
