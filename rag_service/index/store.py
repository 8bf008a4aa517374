"""HybridIndex: Chroma (dense) and BM25 (lexical) over the same chunk ids, with a SQLite chunk store as the truth.

SQLite holds the manifest (each source's content hash), every chunk's text, metadata and BM25 tokens; Chroma holds
the vectors. Writes go: Chroma upsert of the new ids -> one SQLite transaction -> Chroma delete of the stale ids.
A process killed anywhere in between leaves Chroma with extra or missing ids that ``repair()`` (run at the start
of every ingest and at load) removes or re-embeds, so both sides always end with exactly the SQLite ids.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from rag_service.index.bm25 import BM25Index, Tokenizer
from rag_service.index.chroma import get_collection, make_client
from rag_service.index.embedder import Embedder
from rag_service.settings import Settings
from rag_service.types import BadRequestError, Chunk, Source

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (key TEXT PRIMARY KEY, type TEXT NOT NULL, hash TEXT, meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, source_key TEXT NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
    source TEXT NOT NULL, tokens TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_source ON chunks(source_key);
CREATE TABLE IF NOT EXISTS links (
    source_key TEXT NOT NULL, chunk_id TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, target TEXT,
    anchor_text TEXT, heading TEXT);
CREATE INDEX IF NOT EXISTS links_by_source ON links(source_key);
CREATE INDEX IF NOT EXISTS links_by_target ON links(target);
CREATE TABLE IF NOT EXISTS passages (
    chunk_id TEXT PRIMARY KEY, source_key TEXT NOT NULL, n INTEGER NOT NULL, vectors BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS passages_by_source ON passages(source_key);
CREATE TABLE IF NOT EXISTS generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT OR IGNORE INTO generation VALUES (1, 0);
"""

Filters = dict[str, str]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DenseUnavailableError(RuntimeError):
    """The Chroma server cannot be reached: retrieval goes on with BM25 alone (degraded)."""


