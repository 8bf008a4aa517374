"""Citations: map ``[n]`` keys to the contexts offered, strip unknown keys, check each cited sentence against the
text it cites. Support = mean of the best embedding similarity to a sentence of the cited text and the share of the
sentence's content words found there (no NLI model ships offline)."""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from rag_service.index.bm25 import Tokenizer
from rag_service.index.embedder import Embedder

_KEYS = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# A sentence ends at . ! ? followed by its citation keys, if any: never split between a sentence and its [n].
_SENT = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z(\"'*0-9])|\n+")


@dataclass
class CitedSentence:
    text: str  # without citation keys
    keys: list[int]


@dataclass
class Support:
    score: float
    quote: str


_IMAGE_OR_TAG = re.compile(r"!\[[^\]]*\]\([^)]*\)|</?[A-Za-z][^<>]{0,300}>")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|file:|/)[^)]*\)")
_FROM_KEY = re.compile(r"\((?:from|see|source:?|per)\s*(\[\d+\])\)", re.I)
# "..., as stated in [1]." / "... which is listed in source [2]." / "... from sources [2].": where, said in words
_SAID_IN_KEY = re.compile(
    r",?\s*\(?\b(?:as\s+(?:stated|mentioned|noted|described|shown|given|explained|seen)\s+in|according\s+to"
    r"|(?:which\s+is\s+|as\s+)?(?:listed|stated|mentioned|found|given)\s+in|from|see|per)"
    r"\s+(?:the\s+)?(?:(?:sources?|contexts?|notes?|documents?)\s*)?(\[\d+\])\)?(?=\s*(?:[.;!?]|$))",
    re.I | re.M,
)


def clean_answer(text: str, labels: list[str]) -> str:
    """Prose with [n] markers only: context labels the model copied from the prompt ("[1] (Flow Engineering)",
    "[Flow Engineering]") go, "(from [1])" and a closing "as stated in [1]" become "[1]", markdown links keep their
    text."""
    text = _IMAGE_OR_TAG.sub(" ", text)  # an answer is prose: a source's images and HTML tags are not carried
    for _ in range(3):  # a link around a link ("[Model merging]([https://x](https://x))") unwraps from inside
        text, n = _MD_LINK.subn(r"\1", text)
        if not n:
            break
    text = _FROM_KEY.sub(r"\1", text)
    text = _SAID_IN_KEY.sub(r" \1", text)
    for label in sorted({x for lab in labels for x in (lab, *lab.split(" › ")) if len(x) >= 4}, key=len, reverse=True):
        esc = re.escape(label)
        text = re.sub(rf"\s*[\[(]{esc}[\])]", "", text)
    # "1. [2] * MEDUSA: ..." (a list item that names its source first): the keys go to the end of the item
    text = _KEYED_ITEM.sub(lambda m: f"{m.group(1)}{m.group(3).rstrip()} {m.group(2).strip()}", text)
    text = _KEYS_ONLY_ITEM.sub("", text)  # "4. [4]": an item that states nothing
    text = re.sub(r"^\s*(\[\d+\]\s*)+", "", text)  # keys before any words cite nothing
    return collapse_keys(text)


_KEYS_ONLY_ITEM = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]*(?:\[\d+\][ \t]*)+$\n?")
_KEYED_ITEM = re.compile(r"(?m)^([ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+)((?:\[\d+\][ \t]*)+)(?:[-*•][ \t]+)?(\S.*)$")


# "The source for this information is [1]." / "Sources: [1], [2]": a sentence that only says where the others come from
# "This is stated in [3] and [4]." / "This information can be found in source [2]." likewise
_SOURCE_LINE = re.compile(
    r"^\W*(?:(?:the\s+)?(?:sources?|references?|citations?)"
    r"(?:\s+(?:for|of)\s+(?:this|these|that|the)(?:\s+(?:above|information|answer|formula|list|steps|facts?))?)?"
    r"\s*(?:is|are|:)?"
    r"|(?:this|that|it)(?:\s+(?:information|answer|fact))?\s+(?:(?:is|was|can\s+be|are)\s+(?:also\s+)?"
    r"(?:stated|mentioned|found|described|noted|given|shown|explained|discussed|written)\s+(?:in|by)"
    # "This is from source [3]." (which clean_answer leaves as "This is [3].") / "This comes from [2]."
    r"|(?:is|was|comes|came)(?:\s+(?:also\s+)?(?:from|in))?)"
    r"(?:\s+(?:both|the))?(?:\s+(?:sources?|notes?|contexts?))?)"
    r"\s*((?:\[\d+\][\s,;]*(?:and\s*)?)+)\W*$",
    re.I,
)


