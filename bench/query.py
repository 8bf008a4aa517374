"""Query benchmark: prints figures, asserts nothing.

    python bench/query.py [--data-dir DIR] [--no-llm]

- retrieval p50/p95 over 50 queries on notes + papers, without rerank (goal p50 <= 30 ms)
- BM25 on 100k synthetic chunks: postings-based candidate scoring vs rank-bm25's full scan (goal <= 50 ms/query)
- rerank cost: a cross-encoder of MiniLM-L6 shape (random weights: same compute as a real one) over 20 candidates
- answer latency with the local model: time to first token, total, tokens/s
Without --data-dir an index of ../shared/notes + ../shared/papers is built in a temp folder first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag_service.offline import ensure_offline_env  # noqa: E402

ensure_offline_env()

from ingest.pipeline import run  # noqa: E402
from rag_service.index.bm25 import BM25Index, Tokenizer  # noqa: E402
from rag_service.index.embedder import Embedder  # noqa: E402
from rag_service.index.store import HybridIndex  # noqa: E402
from rag_service.retrieval.hybrid import HybridRetriever, RetrievalConfig  # noqa: E402
from rag_service.settings import Settings  # noqa: E402

GOLDEN = ROOT / "eval" / "data" / "golden.jsonl"


def queries(n: int = 50) -> list[str]:
    qs = [json.loads(line)["question"] for line in GOLDEN.read_text().splitlines() if line.strip()]
    return (qs * (n // max(1, len(qs)) + 1))[:n]


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p))


def bench_retrieval(index: HybridIndex) -> None:
    retriever = HybridRetriever(index, index.settings.retrieval)
    qs = queries()
    retriever.retrieve("warm up")
    cfg = RetrievalConfig(rerank=False)
    totals, parts = [], {"embed_ms": [], "bm25_ms": [], "dense_ms": [], "links_ms": []}  # type: ignore[var-annotated]
    for q in qs:
        t = time.perf_counter()
        res = retriever.retrieve(q, k=8, config=cfg)
        totals.append((time.perf_counter() - t) * 1000)
        for key in parts:
            parts[key].append(res.timings.get(key, 0.0))
    print(f"\n== retrieval over {len(qs)} queries, {index.count()} chunks (hybrid + links + dedupe, no rerank)")
    print(f"p50 {pct(totals, 50):.1f} ms   p95 {pct(totals, 95):.1f} ms   (goal p50 <= 30 ms)")
    print("   " + "   ".join(f"{k} p50 {statistics.median(v):.1f}" for k, v in parts.items()))


def bench_bm25_synthetic(n_docs: int = 100_000, words_per_doc: int = 120) -> None:
    rng = np.random.default_rng(0)
    vocab = [f"term{i}" for i in range(30_000)]
    zipf = np.minimum(rng.zipf(1.2, size=(n_docs, words_per_doc)) - 1, len(vocab) - 1)
    t = time.perf_counter()
    docs = [[vocab[j] for j in row] for row in zipf]
    index = BM25Index([f"d{i}" for i in range(n_docs)], docs, Tokenizer())
    build = time.perf_counter() - t
    qs = [[vocab[j] for j in rng.integers(5, 3000, size=4)] for _ in range(20)]
    t = time.perf_counter()
    for q in qs:
        index.score_candidates(q)
    cand_ms = (time.perf_counter() - t) * 1000 / len(qs)
    t = time.perf_counter()
    for q in qs[:5]:
        index.full_scores(q)
    full_ms = (time.perf_counter() - t) * 1000 / 5
    print(f"\n== BM25 on {n_docs:,} synthetic chunks of {words_per_doc} words (Zipf vocabulary of 30k terms)")
    print(
        f"build {build:.1f} s; candidate scoring {cand_ms:.1f} ms/query (goal <= 50); rank-bm25 get_scores "
        f"{full_ms:.1f} ms/query"
    )


def bench_rerank(index: HybridIndex, tmp: Path) -> None:
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from rag_service.retrieval.rerank import Reranker

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(index.embedder.path)
    cfg = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=384,
        num_hidden_layers=6,
        num_attention_heads=12,
        intermediate_size=1536,
        num_labels=1,  # type: ignore[call-arg]  # a PretrainedConfig kwarg the stubs of BertConfig omit
    )
    BertForSequenceClassification(cfg).save_pretrained(tmp / "ce")
    tok.save_pretrained(tmp / "ce")
    retriever = HybridRetriever(index, index.settings.retrieval, Reranker(str(tmp / "ce")))
    times = []
    for q in queries(20):
        t = time.perf_counter()
        retriever.retrieve(q, k=8)
        times.append((time.perf_counter() - t) * 1000)
    print(f"\n== rerank: MiniLM-L6-shaped cross-encoder over {index.settings.retrieval.rerank_top_n} candidates")
    print(f"retrieval + rerank p50 {pct(times, 50):.0f} ms   p95 {pct(times, 95):.0f} ms")


def bench_llm(index: HybridIndex) -> None:
    from rag_service.answer.pipeline import AnswerPipeline
    from rag_service.llm.backends import build_llm

    settings = index.settings.model_copy(update={"llm": "local"})
    t = time.perf_counter()
    handle = build_llm(settings)
    load = time.perf_counter() - t
    pipeline = AnswerPipeline(HybridRetriever(index, settings.retrieval), settings, handle)
    print(f"\n== answers with the local model ({handle.name if handle else '?'}; load {load:.1f} s)")
    for q in [
        "What are the DPO training tips?",
        "How does the sparsely-gated MoE layer balance load?",
        "What is the LoRA rank r and why can it be small?",
    ]:
        t = time.perf_counter()
        first, n_tokens = None, 0
        for event in pipeline.stream(q):
            if event.kind == "token":
                first = first or time.perf_counter() - t
                n_tokens += 1
            elif event.kind == "answer":
                answer = event.data
        total = time.perf_counter() - t
        gen = answer.timings.get("generate_ms", 0) / 1000 - (first or 0) + answer.timings.get("retrieve_ms", 0) / 1000
        rate = n_tokens / gen if gen > 0 else float("nan")
        print(
            f"{q[:48]:<50} ttft {first or 0:.1f} s  total {total:.1f} s  ~{rate:.1f} tok/s  "
            f"refused={answer.refused} citations={len(answer.citations)}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--no-llm", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=args.data_dir or Path(tmp), fetch_papers=False)
        embedder = Embedder(settings.embedding)
        index = HybridIndex(settings, embedder)
        if args.data_dir is None:
            shared = ROOT.parent / "shared"
            run(settings, [shared / "notes"], index=index, papers_dir=shared / "papers", fetch=False)
        bench_retrieval(index)
        bench_bm25_synthetic()
        bench_rerank(index, Path(tmp))
        if not args.no_llm:
            bench_llm(index)
        index.close()


if __name__ == "__main__":
    main()
