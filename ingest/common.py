"""Pieces both ingest steps (notes and papers) share: progress callbacks, content hashes, batched embedding."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag_service.index.store import HybridIndex
from rag_service.retrieval.passages import passages
from rag_service.settings import Settings
from rag_service.types import Chunk

# Bump when chunking logic changes so every source is re-chunked once.
# 4: chunk ids hash the source metadata too; 5: a markdown table is one unit, BM25 splits snake_case identifiers;
# 6: passage vectors are stored with the chunks (same chunks and ids: the re-run only adds them)
CHUNKER_VERSION = "6"
# The paper table reader's version, in the papers' signature only while chunking.paper_tables is on (a note is never
# re-chunked for it). 1: tables found from their captions, rows under their column names (ingest/pdf_tables.py)
TABLES_VERSION = "1"
# How a PDF line's text is read from its characters (papers only). 2: inline math kept readable, sub/superscripts
# marked, accents on their letters, TeX symbol glyphs read (rag_service/text/pdf_math.py)
PDF_TEXT_VERSION = "2"


@dataclass
class Progress:
    """Progress callbacks: ``start(label, total)`` then ``advance(n)``; the CLI plugs rich in, library use is silent."""

    start: Callable[[str, int], None] = lambda label, total: None
    advance: Callable[[int], None] = lambda n: None


def config_signature(settings: Settings, kind: str = "note") -> str:
    """What a source's chunks depend on besides its bytes: chunker version, embedding model, chunk sizes."""
    c = settings.chunking
    sizes = (c.paper_max_tokens, c.paper_overlap_tokens) if kind == "paper" else (c.max_tokens, c.overlap_tokens)
    signature = f"{CHUNKER_VERSION}:{kind}:{settings.embedding.model}:{sizes[0]}:{sizes[1]}"
    if kind != "paper":
        return signature
    signature += f":pdf{PDF_TEXT_VERSION}"
    # turning tables on (or off) re-chunks the papers, nothing else
    return f"{signature}:tables{TABLES_VERSION}" if c.paper_tables else signature


def content_hash(data: bytes, signature: str) -> str:
    return hashlib.sha256(signature.encode() + b"\x00" + data).hexdigest()


def encode_distinct(
    index: HybridIndex, texts: list[str], progress: Progress, units: list[int] | None = None
) -> np.ndarray:
    """Embed each distinct text once (overlapping chunks and repeated lines share texts), longest first as the
    model batches best, in slices of a few model batches so the progress bar moves; rows come back in input order.
    ``units``: what each text advances the bar by (default 1)."""
    first: dict[str, int] = {}
    row = [first.setdefault(t, len(first)) for t in texts]
    distinct = list(first)
    weight = [0] * len(distinct)
    for i, r in enumerate(row):
        weight[r] += units[i] if units else 1
    order = sorted(range(len(distinct)), key=lambda i: -len(distinct[i]))
    vecs = np.zeros((len(distinct), index.embedder.dim), dtype=np.float32)
    step = index.embedder.batch_size * 4
    for start in range(0, len(order), step):
        part = order[start : start + step]
        vecs[part] = index.embedder.encode([distinct[i] for i in part])
        progress.advance(sum(weight[i] for i in part))
    return vecs[row] if row else np.zeros((0, index.embedder.dim), dtype=np.float32)


def embed_in_batches(index: HybridIndex, chunks: list[Chunk], progress: Progress) -> np.ndarray:
    """The chunk vectors, one row per chunk in input order (each distinct text embedded once)."""
    return encode_distinct(index, [c.index_text for c in chunks], progress)


def embed_chunk_passages(index: HybridIndex, chunks: list[Chunk], progress: Progress) -> dict[str, np.ndarray]:
    """Chunk id -> the vectors of its passages (a note's bullets with their parents, a paper's sentence pairs), stored
    with the chunks so that retrieval scores a chunk by its closest passage without embedding at query time. All
    passages of the run in one pass, each distinct one once (a sentence in two overlapping chunks is one text)."""
    texts = [passages(c) for c in chunks]
    flat = [t for ts in texts for t in ts]
    # the bar counts chunks: each chunk's share is spread over its passages (the last one carries the rest)
    units = [1 if i == len(ts) - 1 else 0 for ts in texts for i in range(len(ts))]
    vecs = encode_distinct(index, flat, progress, units)
    progress.advance(sum(1 for ts in texts if not ts))
    out: dict[str, np.ndarray] = {}
    start = 0
    for c, ts in zip(chunks, texts, strict=True):
        out[c.id] = vecs[start : start + len(ts)] if ts else np.zeros((0, index.embedder.dim), dtype=np.float32)
        start += len(ts)
    return out