def move_source_lines(text: str) -> str:
    """Small models often cite in a closing "The source for this is [1]." instead of after each sentence: such a
    sentence goes, and its keys go onto the sentences before it that cite nothing."""
    sentences = split_sentences(text)
    for i, sent in enumerate(sentences):
        m = _SOURCE_LINE.match(sent)
        if not m:
            continue
        keys = "".join(f"[{k}]" for k in re.findall(r"\d+", m.group(1)))
        text = text.replace(sent, "", 1)
        for earlier in sentences[:i]:
            if not _KEYS.search(earlier) and len(earlier.split()) >= 3 and not _SOURCE_LINE.match(earlier):
                text = text.replace(earlier, f"{earlier.rstrip()} {keys}", 1)
    text = re.sub(r"(?m)^[ \t]*\d{1,2}[.)][ \t]*$", "", text)  # the list number the source line left behind
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def drop_keys(text: str) -> str:
    """The text without its citation keys ("[1]", "[2, 3]")."""
    return _KEYS.sub(" ", text)


def collapse_keys(text: str) -> str:
    """'[3] [3] [3]' -> '[3]'."""
    return re.sub(r"(\[\d+\])(\s*\1)+", r"\1", text)


def drop_repeats(text: str) -> str:
    """A sentence the model already wrote, written again (small models loop under greedy decoding), goes."""
    seen: set[str] = set()
    kept = []
    for sent in split_sentences(text):
        key = " ".join(_KEYS.sub("", sent).lower().split())
        if len(key.split()) >= 4 and key in seen:
            continue
        seen.add(key)
        kept.append(sent)
    return text if len(kept) == len(split_sentences(text)) else "\n".join(kept) if "\n" in text else " ".join(kept)


def strip_unknown_keys(answer: str, n_contexts: int) -> tuple[str, list[int]]:
    """Remove citation keys that were not offered (outside 1..n); returns the clean text and the keys kept."""
    used: list[int] = []

    def repl(m: re.Match[str]) -> str:
        keys = [int(k) for k in re.split(r"\s*[,;]\s*", m.group(1))]
        good = [k for k in keys if 1 <= k <= n_contexts]
        used.extend(k for k in good if k not in used)
        return "".join(f"[{k}]" for k in good)

    text = _KEYS.sub(repl, answer)
    # the space a removed key leaves before punctuation goes; not the space of " .95" (a number)
    return re.sub(r"[ \t]+([.,;:])(?!\d)", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip(), used


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if s and s.strip()]


def cited_sentences(answer: str) -> list[CitedSentence]:
    """Each sentence with the keys it cites (a trailing key-only fragment attaches to the sentence before)."""
    out: list[CitedSentence] = []
    for sent in split_sentences(answer):
        keys = [int(k) for group in _KEYS.findall(sent) for k in re.split(r"\s*[,;]\s*", group)]
        text = re.sub(r"\s+([.,;:!?])(?!\d)", r"\1", _KEYS.sub("", sent)).strip()
        if not re.search(r"\w", text) and out:
            out[-1].keys += [k for k in keys if k not in out[-1].keys]
            continue
        out.append(CitedSentence(text=text, keys=keys))
    return out


class SupportChecker:
    """Scores how well a sentence is supported by a context text."""

    def __init__(self, embedder: Embedder, cache_size: int = 4096) -> None:
        self.embedder = embedder
        self.tokenizer = Tokenizer()
        # One answer checks each of its sentences against several contexts, and their joins (joint support, key
        # repair), and the extractive backend embeds the same context sentences: each sentence is embedded once.
        # bench/chat_cpu.py measured this cache (docs/CHANGELOG.md, "CPU per answer").
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` (one row each), encoding only those not seen recently, in one batch."""
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for t in known:
                self._vectors.move_to_end(t)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = self.embedder.encode(missing)
            known.update(zip(missing, fresh, strict=True))
            with self._lock:
                self._vectors.update(zip(missing, fresh, strict=True))
                while len(self._vectors) > self._cache_size:
                    self._vectors.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def _context(self, context: str) -> tuple[list[str], np.ndarray, set[str]]:
        sents, words = self._split(context)
        return sents, self.embed(sents), words

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one checker per service, kept for its life
    def _split(self, context: str) -> tuple[list[str], set[str]]:
        return [s for s in split_sentences(context) if len(s) > 3] or [context], set(self.tokenizer(context))

    def support(self, sentence: str, context: str) -> Support:
        ctx_sents, ctx_vecs, ctx_words = self._context(context)
        sims = ctx_vecs @ self.embed([sentence])[0]
        best = int(np.argmax(sims))
        words = set(self.tokenizer(sentence))
        overlap = len(words & ctx_words) / len(words) if words else 0.0
        return Support(score=round(float(0.5 * sims[best] + 0.5 * overlap), 4), quote=ctx_sents[best][:400])
