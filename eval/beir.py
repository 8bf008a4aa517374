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
from rag_service.retrieval.fusion import rrf
from rag_service.retrieval.hybrid import HybridRetriever, RetrievalConfig
from rag_service.retrieval.passages import PassageScorer, fuse_passages
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
    "hybrid+passages": RetrievalConfig(link_expansion=False, rerank=False, dedupe=False),
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


Run = dict[str, list[str]]  # query id -> ranked doc ids


def _score(run: Run, qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    ndcgs, recalls = [], []
    for qid, docs in run.items():
        rel = qrels[qid]
        n_rel = sum(1 for v in rel.values() if v > 0)
        ndcgs.append(ndcg_at_k([float(rel.get(d, 0)) for d in docs], 10, n_relevant=n_rel))
        recalls.append(len({d for d in docs[:100] if rel.get(d, 0) > 0}) / n_rel)
    return {"ndcg@10": round(float(np.mean(ndcgs)), 4), "recall@100": round(float(np.mean(recalls)), 4)}


def _lists(
    index: HybridIndex, queries: dict[str, str], depth: int, advance: Callable[[int], None]
) -> dict[str, tuple[list[str], list[str]]]:
    """BM25 and dense ranked chunk ids per query, fetched once so every fusion variant reuses them."""
    out = {}
    vecs = index.embedder.encode(list(queries.values()))
    for (qid, text), vec in zip(queries.items(), vecs, strict=True):
        out[qid] = ([c for c, _ in index.search_lexical(text, depth)], [c for c, _ in index.search_dense(vec, depth)])
        advance(1)
    return out


def _fuse(
    lists: dict[str, tuple[list[str], list[str]]], doc_of: dict[str, str], bm25_w: float, dense_w: float, k: int
) -> Run:
    return {
        qid: [doc_of[c] for c, _ in rrf([(lex, bm25_w), (dense, dense_w)], k=k)[:100]]
        for qid, (lex, dense) in lists.items()
    }


GRID = [(1.0, dw, k) for dw in (0.5, 0.7, 1.0, 1.4, 2.0) for k in (5, 10, 30, 60, 100)]


def evaluate(
    folder: Path,
    settings: Settings,
    embedder: Embedder,
    configs: list[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    tune: bool = False,
) -> dict[str, dict[str, float]]:
    """nDCG@10 and Recall@100 per config over the test queries. ``tune`` adds ``hybrid-tuned``: RRF weights and k
    chosen on the TRAIN queries (never on test), then scored once on test."""
    _, queries, qrels = load(folder, "test")
    bsettings = settings.model_copy(
        update={
            "data_dir": settings.data_dir / "beir-scifact",
            "collection": "beir_scifact",
            "retrieval": settings.retrieval.model_copy(update={"bm25_k": 200, "dense_k": 200}),
        }
    )
    index = build_index(folder, bsettings, embedder, progress)
    doc_of = {c.id: str(c.source.paper_id) for c in index.get_chunks(index.chunk_ids()).values()}
    step = progress or (lambda label, total: lambda n: None)
    lists = _lists(index, queries, 200, step("test queries", len(queries)))
    r = bsettings.retrieval
    wanted = configs or list(CONFIGS)
    results: dict[str, dict[str, float]] = {}
    if "bm25" in wanted:
        results["bm25"] = _score({q: [doc_of[c] for c in lex[:100]] for q, (lex, _) in lists.items()}, qrels)
    if "dense" in wanted:
        results["dense"] = _score({q: [doc_of[c] for c in dense[:100]] for q, (_, dense) in lists.items()}, qrels)
    if "hybrid" in wanted:
        results["hybrid"] = _score(_fuse(lists, doc_of, r.bm25_weight, r.dense_weight, r.rrf_k), qrels)
    if "hybrid+passages" in wanted:
        # the retriever's third list (retrieval/passages.py) over the head of the same fused lists; SciFact's
        # abstracts are paper prose, so a passage is two sentences
        scorer = PassageScorer(embedder.encode, index.passage_vectors)
        chunks = index.get_chunks(index.chunk_ids())
        qvecs = dict(zip(queries, embedder.encode(list(queries.values())), strict=True))
        fused_runs = {}
        for qid, (lex, dense) in lists.items():
            fused = rrf([(lex, r.bm25_weight), (dense, r.dense_weight)], k=r.rrf_k)
            head = [chunks[c] for c, _ in fused[: r.passage_pool]]
            closest = scorer.scores(qvecs[qid], head)
            fused_runs[qid] = [doc_of[c] for c, _ in fuse_passages(fused, closest, r.passage_weight, r.rrf_k)[:100]]
        results["hybrid+passages"] = _score(fused_runs, qrels)
    if "hybrid+rerank" in wanted and settings.retrieval.rerank_model:
        retriever = HybridRetriever(index, r, Reranker(settings.retrieval.rerank_model))
        run = {
            q: [str(h.chunk.source.paper_id) for h in retriever.retrieve(t, 100, config=CONFIGS["hybrid+rerank"]).hits]
            for q, t in queries.items()
        }
        results["hybrid+rerank"] = _score(run, qrels)
    if tune:
        _, train_queries, train_qrels = load(folder, "train")
        train_lists = _lists(index, train_queries, 200, step("train queries (tuning)", len(train_queries)))
        best = max(GRID, key=lambda g: _score(_fuse(train_lists, doc_of, *g), train_qrels)["ndcg@10"])
        results["hybrid-tuned"] = {
            **_score(_fuse(lists, doc_of, *best), qrels),
            "bm25_weight": best[0],
            "dense_weight": best[1],
            "rrf_k": best[2],
        }
    index.close()
    return results
