"""Pieces both ingest steps (notes and papers) share: progress callbacks, content hashes, batched embedding."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag_service.index.store import HybridIndex
from rag_service.retrieval.passages import embed_passages
from rag_service.settings import Settings
from rag_service.types import Chunk

# Bump when chunking logic changes so every source is re-chunked once.
# 4: chunk ids hash the source metadata too; 5: a markdown table is one unit, BM25 splits snake_case identifiers;
# 6: passage vectors are stored with the chunks (same chunks and ids: the re-run only adds them)
CHUNKER_VERSION = "6"


@dataclass
class Progress:
    """Progress callbacks: ``start(label, total)`` then ``advance(n)``; the CLI plugs rich in, library use is silent."""

    start: Callable[[str, int], None] = lambda label, total: None
    advance: Callable[[int], None] = lambda n: None


def config_signature(settings: Settings, kind: str = "note") -> str:
    """What a source's chunks depend on besides its bytes: chunker version, embedding model, chunk sizes."""
    c = settings.chunking
    sizes = (c.paper_max_tokens, c.paper_overlap_tokens) if kind == "paper" else (c.max_tokens, c.overlap_tokens)
    return f"{CHUNKER_VERSION}:{kind}:{settings.embedding.model}:{sizes[0]}:{sizes[1]}"


def content_hash(data: bytes, signature: str) -> str:
    return hashlib.sha256(signature.encode() + b"\x00" + data).hexdigest()


def embed_in_batches(index: HybridIndex, chunks: list[Chunk], progress: Progress) -> np.ndarray:
    """Embed all chunk texts in one length-sorted pass (as ``model.encode`` does internally, so batches pad little),
    in slices of a few model batches so the progress bar moves; rows come back in input order."""
    texts = [c.index_text for c in chunks]
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out = np.zeros((len(texts), index.embedder.dim), dtype=np.float32)
    step = index.embedder.batch_size * 4
    for start in range(0, len(order), step):
        part = order[start : start + step]
        out[part] = index.embedder.encode([texts[i] for i in part])
        progress.advance(len(part))
    return out


def embed_chunk_passages(index: HybridIndex, chunks: list[Chunk], progress: Progress) -> dict[str, np.ndarray]:
    """Chunk id -> the vectors of its passages (a note's bullets with their parents, a paper's sentence pairs), stored
    with the chunks so that retrieval scores a chunk by its closest passage without embedding at query time."""
    out: dict[str, np.ndarray] = {}
    step = 64
    for start in range(0, len(chunks), step):
        part = chunks[start : start + step]
        out.update((c.id, m) for c, m in zip(part, embed_passages(index.embedder.encode, part), strict=True))
        progress.advance(len(part))
    return out
