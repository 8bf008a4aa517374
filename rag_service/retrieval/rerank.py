"""Optional cross-encoder rerank (sentence-transformers CrossEncoder from a local path).

No PyPI package ships cross-encoder weights, so it is off by default here. With network, download e.g.
cross-encoder/ms-marco-MiniLM-L-6-v2 once (``huggingface-cli download ... --local-dir DIR``) and set
``NOTES_RAG_RETRIEVAL__RERANK_MODEL=DIR``.
"""

from __future__ import annotations

from pathlib import Path

from rag_service.types import ScoredChunk


class Reranker:
    """Rescore (query, chunk text) pairs with a cross-encoder; the hit score becomes the cross-encoder score."""

    def __init__(self, model_path: str, device: str = "cpu") -> None:
        if not Path(model_path).is_dir():
            raise FileNotFoundError(f"retrieval.rerank_model: {model_path!r} is not a local directory")
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(model_path, device=device)

    def scores(self, query: str, texts: list[str]) -> list[float]:
        if not texts:
            return []
        return [float(s) for s in self.model.predict([(query, t) for t in texts], show_progress_bar=False)]

    def rerank(self, query: str, hits: list[ScoredChunk]) -> list[ScoredChunk]:
        scores = self.scores(query, [h.chunk.index_text for h in hits])
        rescored = [h.model_copy(update={"score": s}) for h, s in zip(hits, scores, strict=True)]
        return sorted(rescored, key=lambda h: -h.score)
