"""The evidence measured once against the question's frame: the signals the answerability decision weighs.

Each signal is one general measure, in [0, 1] unless said (no signal is a veto; decide.py weighs them):
- ``chunk_cos``, ``passage_cos``: the best cosine of a chunk / a passage of the retrieval pool (the topic is there);
- ``sent_cos``: the best cosine of one evidence sentence (the asked thing is said in one place);
- ``sent_share``: the largest share of the question's content words one sentence with its headings holds;
- ``coverage``: the share of the question's content words the evidence holds (stems, dates normalised);
- ``soft_min``: the least credit of a content word, each scored by its closest evidence word (1 for the same stem or an
  abbreviation of it, else the embedder's cosine between the two words): paraphrases score high, the one asked
  attribute a near miss lacks scores low;
- ``specific_missing``: the share of the question's names and numbers the evidence lacks;
- ``rare_missing``: words of the question that no source uses and that are not everyday English (0, 1 or 2);
- ``slot`` / ``slot_min``: the best single place that can answer: over the sentences closest to the question (each
  read with its parent bullets or table header and its headings), the mean / the least soft credit of the
  question's words; for an amount only sentences that state a number count;
- ``own_slot``: ``slot`` over the places that record the user's own doing, for a question about their own work
  (``slot`` for any other question);
- ``value_gap``: an amount is asked and none of the sentences closest to the question states a number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from rag_service.answer.cite import SupportChecker, split_sentences
from rag_service.answer.frame import Frame
from rag_service.index.bm25 import Tokenizer
from rag_service.text import lexicon
from rag_service.text.numbers import numbers, stated_numbers, unit_symbols
from rag_service.text.regions import LIST_MARKER, Region, introduced, regions
from rag_service.types import ScoredChunk

SIGNALS = (
    "chunk_cos",
    "passage_cos",
    "sent_cos",
    "sent_share",
    "coverage",
    "soft_min",
    "specific_missing",
    "rare_missing",
    "slot",
    "slot_min",
    "own_slot",
    "value_gap",
)

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")
# a paper's table is indexed under its label (ingest/pdf_tables.py): its rows carry their column names ("Quality
# (Neg. Log Perp.) -1.716"), and a row is no prose to cut at an abbreviation's period
_TABLE_LABEL = re.compile(r"^Table [A-Z]?\d+$")
# 09/04/2024, 2024-04-09, 04/2024: the month of a date written in digits (either order of day and month)
_DATE = re.compile(
    r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b|\b(\d{4})-(\d{1,2})(?:-\d{1,2})?\b|\b(\d{1,2})/(\d{4})\b"
)


@dataclass(frozen=True)
class Sentence:
    """One evidence sentence: its context key (1-based), text, heading, and how it matches the question."""

    n: int
    text: str
    heading: str
    cosine: float
    share: float
    frame: str = ""  # its parent bullets, a table's header row, or the paragraph before it
    own: bool = False  # said where the notes record the user's own doing
    i: int = 0  # its place among its context's sentences (the prompt keeps them in reading order)
    introduces: tuple[tuple[int, str], ...] = ()  # (place, text) of what it introduces (regions.introduced)

    @property
    def items(self) -> tuple[str, ...]:
        """The lines it introduces."""
        return tuple(text for _, text in self.introduces)

    @property
    def quoted(self) -> str:
        """The sentence as a quote, with what it introduces ("RAG triad: X; Y; Z")."""
        # items are joined by "; " unless an item already ends its clause
        return " ".join([self.text, *(f"{t};" if t[-1] not in ".;:,?!)…" else t for t in self.items)]).rstrip(";")

    @property
    def place(self) -> str:
        """The sentence read where it stands: headings, frame, sentence."""
        return f"{self.heading}\n{self.frame}\n{self.text}"


@dataclass
class Evidence:
    """The contexts as the decision and the extractive answer see them."""

    sentences: list[Sentence]  # best match first (cosine + lexical_weight x share)
    signals: dict[str, float]
    weakest: list[str] = field(default_factory=list)  # the question's words the evidence holds least, as written
    found: list[str] = field(default_factory=list)  # names or words of the question the evidence holds


def date_words(text: str) -> set[str]:
    """Month names for the dates a text writes in digits: a note's "09/04/2024" holds "April" (and "September")."""
    out: set[str] = set()
    for m in _DATE.finditer(text):
        parts = [g for g in m.groups() if g]
        candidates = (
            [int(p) for p in parts[:2] if len(p) <= 2]
            if len(parts) == 3
            else [int(parts[1 if len(parts[0]) == 4 else 0])]
        )
        out |= {lexicon.MONTH_NAMES[c] for c in candidates if 1 <= c <= 12}
    return out


def _initials(words: list[str], longest: int = 4) -> set[str]:
    """Initials of each run of 2..longest consecutive words ("learning rate" -> "lr")."""
    return {"".join(w[0] for w in words[i : i + k]) for k in range(2, longest + 1) for i in range(len(words) - k + 1)}


