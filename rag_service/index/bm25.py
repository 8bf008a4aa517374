"""Lexical side: a real tokenizer and rank-bm25's BM25Okapi, scored only over candidate documents.

``BM25Okapi.get_scores`` walks every document in Python (linear in the corpus). A document that contains no query
term scores exactly 0, so we keep an inverted postings map and score only the documents that contain at least one
query term with ``get_batch_scores``: the same scores, a fraction of the work.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import snowballstemmer
from rank_bm25 import BM25Okapi

_WORD = re.compile(r"\w+", re.UNICODE)
_COMPOUND = re.compile(r"(?<![\w-])[^\W\d_]{2,}(?:-[^\W\d_]{2,})+(?![\w-])", re.UNICODE)

# English function words; content words (even short ones like "moe", "rag", "kl") are kept.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)


class Tokenizer:
    """Lowercase unicode words, stopwords removed, Snowball-stemmed (English)."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("english")
        self._cache: dict[str, str] = {}

    def __call__(self, text: str, closed_compounds: bool = True) -> list[str]:
        """Stems of the text's words; with ``closed_compounds``, a hyphenated compound's closed form too."""
        out = []
        lowered = text.lower()
        for word in _WORD.findall(lowered):
            if word in STOPWORDS or word == "_":
                continue
            out.append(self._stem(word))
            if "_" in word.strip("_"):
                # an identifier in code ("num_epochs = 3", "warmup_steps") is also found by its words ("epochs")
                out.extend(self._stem(part) for part in word.split("_") if part and part not in STOPWORDS)
        # a hyphenated compound is also its closed form: "fine-tuning" finds a section headed "Finetuning"
        if closed_compounds:
            out.extend(self._stem(m.group().replace("-", "")) for m in _COMPOUND.finditer(lowered))
        return out

    def _stem(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            stem = self._stemmer.stemWord(word)
            self._cache[word] = stem
        return stem


class BM25Index:
    """BM25Okapi over pre-tokenized documents with postings-based candidate scoring."""

    def __init__(self, ids: Sequence[str], tokens: Sequence[list[str]], tokenizer: Tokenizer | None = None) -> None:
        self.ids = list(ids)
        self.tokenizer = tokenizer or Tokenizer()
        self._bm25: BM25Okapi | None = BM25Okapi([t or ["\x00"] for t in tokens]) if self.ids else None
        postings: dict[str, list[int]] = defaultdict(list)
        for i, toks in enumerate(tokens):
            for term in set(toks):
                postings[term].append(i)
        self.postings = {t: np.asarray(v, dtype=np.int64) for t, v in postings.items()}
        self._sorted: list[str] | None = None

    def knows(self, stem: str) -> bool:
        """Whether the corpus uses this stem, or a word sharing its start ("cheapli" ~ "cheap", British "initialis"
        ~ "initi..."): spelling and suffix variants count as known."""
        if stem in self.postings or any(stem[:k] in self.postings for k in range(5, len(stem))):
            return True
        if self._sorted is None:
            self._sorted = sorted(self.postings)
        prefix = stem[: max(5, len(stem) - 3)]
        i = bisect.bisect_left(self._sorted, prefix)
        return i < len(self._sorted) and self._sorted[i].startswith(prefix)

    def __len__(self) -> int:
        return len(self.ids)

    def candidates(self, query_tokens: list[str]) -> np.ndarray:
        """Indices of documents containing at least one query term."""
        lists = [self.postings[t] for t in set(query_tokens) if t in self.postings]
        if not lists:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(lists))

    def score_candidates(self, query_tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(document indices, BM25 scores) for the candidate documents only."""
        cand = self.candidates(query_tokens)
        if self._bm25 is None or cand.size == 0:
            return cand, np.zeros(0)
        scores = np.asarray(self._bm25.get_batch_scores(query_tokens, cand.tolist()), dtype=np.float64)
        return cand, scores

    def full_scores(self, query_tokens: list[str]) -> np.ndarray:
        """rank-bm25's own scan over every document (the oracle the tests compare against)."""
        if self._bm25 is None:
            return np.zeros(0)
        return np.asarray(self._bm25.get_scores(query_tokens), dtype=np.float64)

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk id, score), optionally restricted to ``allowed`` ids."""
        cand, scores = self.score_candidates(self.tokenizer(query))
        if cand.size == 0:
            return []
        order = np.argsort(-scores, kind="stable")
        out: list[tuple[str, float]] = []
        for j in order:
            cid = self.ids[int(cand[j])]
            if allowed is not None and cid not in allowed:
                continue
            out.append((cid, float(scores[j])))
            if len(out) >= k:
                break
        return out
