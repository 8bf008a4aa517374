"""The RAG triad and ragas' non-LLM metrics.

Judges: ``local`` (the packaged GGUF through xllamacpp's OpenAI-compatible server), ``openai`` (any
OpenAI-compatible endpoint from settings), ``none`` (non-LLM metrics only) or ``standin`` — a deterministic
embedding heuristic, NOT ragas, for fast tests. A metric that fails or abstains scores NaN; NaNs are counted and
reported, never dropped.
"""

from __future__ import annotations

import asyncio
import math
import warnings
from dataclasses import dataclass
from typing import Any

from rag_service.answer.cite import SupportChecker, split_sentences
from rag_service.index.embedder import Embedder

TRIAD = ("context_relevance", "faithfulness", "answer_relevancy")
NON_LLM = ("non_llm_context_recall", "non_llm_context_precision", "semantic_similarity", "rouge_l")


@dataclass
class Judge:
    """Who produces the triad numbers."""

    kind: str  # none | standin | local | openai
    name: str
    llm: Any = None  # ragas LLM wrapper for local/openai
    keepalive: Any = None  # the local server handle


def ragas_embeddings(embedder: Embedder) -> Any:
    """Our MiniLM embedder behind ragas' embeddings interface (no hub download)."""
    from ragas.embeddings import BaseRagasEmbeddings

    class MiniLM(BaseRagasEmbeddings):
        def __init__(self) -> None:
            super().__init__()
            from ragas.run_config import RunConfig

            self.set_run_config(RunConfig())

        def embed_query(self, text: str) -> list[float]:
            return embedder.encode([text])[0].tolist()

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.encode(texts).tolist()

        async def aembed_query(self, text: str) -> list[float]:
            return self.embed_query(text)

        async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.embed_documents(texts)

    return MiniLM()


def make_judge(kind: str, settings: Any) -> Judge:
    """Build a judge; local starts the packaged GGUF (or llm_opts.model_path) in-process."""
    if kind in ("none", "standin"):
        return Judge(
            kind,
            {
                "none": "no judge (non-LLM metrics only)",
                "standin": "deterministic stand-in (embedding heuristics, not ragas)",
            }[kind],
        )
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr
    from ragas.llms import LangchainLLMWrapper

    if kind == "local":
        from rag_service.llm.backends import LocalServer

        server = LocalServer.start(settings)
        chat = ChatOpenAI(
            base_url=f"{server.address}/v1", api_key=SecretStr("none"), model="local", temperature=0, timeout=600
        )
        return Judge("local", f"local:{server.model_path.name}", LangchainLLMWrapper(chat), server)
    opts = settings.llm_opts
    if not opts.base_url:
        raise ValueError("--judge openai needs llm_opts.base_url (NOTES_RAG_LLM_OPTS__BASE_URL)")
    chat = ChatOpenAI(base_url=opts.base_url, api_key=SecretStr(opts.api_key), model=opts.api_model, temperature=0)
    return Judge("openai", f"openai:{opts.api_model}", LangchainLLMWrapper(chat))


class Scorer:
    """Scores one (question, answer, contexts, reference) sample with every configured metric."""

    def __init__(self, judge: Judge, embedder: Embedder) -> None:
        with warnings.catch_warnings():  # ragas 0.4 deprecates these imports in favour of a different API
            warnings.simplefilter("ignore", DeprecationWarning)
            from ragas.metrics import (
                ContextRelevance,
                Faithfulness,
                NonLLMContextPrecisionWithReference,
                NonLLMContextRecall,
                ResponseRelevancy,
                RougeScore,
                SemanticSimilarity,
            )

        self.judge = judge
        self.embedder = embedder
        self.checker = SupportChecker(embedder)
        emb = ragas_embeddings(embedder)
        self.non_llm = {
            "non_llm_context_recall": NonLLMContextRecall(),
            "non_llm_context_precision": NonLLMContextPrecisionWithReference(),
            "semantic_similarity": SemanticSimilarity(embeddings=emb),
            "rouge_l": RougeScore(),
        }
        self.llm_metrics: dict[str, Any] = {}
        if judge.llm is not None:
            self.llm_metrics = {
                "context_relevance": ContextRelevance(llm=judge.llm),
                "faithfulness": Faithfulness(llm=judge.llm),
                "answer_relevancy": ResponseRelevancy(llm=judge.llm, embeddings=emb, strictness=1),
            }

    def score(
        self, question: str, answer: str, contexts: list[str], reference: str, reference_contexts: list[str]
    ) -> dict[str, float]:
        """Every metric for one sample; NaN where a metric failed or abstained."""
        from ragas import SingleTurnSample

        sample = SingleTurnSample(
            user_input=question,
            response=answer,
            retrieved_contexts=contexts or [""],
            reference=reference,
            reference_contexts=reference_contexts or [reference],
        )
        out: dict[str, float] = {}
        for name, metric in {**self.non_llm, **self.llm_metrics}.items():
            out[name] = _safe(lambda m=metric: asyncio.run(m.single_turn_ascore(sample)))
        if self.judge.kind == "standin":
            out.update(self._standin(question, answer, contexts))
        return out

    def _standin(self, question: str, answer: str, contexts: list[str]) -> dict[str, float]:
        if not contexts:
            return {k: math.nan for k in TRIAD}
        vecs = self.embedder.encode([question, answer, *contexts])
        q, a, ctx = vecs[0], vecs[1], vecs[2:]
        sentences = [s for s in split_sentences(answer) if len(s.split()) >= 3] or [answer]
        grounded = [max(self.checker.support(s, c).score for c in contexts) for s in sentences]
        return {
            "context_relevance": float((ctx @ q).mean()),
            "faithfulness": float(sum(grounded) / len(grounded)),
            "answer_relevancy": float(a @ q),
        }


def _safe(fn: Any) -> float:
    try:
        value = float(fn())
    except Exception:  # noqa: BLE001 - a judge failure is a NaN score, counted in the report
        return math.nan
    return value
