"""The composition root: index, retriever, LLM and answer pipeline built once from Settings. The API, the MCP
server, the CLI and eval all start here."""

from __future__ import annotations

from dataclasses import dataclass

from rag_service.answer.pipeline import AnswerPipeline
from rag_service.index.store import HybridIndex, open_index
from rag_service.llm.backends import LLMHandle, build_llm
from rag_service.retrieval.hybrid import build_retriever
from rag_service.settings import Settings


@dataclass
class Services:
    settings: Settings
    index: HybridIndex
    pipeline: AnswerPipeline
    llm: LLMHandle | None

    def close(self) -> None:
        self.index.close()

    def warm_up(self) -> None:
        """Load what the first request would otherwise wait for — the embedding model, the BM25 index and the
        LLM's fixed system-prompt prefix — so /readyz means ready."""
        self.index.embedder.encode(["warm up"])
        self.index.embedder.is_common_word("warm")  # the gate's vocabulary, built once
        _ = self.index.bm25
        _ = self.index.parts
        if self.llm is not None:
            self.pipeline.warm_up()


def build_services(settings: Settings, index: HybridIndex | None = None, llm: LLMHandle | None = None) -> Services:
    """Open the index, load the reranker (if configured) and the LLM backend, wire the pipeline."""
    index = index or open_index(settings)
    retriever = build_retriever(index, settings.retrieval)
    if llm is None and settings.llm != "extractive":
        llm = build_llm(settings)
    return Services(settings=settings, index=index, pipeline=AnswerPipeline(retriever, settings, llm), llm=llm)