class HybridIndex:
    """Add / replace / remove sources in both indexes in step; search either side."""

    def __init__(self, settings: Settings, embedder: Embedder, client: Any | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        self.db_path: Path = settings.index_dir / "chunks.sqlite"
        self.db = sqlite3.connect(self.db_path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)
        self.client = client if client is not None else make_client(settings)
        self.collection = get_collection(self.client, settings.collection)
        self.tokenizer = Tokenizer()
        self._generation = -1  # the write generation the cached BM25 / parts were built at
        self._bm25: BM25Index | None = None
        self._parts: dict[str, str] | None = None
        self._cards: dict[str, str] | None = None
        self._batch = int(getattr(self.client, "get_max_batch_size", lambda: 5000)())

    # ---- manifest -------------------------------------------------------------------------------------------
    def source_hashes(self, type_: str | None = None) -> dict[str, str | None]:
        """Content hash of every indexed source (optionally of one type)."""
        q = "SELECT key, hash FROM sources" + (" WHERE type = ?" if type_ else "")
        return dict(self.db.execute(q, (type_,) if type_ else ()).fetchall())

    def source_meta(self, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT meta FROM sources WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def sources(self) -> list[dict[str, Any]]:
        """Every source with its type, metadata and chunk count."""
        rows = self.db.execute(
            "SELECT s.key, s.type, s.meta, COUNT(c.id) FROM sources s LEFT JOIN chunks c ON c.source_key = s.key "
            "GROUP BY s.key ORDER BY s.key"
        ).fetchall()
        return [{"key": k, "type": t, "meta": json.loads(m), "chunks": n} for k, t, m, n in rows]

    def chunk_ids(self, source_key: str | None = None) -> set[str]:
        if source_key is None:
            return {r[0] for r in self.db.execute("SELECT id FROM chunks")}
        return {r[0] for r in self.db.execute("SELECT id FROM chunks WHERE source_key = ?", (source_key,))}

    def chroma_ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    # ---- writes ---------------------------------------------------------------------------------------------
    def replace_source(
        self,
        key: str,
        type_: str,
        content_hash: str,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
        meta: dict[str, Any] | None = None,
        links: Iterable[tuple[str, str, str, str | None, str | None, str | None]] = (),
        passages: dict[str, np.ndarray] | None = None,
    ) -> tuple[int, int, int]:
        """Make ``key`` hold exactly ``chunks`` in both indexes. Returns (added, removed, unchanged) counts.
        ``passages``: chunk id -> the vectors of its passages (retrieval/passages.py), kept with the chunks."""
        old = self.chunk_ids(key)
        new_ids = [c.id for c in chunks]
        fresh = [i for i, c in enumerate(chunks) if c.id not in old]
        ids = set(new_ids)
        stale = sorted(old - ids)
        kept = {cid: m for cid, m in (passages or {}).items() if cid in ids and len(m)}
        self._chroma_upsert([chunks[i] for i in fresh], embeddings[fresh] if fresh else embeddings[:0])
        with self.db:
            self.db.execute("DELETE FROM chunks WHERE source_key = ?", (key,))
            self.db.execute("DELETE FROM links WHERE source_key = ?", (key,))
            self.db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        c.id,
                        key,
                        c.position,
                        c.text,
                        c.source.model_dump_json(exclude_none=True),
                        " ".join(self.tokenizer(c.index_text)),
                    )
                    for c in chunks
                ],
            )
            self.db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?)", [(key, *ln) for ln in links])
            self.db.executemany("DELETE FROM passages WHERE chunk_id = ?", [(i,) for i in stale])
            self.db.executemany(  # float16: half the bytes, and cosines change in the fourth decimal
                "INSERT OR REPLACE INTO passages VALUES (?, ?, ?, ?)",
                [(cid, key, len(m), np.asarray(m, dtype=np.float16).tobytes()) for cid, m in kept.items()],
            )
            self._bump()
            self.db.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)",
                (key, type_, content_hash, json.dumps({**(meta or {}), "ingested_at": _now()})),
            )
        self._chroma_delete(stale)
        return len(fresh), len(stale), len(new_ids) - len(fresh)

    def remove_source(self, key: str) -> int:
        """Delete a source's chunks and links from both indexes; returns how many chunks went."""
        old = sorted(self.chunk_ids(key))
        with self.db:
            self.db.execute("DELETE FROM chunks WHERE source_key = ?", (key,))
            self.db.execute("DELETE FROM links WHERE source_key = ?", (key,))
            self.db.execute("DELETE FROM passages WHERE source_key = ?", (key,))
            self.db.execute("DELETE FROM sources WHERE key = ?", (key,))
            self._bump()
        self._chroma_delete(old)
        return len(old)

    def repair(self) -> int:
        """Bring Chroma to exactly the SQLite ids: drop extras, re-embed missing. Returns ids fixed."""
        truth, dense = self.chunk_ids(), self.chroma_ids()
        extra, missing = sorted(dense - truth), sorted(truth - dense)
        self._chroma_delete(extra)
        if missing:
            chunks = self.get_chunks(missing)
            ordered = [chunks[i] for i in missing]
            self._chroma_upsert(ordered, self.embedder.encode([c.index_text for c in ordered]))
        return len(extra) + len(missing)

    def check(self) -> dict[str, Any]:
        """Read-only consistency report: ids only in SQLite (not embedded), ids only in Chroma (stale), sources
        without chunks, chunks without stored BM25 tokens. ``ok`` when all are empty."""
        truth, dense = self.chunk_ids(), self.chroma_ids()
        empty = [s["key"] for s in self.sources() if s["chunks"] == 0]
        untokenized = [r[0] for r in self.db.execute("SELECT id FROM chunks WHERE tokens = ''")]
        report: dict[str, Any] = {
            "chunks": len(truth),
            "sources": len(self.source_hashes()),
            "missing_in_chroma": sorted(truth - dense),
            "stale_in_chroma": sorted(dense - truth),
            "sources_without_chunks": empty,
            "chunks_without_tokens": untokenized,
        }
        report["ok"] = not any(report[k] for k in report if k not in ("chunks", "sources"))
        return report

    def clear(self) -> None:
        """Drop everything (``ingest --rebuild``)."""
        with self.db:
            for table in ("chunks", "links", "sources", "passages"):
                self.db.execute(f"DELETE FROM {table}")
            self._bump()
        self.client.delete_collection(self.settings.collection)
        self.collection = get_collection(self.client, self.settings.collection)

    def _chroma_upsert(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        for start in range(0, len(chunks), self._batch):
            part = chunks[start : start + self._batch]
            self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=embeddings[start : start + self._batch],
                metadatas=[_chroma_meta(c) for c in part],
            )

    def _chroma_delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self._batch):
            self.collection.delete(ids=list(ids[start : start + self._batch]))

    # ---- reads ----------------------------------------------------------------------------------------------
    def get_chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """Chunks by id (missing ids are absent from the result)."""
        ids = list(ids)
        out: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            for cid, key, pos, text, source in self.db.execute(
                f"SELECT id, source_key, position, text, source FROM chunks WHERE id IN ({marks})", part
            ):
                out[cid] = Chunk(
                    id=cid, source_key=key, position=pos, text=text, source=Source.model_validate_json(source)
                )
        return out

    def chunks_at(self, positions: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Chunk]:
        """Chunks by (source key, position), for returning a hit with its neighbours."""
        by_key: dict[str, list[int]] = {}
        for key, pos in positions:
            by_key.setdefault(key, []).append(pos)
        out: dict[tuple[str, int], Chunk] = {}
        for key, wanted in by_key.items():
            marks = ",".join("?" * len(wanted))
            for cid, pos, text, source in self.db.execute(
                f"SELECT id, position, text, source FROM chunks WHERE source_key = ? AND position IN ({marks})",
                [key, *wanted],
            ):
                out[(key, pos)] = Chunk(
                    id=cid, source_key=key, position=pos, text=text, source=Source.model_validate_json(source)
                )
        return out

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored (normalised) embeddings of the given chunk ids, from Chroma."""
        if not ids:
            return {}
        res = self._dense(self.collection.get, ids=ids, include=["embeddings"])
        return {cid: np.asarray(vec, dtype=np.float32) for cid, vec in zip(res["ids"], res["embeddings"], strict=True)}

    def passage_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored passage vectors (rows, float32) of the given chunk ids; ids stored without any are absent."""
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))
            for cid, n, blob in self.db.execute(
                f"SELECT chunk_id, n, vectors FROM passages WHERE chunk_id IN ({marks})", part
            ):
                out[cid] = np.frombuffer(blob, dtype=np.float16).reshape(n, -1).astype(np.float32)
        return out

    def note_passage_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every stored passage vector of the notes (float32 rows), grouped by chunk, and the chunk id of each row."""
        ids: list[str] = []
        blocks: list[np.ndarray] = []
        for cid, n, blob in self.db.execute(
            "SELECT p.chunk_id, p.n, p.vectors FROM passages p JOIN chunks c ON c.id = p.chunk_id "
            "WHERE p.n > 0 AND json_extract(c.source, '$.type') = 'note' ORDER BY p.chunk_id"
        ):
            ids += [cid] * n
            blocks.append(np.frombuffer(blob, dtype=np.float16).reshape(n, -1))
        if not blocks:
            return [], np.zeros((0, self.embedder.dim), dtype=np.float32)
        return ids, np.vstack(blocks).astype(np.float32)

    def paper_links(self) -> list[dict[str, Any]]:
        """Every link from a note to a fetchable paper: source_key, chunk_id, url, target (paper id), anchor_text,
        heading — in note order."""
        rows = self.db.execute(
            "SELECT source_key, chunk_id, url, target, anchor_text, heading FROM links WHERE target IS NOT NULL "
            "ORDER BY source_key, rowid"
        ).fetchall()
        keys = ("source_key", "chunk_id", "url", "target", "anchor_text", "heading")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def linked_indexed_papers(self, chunk_ids: list[str]) -> list[tuple[str, str]]:
        """(chunk id, paper id) for links from the given chunks to papers that are in the index."""
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        return self.db.execute(
            f"SELECT l.chunk_id, l.target FROM links l JOIN sources s ON s.key = 'paper:' || l.target "
            f"WHERE l.chunk_id IN ({marks})",
            chunk_ids,
        ).fetchall()

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def _bump(self) -> None:
        """Inside a write transaction: one more write generation, so every reader of this index (this object, or an
        API replica beside an ingest) rebuilds its BM25 and part caches on its next access (``refresh``)."""
        self.db.execute("UPDATE generation SET value = value + 1 WHERE id = 1")

    @property
    def generation(self) -> int:
        """The index's write generation (a cheap read: one row)."""
        return int(self.db.execute("SELECT value FROM generation WHERE id = 1").fetchone()[0])

    @property
    def bm25_generation(self) -> int | None:
        """The write generation the in-memory BM25 was built at (None before the first search): /readyz reports it
        and `notes-rag check --replica` compares it with the store's."""
        return self._generation if self._bm25 is not None else None

    def refresh(self) -> bool:
        """Drop the caches built at an older generation (another process wrote); True when they were stale."""
        now = self.generation
        if now == self._generation:
            return False
        self._bm25 = None
        self._parts = None
        self._cards = None
        self._generation = now
        return True

    @property
    def bm25(self) -> BM25Index:
        """The BM25 index, rebuilt from the stored tokens (no re-tokenizing) after any write, here or in another
        process (the write generation is checked on every access)."""
        self.refresh()
        if self._bm25 is None:
            rows = self.db.execute("SELECT id, tokens FROM chunks ORDER BY source_key, position").fetchall()
            self._bm25 = BM25Index([r[0] for r in rows], [r[1].split() for r in rows], self.tokenizer)
        return self._bm25

    @property
    def parts(self) -> dict[str, str]:
        """Chunk id -> part of its paper (abstract, body, appendix, references), for paper chunks; cached like BM25."""
        self.refresh()
        if self._parts is None:
            rows = self.db.execute(
                "SELECT id, json_extract(source, '$.part') FROM chunks WHERE json_extract(source, '$.part') IS NOT NULL"
            )
            self._parts = dict(rows.fetchall())
        return self._parts

    @property
    def paper_cards(self) -> dict[str, str]:
        """Paper id -> its card (title, authors, abstract: the chunks of part 'abstract'); cached like BM25."""
        self.refresh()
        if self._cards is None:
            rows = self.db.execute(
                "SELECT json_extract(source, '$.paper_id'), text FROM chunks "
                "WHERE json_extract(source, '$.part') = 'abstract' ORDER BY source_key, position"
            )
            cards: dict[str, str] = {}
            for paper_id, text in rows:
                cards[paper_id] = f"{cards.get(paper_id, '')}\n{text}".strip()
            self._cards = cards
        return self._cards

    def filtered_ids(self, filters: Filters | None) -> set[str] | None:
        """Chunk ids matching metadata filters (type, file, paper_id), or None when there are no filters."""
        if not filters:
            return None
        clauses, args = [], []
        for field, value in filters.items():
            if field not in ("type", "file", "paper_id"):
                raise BadRequestError(f"filters.{field}: unknown filter (use type, file or paper_id)")
            clauses.append(f"json_extract(source, '$.{field}') = ?")
            args.append(value)
        return {r[0] for r in self.db.execute(f"SELECT id FROM chunks WHERE {' AND '.join(clauses)}", args)}

    def _dense(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        """A read from a Chroma *server*; its being down becomes DenseUnavailableError (embedded Chroma cannot be
        down, so its errors stay what they are)."""
        if self.settings.chroma_host is None:
            return call(*args, **kwargs)
        try:
            return call(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the HTTP client raises httpx, chromadb and plain errors alike
            where = f"{self.settings.chroma_host}:{self.settings.chroma_port}"
            raise DenseUnavailableError(f"Chroma server at {where} unavailable: {e}") from e

    def search_lexical(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """BM25 top-k (chunk id, score)."""
        return self.bm25.search(query, k, self.filtered_ids(filters))

    def search_dense(self, query_vec: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Chroma top-k (chunk id, cosine similarity)."""
        n = self._dense(self.collection.count)
        if n == 0:
            return []
        where = {f: v for f, v in (filters or {}).items() if v is not None}
        kwargs: dict[str, Any] = {}
        if len(where) == 1:
            kwargs["where"] = where
        elif where:
            kwargs["where"] = {"$and": [{f: v} for f, v in where.items()]}
        res = self._dense(
            self.collection.query,
            query_embeddings=[query_vec.tolist()],
            n_results=min(k, n),
            include=["distances"],
            **kwargs,
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def close(self) -> None:
        self.db.close()


def _chroma_meta(chunk: Chunk) -> dict[str, str | int]:
    meta: dict[str, str | int] = {
        "source_key": chunk.source_key,
        "type": chunk.source.type,
        "position": chunk.position,
    }
    if chunk.source.file:
        meta["file"] = chunk.source.file
    if chunk.source.paper_id:
        meta["paper_id"] = chunk.source.paper_id
    if chunk.source.part:
        meta["part"] = chunk.source.part
    if chunk.source.heading_path:
        meta["heading"] = " › ".join(chunk.source.heading_path)[:500]
    return meta


def open_index(settings: Settings, embedder: Embedder | None = None) -> HybridIndex:
    """Load the embedder (unless given) and open the index described by ``settings``."""
    return HybridIndex(settings, embedder or Embedder(settings.embedding))
