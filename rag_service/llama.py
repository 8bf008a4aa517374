"""A llama-index ``BaseRetriever`` over the hybrid index, for a user's own query engines and agents:

    from rag_service import NotesRetriever
    retriever = NotesRetriever.from_settings(k=5)
    for hit in retriever.retrieve("DPO training tips"):
        print(hit.score, hit.node.metadata["url"])

Each result is a ``NodeWithScore`` whose ``TextNode`` carries the passage and our source metadata (type, title,
heading path, anchor, page, deep link).
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag_service.index.store import Filters
from rag_service.links import linked
from rag_service.retrieval.hybrid import HybridRetriever
from rag_service.settings import Settings
from rag_service.text.injection import as_data_hit
from rag_service.types import ScoredChunk

# metadata a reader needs but an LLM prompt does not
_NOT_FOR_LLM = ["chunk_id", "url", "lines", "anchor", "score_dense"]


class NotesRetriever(BaseRetriever):
    """Hybrid BM25 + dense retrieval (weighted RRF, section windows) behind llama-index's retriever interface."""

    def __init__(
        self, retriever: HybridRetriever, settings: Settings, k: int = 8, filters: Filters | None = None
    ) -> None:
        super().__init__()
        self._hybrid = retriever
        self._settings = settings
        self._k = k
        self._filters = filters

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **kwargs: Any) -> NotesRetriever:
        """Open the index named by ``settings`` (default: from the environment, ``NOTES_RAG_*``)."""
        from rag_service.app import build_services

        settings = settings or Settings()
        # the composition root, without an answer backend: retrieval needs none
        services = build_services(settings.model_copy(update={"llm": "extractive"}))
        return cls(services.pipeline.retriever, settings, **kwargs)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self._hybrid.retrieve(query_bundle.query_str, self._k, self._filters).hits
        # nodes go to a caller's LLM: sources as data, as the answer pipeline reads them (text/injection.py)
        return [NodeWithScore(node=self._node(as_data_hit(h, self._settings.injection)), score=h.score) for h in hits]

    def _node(self, hit: ScoredChunk) -> TextNode:
        src = linked(hit.chunk.source, self._settings)
        meta: dict[str, Any] = {
            "chunk_id": hit.chunk.id,
            "type": src.type,
            "title": src.title,
            "label": src.label(),
            "file": src.file,
            "heading_path": " › ".join(src.heading_path or []),
            "anchor": src.anchor,
            "lines": list(src.lines) if src.lines else None,
            "paper_id": src.paper_id,
            "page": src.page,
            "url": src.url,
            "score_dense": hit.dense_score,
        }
        meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
        return TextNode(
            id_=hit.chunk.id,
            text=hit.chunk.text,
            metadata=meta,
            excluded_llm_metadata_keys=[k for k in _NOT_FOR_LLM if k in meta],
            excluded_embed_metadata_keys=list(meta),
        )
