"""BEIR SciFact: index the 5,183 abstracts in their own index (bulk path), run the test queries, nDCG@10 / R@100
per retrieval config, next to the published baselines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from eval.metrics import ndcg_at_k
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import HybridRetriever, RetrievalConfig
from rag_service.retrieval.rerank import Reranker
from rag_service.settings import Settings
from rag_service.types import Chunk, Source, chunk_id

BASELINES = {
    "BM25 (BEIR, Elasticsearch)": 0.665,
    "BM25 + CE rerank (BEIR)": 0.688,
    "BM25 flat (Anserini)": 0.679,
    "all-MiniLM-L6-v2 (MTEB)": 0.645,
    "bge-small-en-v1.5": 0.713,
    "bge-base-en-v1.5": 0.741,
}
CONFIGS = {
    "bm25": RetrievalConfig(dense=False, link_expansion=False, rerank=False, dedupe=False),
    "dense": RetrievalConfig(bm25=False, link_expansion=False, rerank=False, dedupe=False),
    "hybrid": RetrievalConfig(link_expansion=False, rerank=False, dedupe=False),
    "hybrid+rerank": RetrievalConfig(link_expansion=False, rerank=True, dedupe=False),
}


def load(folder: Path, split: str = "test") -> tuple[list[dict[str, Any]], dict[str, str], dict[str, dict[str, int]]]:
    corpus = [json.loads(line) for line in (folder / "corpus.jsonl").read_text().splitlines() if line.strip()]
    queries = {q["_id"]: q["text"] for q in map(json.loads, (folder / "queries.jsonl").read_text().splitlines())}
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels" / f"{split}.tsv").read_text().splitlines()[1:]:
        qid, did, score = line.split("\t")
        qrels.setdefault(qid, {})[did] = int(score)
    return corpus, {q: queries[q] for q in qrels}, qrels


def build_index(
    folder: Path,
    settings: Settings,
    embedder: Embedder,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> HybridIndex:
    """One source holding every abstract (title + text), embedded in one batched pass; skipped when unchanged."""
    corpus, _, _ = load(folder)
    index = HybridIndex(settings, embedder)
    digest = hashlib.sha256((folder / "corpus.jsonl").read_bytes()).hexdigest()
    if index.source_hashes().get("beir:scifact") == digest:
        return index
    chunks = [
        Chunk(
            id=chunk_id("beir:scifact", i, d["_id"]),
            source_key="beir:scifact",
            position=i,
            text=d["text"],
            source=Source(type="paper", paper_id=d["_id"], title=d.get("title") or None, page=1),
        )
        for i, d in enumerate(corpus)
    ]
    texts = [c.index_text for c in chunks]
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    vecs = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    advance = progress("embedding SciFact abstracts", len(texts)) if progress else (lambda n: None)
    step = embedder.batch_size * 4
    for start in range(0, len(order), step):
        part = order[start : start + step]
        vecs[part] = embedder.encode([texts[i] for i in part])
        advance(len(part))
    index.replace_source("beir:scifact", "paper", digest, chunks, vecs, meta={"title": "BEIR SciFact"})
    return index


def evaluate(
    folder: Path,
    settings: Settings,
    embedder: Embedder,
    configs: list[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> dict[str, dict[str, float]]:
    """nDCG@10 and Recall@100 per config over the test queries."""
    _, queries, qrels = load(folder)
    bsettings = settings.model_copy(
        update={
            "data_dir": settings.data_dir / "beir-scifact",
            "collection": "beir_scifact",
            "retrieval": settings.retrieval.model_copy(update={"bm25_k": 200, "dense_k": 200}),
        }
    )
    index = build_index(folder, bsettings, embedder, progress)
    reranker = Reranker(settings.retrieval.rerank_model) if settings.retrieval.rerank_model else None
    retriever = HybridRetriever(index, bsettings.retrieval, reranker)
    results: dict[str, dict[str, float]] = {}
    for name in configs or list(CONFIGS):
        if name == "hybrid+rerank" and reranker is None:
            continue
        ndcgs, recalls = [], []
        advance = progress(f"queries ({name})", len(queries)) if progress else (lambda n: None)
        for qid, text in queries.items():
            hits = retriever.retrieve(text, k=100, config=CONFIGS[name]).hits
            docs = [h.chunk.source.paper_id for h in hits]
            rel = qrels[qid]
            ndcgs.append(
                ndcg_at_k(
                    [float(rel.get(str(d), 0)) for d in docs], 10, n_relevant=sum(1 for v in rel.values() if v > 0)
                )
            )
            recalls.append(len({d for d in docs if rel.get(str(d), 0) > 0}) / sum(1 for v in rel.values() if v > 0))
            advance(1)
        results[name] = {"ndcg@10": round(float(np.mean(ndcgs)), 4), "recall@100": round(float(np.mean(recalls)), 4)}
    index.close()
    return results