class EvidenceMeter:
    """Measures hits against a frame with the embedder (through the support checker's cache) and the BM25 stems."""

    def __init__(
        self,
        checker: SupportChecker,
        tokenizer: Tokenizer,
        lexical_weight: float,
        list_chars: int,
        knows: Callable[[str], bool],
        common: Callable[[str], bool],
        says: Callable[[str, str], bool],
    ) -> None:
        self.checker = checker
        self.tokenizer = tokenizer
        self.lexical_weight = lexical_weight
        self.list_chars = list_chars
        self.knows = knows  # a stem some source uses
        self.common = common  # an everyday English word
        self.says = says  # the text holds the name (the claim check's own matcher)
        self.places = 12  # sentences read as places that can answer

    def sentences(self, frame: Frame, hits: list[ScoredChunk], limit: int = 4) -> list[Sentence]:
        """The sentences of the first ``limit`` contexts, best match first. A note's sentence keeps its parent
        bullets or table header (regions.py); a paper's text is prose, split into sentences."""
        found: list[Sentence] = []  # measured below, once every sentence is known (one embedding call)
        for n, hit in enumerate(hits[:limit], start=1):
            src = hit.chunk.source
            heading = " › ".join([*([src.title] if src.title else []), *(src.heading_path or [])])
            items: dict[int, tuple[tuple[int, str], ...]] = {}
            if src.type == "note":
                found_regions = regions(hit.chunk.text)
                parts = [(r.sentence, r.frame[-300:]) for r in found_regions]
                items = introduced(found_regions, self.list_chars)
            elif _TABLE_LABEL.match((src.heading_path or [""])[-1]):  # a paper's table: each row whole, with names
                parts = [(line, "") for line in hit.chunk.text.splitlines() if line.strip()]
            else:  # a paper's prose: one run of sentences, so a colon introduces the sentences after it
                parts = [(sent, "") for sent in split_sentences(hit.chunk.text)]
                items = introduced([Region(sent, "") for sent, _ in parts], self.list_chars)
            lead = "\n".join(hit.chunk.text.splitlines()[:2])  # a section's opening line: "Experiments of ...:"
            for i, (sent, above) in enumerate(parts):
                # the place records the user's doing: its headings, the section's opening, its frame or itself say so
                own = src.type == "note" and bool(lexicon.OWN_WORK.search(f"{heading}\n{lead}\n{above}\n{sent}"))
                clean = LIST_MARKER.sub("", sent).strip()
                if len(clean.split()) >= 3 and not clean.rstrip(" .").endswith("?"):  # a question answers nothing
                    found.append(Sentence(n, clean, heading, 0.0, 0.0, above, own, i, items.get(i, ())))
        if not found:
            return []
        vecs = self.checker.embed([frame.text] + [s.text for s in found])
        sims = vecs[1:] @ vecs[0]
        asked = set(frame.content)
        out = []
        for s, cos in zip(found, sims, strict=True):
            held = self._stems(f"{s.text} {s.heading}")
            out.append(replace(s, cosine=float(cos), share=len(asked & held) / len(asked) if asked else 0.0))
        return sorted(out, key=lambda s: -(s.cosine + self.lexical_weight * s.share))

    def _stems(self, text: str) -> set[str]:
        stems = set(self.tokenizer(text)) | set(self.tokenizer(re.sub(r"(\d)([A-Za-z])", r"\1 \2", unit_symbols(text))))
        return stems | {s.removesuffix("s") for s in stems} | {self.tokenizer(m)[0] for m in date_words(text)}

    def measure(
        self, frame: Frame, hits: list[ScoredChunk], chunk_cos: float, passage_cos: float, limit: int = 4
    ) -> Evidence:
        """Every signal of SIGNALS for the frame against the hits."""
        usable = [h for h in hits if h.chunk.source.type == "note"] if frame.personal else hits
        sentences = self.sentences(frame, usable, limit)
        texts = [
            f"{' '.join(h.chunk.source.heading_path or [])} {h.chunk.source.title or ''}\n{h.chunk.index_text}"
            for h in usable[:limit]
        ]
        joined = "\n".join(texts)
        stems = self._stems(joined)
        nums = numbers(joined)
        content = list(frame.content)
        held = [w in stems or w.removesuffix("s") in stems for w in content]
        # the counterpart of a paraphrased word is in the sentences closest to the question (and their headings)
        near = sentences[: self.places]
        credit, per_place = self._soft_credit(frame, held, joined, near)
        eligible = [i for i, x in enumerate(near) if (not frame.value or stated_numbers(x.text))]
        owned = [i for i in eligible if near[i].own or not frame.personal]
        placed = [float(np.mean(c)) if content else 1.0 for c in per_place]
        slot = max((placed[i] for i in eligible), default=0.0) if content else 1.0
        slot_min = max((float(np.min(per_place[i])) for i in eligible), default=0.0) if content else 1.0
        own_slot = max((placed[i] for i in owned), default=0.0) if content else 1.0
        missing_names = [t for t in frame.names if not self.says(t, joined)]
        missing_nums = [n for n in frame.numbers if n not in nums]
        specific = len(frame.names) + len(frame.numbers)
        rare = [
            w
            for w, s in zip(frame.surface, frame.content, strict=True)
            if s not in stems and not self.knows(s) and not self.common(w)
        ]
        signals = {
            "chunk_cos": chunk_cos,
            "passage_cos": passage_cos,
            "sent_cos": max((s.cosine for s in sentences), default=0.0),
            "sent_share": max((s.share for s in sentences), default=0.0),
            "coverage": sum(held) / len(held) if held else 1.0,
            "soft_min": min(credit, default=1.0),
            "specific_missing": (len(missing_names) + len(missing_nums)) / specific if specific else 0.0,
            "rare_missing": float(min(len(rare), 2)),
            "slot": slot,
            "slot_min": slot_min,
            "own_slot": own_slot,
            "value_gap": float(frame.value and not any(stated_numbers(s.text) for s in sentences[:5])),
        }
        # what the reply says the sources lack: the names and numbers they lack, else the words the best place that
        # can answer holds least (for the user's own work, among the places that record it)
        best = max(owned if frame.personal else eligible, key=lambda i: placed[i], default=None)
        words = per_place[best] if best is not None else credit
        order = sorted(range(len(content)), key=lambda i: words[i])
        weakest = [*missing_names, *missing_nums, *(frame.surface[i] for i in order if words[i] < 1)][:3]
        if frame.personal and not owned:
            weakest = ["what you did", *weakest][:3]
        found = [t for t in frame.names if t not in missing_names] or [
            frame.surface[i] for i in range(len(content)) if held[i]
        ]
        return Evidence(
            sentences=sentences,
            signals={k: round(float(v), 4) for k, v in signals.items()},
            weakest=weakest,
            found=found[:3],
        )

    def _soft_credit(
        self, frame: Frame, held: list[bool], text: str, near: list[Sentence]
    ) -> tuple[list[float], list[list[float]]]:
        """Per content word: 1 when the evidence holds it or an abbreviation of it (initials either way), else the
        cosine of its closest word among the ``near`` sentences; and the same credit per near sentence, against that
        sentence read where it stands."""
        q_words = [w.lower() for w in frame.surface]
        places = [x.place for x in near]
        place_words = [[w.lower() for w in _WORD.findall(p)] for p in places]
        place_stems = [self._stems(p) for p in places]

        q_initials = _initials(q_words)  # once per question, not per word and place

        def exact(i: int, words: list[str], stems: set[str]) -> bool:
            w = frame.content[i]
            if w in stems or w.removesuffix("s") in stems:
                return True
            abbrev = set(words) & q_initials  # the text abbreviates words of the question ("LR")
            return q_words[i] in _initials(words) or _in_abbreviated(q_words[i], q_words, abbrev)

        ev_words = [w.lower() for w in _WORD.findall(text)]
        credit = [1.0 if held[i] or exact(i, ev_words, set()) else 0.0 for i in range(len(q_words))]
        per_place = [
            [1.0 if exact(i, ws, st) else 0.0 for i in range(len(q_words))]
            for ws, st in zip(place_words, place_stems, strict=True)
        ]
        vocab = [
            w
            for w in dict.fromkeys(w for ws in place_words for w in ws)
            if len(w) > 2 and self.tokenizer(w) and self.tokenizer(w)[0] not in lexicon.GENERIC
        ]
        todo = sorted({i for i in range(len(q_words)) if credit[i] < 1 or any(c[i] < 1 for c in per_place)})
        if not todo or not vocab:
            return credit, per_place
        vecs = self.checker.embed([q_words[i] for i in todo] + vocab)
        sims = np.maximum(vecs[: len(todo)] @ vecs[len(todo) :].T, 0.0)
        column = {w: j for j, w in enumerate(vocab)}
        for row, i in enumerate(todo):
            if credit[i] < 1:
                credit[i] = float(sims[row].max())
            for c, ws in zip(per_place, place_words, strict=True):
                cols = [column[w] for w in ws if w in column]
                if c[i] < 1 and cols:
                    c[i] = float(sims[row, cols].max())
        return credit, per_place


def _in_abbreviated(word: str, words: list[str], abbrev: set[str]) -> bool:
    """The word is one of a run of question words whose initials the evidence writes as one word."""
    for start in range(len(words)):
        for k in range(2, 5):
            run = words[start : start + k]
            if len(run) == k and word in run and "".join(w[0] for w in run) in abbrev:
                return True
    return False
