"""Passage-level dense scores: a chunk is as close to the query as its closest passage (a note's bullet with its
parent bullet, or two sentences of a paper).

One vector per chunk averages a long section of links and bullets into something close to none of them: "MoE is
rumored to be used in GPT-4" sits in a reading-list chunk whose vector scores 0.24 against "Which model is MoE
rumored to be used in?" (rank 114 of the dense list) while BM25 ranks it first. Scoring the fused pool's chunks by
their best passage gives such a chunk the dense vote it lacks. No cross-encoder ships offline; this uses the same
embedding model (llama-index's node parsers split by sentence, but keep no link from a sentence to its bullet's
parent, which is what makes a note's bullet mean something).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from rag_service.text.regions import regions
from rag_service.types import Chunk

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
_MAX_CHARS = 400  # past the embedder's useful length for a single statement


# a fenced code block: its lines are no statements (the chunk's own vector still covers the code)
_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.M | re.S)
_MARKUP = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+|\]\(\s*\)|[\[\]*_`|]")  # bullets, blanked links, emphasis


def _plain(line: str) -> str:
    """A markdown line as words: "- [Some paper]( ) **note**" -> "Some paper note"."""
    return " ".join(_MARKUP.sub(" ", line).split())


def passages(chunk: Chunk) -> list[str]:
    """The statements of a chunk, each with what frames it: for a note, a sentence with its nearest parent bullet
    (or table header) under the section's last heading, code blocks left out; for a paper, each pair of consecutive
    sentences (PDF lines are no statements, so the text is re-flowed first)."""
    if chunk.source.part == "references":  # titles and authors: no statement to find (a quarter of the papers')
        return []
    heading = (chunk.source.heading_path or [""])[-1]
    out: list[str] = []
    if chunk.source.type == "note":
        for region in regions(_FENCED.sub("", chunk.text)):
            sentence = _plain(region.sentence)
            if len(sentence.split()) >= 3:
                parent = _plain(region.frame.splitlines()[-1]) if region.frame else ""
                out.append(" ".join(x for x in (heading, parent, sentence) if x)[:_MAX_CHARS])
    else:
        sentences = [s for s in _SENT.split(" ".join(chunk.text.split())) if s.strip()]
        for i in range(len(sentences)):
            out.append(" ".join(sentences[i : i + 2])[:_MAX_CHARS])
    return out


class PassageScorer:
    """Best passage cosine per chunk. Passage vectors come from the index (ingest stores them with the chunks), else
    are embedded here; either way they are kept per chunk id in an LRU (a chunk id is a hash of its text, so a kept
    entry is never stale)."""

    def __init__(
        self,
        encode: Callable[[list[str]], np.ndarray],
        stored: Callable[[Sequence[str]], dict[str, np.ndarray]] | None = None,
        cache_chunks: int = 8192,
    ) -> None:
        self.encode = encode
        self.stored = stored
        self.cache_chunks = cache_chunks
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.embedded = 0  # chunks whose passages were embedded here, not read from the index

    def vectors(self, chunks: Sequence[Chunk]) -> dict[str, np.ndarray]:
        """Passage vectors (rows) of each chunk."""
        with self._lock:  # the API searches from several threads; the LRU is shared
            return self._vectors_of(chunks)

    def _vectors_of(self, chunks: Sequence[Chunk]) -> dict[str, np.ndarray]:
        todo = [c for c in chunks if c.id not in self._vectors]
        if todo and self.stored is not None:
            self._vectors.update(self.stored([c.id for c in todo]))
            todo = [c for c in todo if c.id not in self._vectors]
        for chunk, matrix in zip(todo, embed_passages(self.encode, todo), strict=True):
            self._vectors[chunk.id] = matrix
        self.embedded += len(todo)
        out = {}
        for c in chunks:
            self._vectors.move_to_end(c.id)
            out[c.id] = self._vectors[c.id]
        while len(self._vectors) > self.cache_chunks:
            self._vectors.popitem(last=False)
        return out

    def scores(self, qvec: np.ndarray, chunks: Sequence[Chunk]) -> dict[str, float]:
        """Chunk id -> the cosine of its closest passage to the query (chunks without passages are left out)."""
        return {cid: float((m @ qvec).max()) for cid, m in self.vectors(chunks).items() if m.size}


class PassageSearch:
    """The closest chunks to a query by their closest passage, over every passage ``load`` gives (the notes'): a
    brute-force product with one matrix (well under a millisecond for the shipped notes), reloaded when the index's
    write generation moves. Chroma holds one vector per chunk, so this cannot be asked of it."""

    def __init__(self, load: Callable[[], tuple[list[str], np.ndarray]], generation: Callable[[], int]) -> None:
        self.load = load
        self.generation = generation
        self._at = -1
        self._ids: list[str] = []
        self._starts = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._lock = threading.Lock()

    def _current(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        with self._lock:
            now = self.generation()
            if now != self._at:
                rows, matrix = self.load()
                starts = [i for i in range(len(rows)) if i == 0 or rows[i] != rows[i - 1]]
                self._ids = [rows[i] for i in starts]
                self._starts = np.asarray(starts, dtype=np.int64)
                self._matrix, self._at = matrix, now
            return self._ids, self._starts, self._matrix

    def search(self, qvec: np.ndarray, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk id, best passage cosine), only among ``allowed`` ids when given."""
        ids, starts, matrix = self._current()
        if not ids:
            return []
        best = np.maximum.reduceat(_matvec(matrix, qvec), starts)
        if allowed is not None:
            best = np.where(np.fromiter((c in allowed for c in ids), dtype=bool, count=len(ids)), best, -np.inf)
        top = np.argsort(-best)[:k]
        return [(ids[i], float(best[i])) for i in top if np.isfinite(best[i])]


def _matvec(matrix: np.ndarray, vec: np.ndarray) -> np.ndarray:
    """matrix @ vec through torch, whose threads the embedder already uses: numpy's BLAS threads keep spinning
    after a product this size and slowed the next query embedding from 11 to 40-100 ms (measured)."""
    import torch

    return torch.from_numpy(matrix).mv(torch.from_numpy(np.ascontiguousarray(vec, dtype=np.float32))).numpy()


def embed_passages(encode: Callable[[list[str]], np.ndarray], chunks: Sequence[Chunk]) -> list[np.ndarray]:
    """The passage vectors of each chunk, one matrix per chunk (0 rows when it has none), embedded in one call
    sorted by length (as the embedder batches best)."""
    texts = [passages(c) for c in chunks]
    flat = [t for ts in texts for t in ts]
    if not flat:
        return [np.zeros((0, 0), dtype=np.float32) for _ in chunks]
    order = sorted(range(len(flat)), key=lambda i: -len(flat[i]))
    got = encode([flat[i] for i in order])
    vecs = np.empty_like(got)
    vecs[order] = got
    out, start = [], 0
    for ts in texts:
        out.append(vecs[start : start + len(ts)])
        start += len(ts)
    return out


def fuse_passages(
    fused: list[tuple[str, float]], best: dict[str, float], weight: float, rrf_k: int
) -> list[tuple[str, float]]:
    """``fused`` (id, RRF score) with one more RRF list: the ids of ``best`` ranked by their passage cosine."""
    ranked = sorted(best, key=lambda cid: -best[cid])
    bonus = {cid: weight / (rrf_k + rank) for rank, cid in enumerate(ranked, start=1)}
    return sorted(((cid, score + bonus.get(cid, 0.0)) for cid, score in fused), key=lambda kv: -kv[1])
