"""Claim checks from the text itself (no NLI model ships offline): does each answer sentence say only what its cited
source says? Every number of a sentence must occur, normalised, in the text it cites; every specific name too; a
number must be stated of what the sentence ties it to; a sentence about the user's own work must cite a note that
records their own doing, never a paper."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rag_service.answer.checks import Checks, Finding
from rag_service.answer.frame import about_notes, asks_own_work, is_personal
from rag_service.answer.values import answer_type, asks_value, counted, other_unit
from rag_service.index.bm25 import Tokenizer
from rag_service.text import lexicon
from rag_service.text.names import specific_terms, written_as
from rag_service.text.numbers import (
    is_amount_word,
    is_number,
    normalise_number,
    numbers,
    spelled_numbers,
    split_units,
    stated_numbers,
    unit_symbols,
)
from rag_service.text.regions import regions
from rag_service.types import ScoredChunk

_GENERIC = lexicon.GENERIC
_PERSONAL = lexicon.PERSONAL
# list markers and step labels are not claims: "1. prefill: ..." does not state the number 1
# (followed by a space: the "0." of "0.7 is recommended" is a number, not a list marker)
_ENUMERATOR = re.compile(r"^\s*(?:\(?\d{1,2}[.):](?=\s)|[-*•](?=\s)|(?:step|phase|stage)\s+\d{1,2}\s*[:.)-])\s*", re.I)
_AMOUNT = re.compile(r"[$€£]?[\d.,]+[A-Za-z]{0,2}")  # "70b", "2m", "168GB": an amount, not a name ("GPT-3" is one)
_HOW_MANY = re.compile(r"\bhow many\b", re.I)

__all__ = ["GroundingChecker", "about_notes", "asks_own_work", "is_personal"]


def lacking(words: Iterable[str], stems: set[str]) -> list[str]:
    """The words the stems lack; a word matches an abbreviation of it ("param" for parameters)."""
    return [w for w in words if not any(s == w or (len(s) >= 4 and w.startswith(s)) for s in stems)]


def _holds_any(words: Iterable[str], stems: set[str]) -> bool:
    """One of the words is among the stems, as its singular ("gpu" for gpus) or as an abbreviation of one ("dim")."""
    return any(
        w in stems or w.removesuffix("s") in stems or (len(w) >= 3 and any(s.startswith(w) for s in stems))
        for w in words
    )


class GroundingChecker:
    """Term-level checks shared by the answerability gate and the claim check."""

    def __init__(self, common: Callable[[str], bool] | None = None, checks: Checks | None = None) -> None:
        self.tokenizer = Tokenizer()
        self.checks = checks or Checks()  # which checks run, and what fired
        self.common = common  # "is an everyday English word" (the embedder's vocabulary); None: no such test
        # one answer checks several sentences against the same few contexts: analyse each context once
        self._contexts: dict[str, tuple[set[str], set[str]]] = {}

    def _analysed(self, context: str) -> tuple[set[str], set[str]]:
        """(stems, numbers) of a context, cached."""
        if context not in self._contexts:
            if len(self._contexts) > 256:
                self._contexts.clear()
            self._contexts[context] = (self._stems(context), numbers(context))
        return self._contexts[context]

    def _stems(self, text: str) -> set[str]:
        return set(self.tokenizer(text)) | set(self.tokenizer(split_units(unit_symbols(text))))

    def _has_term(self, term: str, stems: set[str], nums: set[str], raw: str) -> bool:
        """Every part of the term is in the text; a name mixing letters and digits must appear as one phrase (a
        text about one model version that happens to hold another version's digit does not name it)."""
        parts = self.tokenizer(term, closed_compounds=False)  # "English-German" is in "English-to-German"
        if not all(p in stems or (p[:1].isdigit() and normalise_number(p) in nums) for p in parts):
            return False
        if re.search(r"[A-Za-z]", term) and re.search(r"\d", term):
            pieces = [re.escape(x) for x in re.findall(r"[A-Za-z]+|\d+(?:\.\d+)?", term)]
            return re.search(r"(?<![A-Za-z0-9])" + r"[\s\-_.'’]?".join(pieces) + r"(?![0-9])", raw, re.I) is not None
        return True

    def _everyday(self, word: str, base_forms: bool = True) -> bool:
        """The word, or its base form, is everyday English ("estimating": "estimate"); always so without ``common``.
        A stem is tried as it is (``base_forms=False``): cut further, "finetun" would pass as "fine"."""
        if self.common is None:
            return True
        w = word.lower()
        if not base_forms:
            return self.common(w)
        forms = {w, w[:-1], w[:-2], w[:-3], w[:-3] + "e", w[:-2] + "e"} if len(w) > 5 else {w}
        return any(self.common(f) for f in forms if len(f) >= 3)

    def _bound(self, subject: set[str], names: list[str], place: str) -> bool:
        """The place (a sentence with its frame and headings) holds every name and the subject words, one everyday
        word in three excepted (an answer joins sibling bullets in its own words); a technical word is never excused."""
        stems = self._stems(place)
        absent = lacking(subject, stems)
        everyday = self.common is not None and all(self._everyday(w, base_forms=False) for w in absent)
        excused = len(absent) <= len(subject) // 3 and everyday
        return (not absent or excused) and all(self._names(t, stems, place) for t in names)

    def _surface(self, text: str) -> dict[str, str]:
        """Stem -> the first word of the text that has it (the text tokenised once, not once per stem)."""
        out: dict[str, str] = {}
        for word in re.findall(r"[\w'-]+", text):
            for stem in self.tokenizer(word):
                out.setdefault(stem, word)
        return out

    def _name_stems(self, text: str) -> set[str]:
        """The stems of the names a text states, which the name checks match as names."""
        return {stem for t in specific_terms(text) if not is_number(t) for stem in self.tokenizer(t)}

    def says(self, name: str, text: str) -> bool:
        """The text holds the name, matched as the claim check matches a claim's names."""
        stems, _ = self._analysed(text)
        return self._names(name, stems, text)

    def _names(self, name: str, stems: set[str], text: str) -> bool:
        """The text holds the name, as written or another way a note-taker writes it."""
        return self._has_term(name, stems, numbers(text), text) or written_as(name, text)

    def unbound_numbers(self, sentence: str, hits: list[ScoredChunk], question: str = "") -> list[Finding]:
        """Numbers of the sentence that the cited notes state only apart from what the sentence ties them to: its
        names, and (answering a value question) the question's words it repeats: a table row's number is not another
        model's value though the other model is named in the same section, nor a bullet's value one for another use.
        Only notes are read this way (their bullets and tables keep structure); a number a cited paper also holds is
        left to the other checks."""
        sentence = _ENUMERATOR.sub("", sentence)
        # the digits of a name (GPT-3, A100) are part of the name, not a number the sentence states
        plain = sentence
        for t in specific_terms(sentence):
            if re.search(r"[A-Za-z]", t) and not _AMOUNT.fullmatch(t):
                plain = plain.replace(t, " ")
        claimed = stated_numbers(plain) - numbers(question)
        if (
            not self.checks.on("number_place")
            or not claimed
            or any(claimed & numbers(h.chunk.text) for h in hits if h.chunk.source.type == "paper")
        ):
            return []
        located = [
            (f"{' › '.join(h.chunk.source.heading_path or [])} {h.chunk.source.title or ''}\n{r.text}", r.sentence)
            for h in hits
            for r in regions(h.chunk.text)
        ]
        # only what the cited notes say somewhere can be said of the wrong thing: a word they never use is the
        # answer's own wording (other checks judge it), not a misplaced fact
        said = "\n".join(p for p, _ in located)
        said_stems = self._stems(said)
        asks = bool(question) and asks_value(question)
        # the names the sentence ties the number to, and (a value question) the names the question asks it of
        names = [
            t
            for t in dict.fromkeys(specific_terms(sentence) + (specific_terms(question) if asks else []))
            if not is_number(t) and not _AMOUNT.fullmatch(t) and self._names(t, said_stems, said)
        ]
        subject: set[str] = set()
        if asks:
            # the question's words the sentence repeats, not names (a name is bound by its own matcher): those the
            # notes say somewhere (a word they never use may be the answer's own wording), and technical words
            # whether said or not (a stage or method the notes never name is not what their number is of)
            shared = set(self.tokenizer(sentence)) & set(self.tokenizer(question))
            surface = self._surface(sentence)
            subject = {
                w
                for w in shared - _GENERIC - self._name_stems(sentence)
                if len(w) > 1
                and not w[:1].isdigit()
                and not is_amount_word(surface.get(w, w))  # "70 billion": part of the amount, not its subject
                and (not lacking([w], said_stems) or not self._everyday(surface.get(w, w)))
            }
        # an amount the question gave that the sentence repeats ("a 70B model needs ...") is what its value is of
        given = numbers(plain) & numbers(question)  # (not a name's digits: GPT-3's 3)
        problems = []
        for n in sorted(claimed):
            places = [p for p, sent in located if n in numbers(sent)]
            if places and not any(
                self._bound(subject, names, p) and (not given or given <= numbers(p)) for p in places
            ):
                problems += self.checks.find("number_place", f"number {n} is stated of something else")
        return problems

    def unowned_numbers(self, sentence: str, hits: list[ScoredChunk], question: str) -> list[Finding]:
        """Answering a question about the user's own work, a number must come from a cited note that records their
        own doing (first person, an experiment's record): a textbook example in the notes is not the user's result."""
        if not asks_own_work(question) or not self.checks.on("own_work"):
            return []
        claimed = stated_numbers(_ENUMERATOR.sub("", sentence)) - numbers(question)
        # where each number is stated, with its frame and headings: a region that records the user's own doing
        owned: set[str] = set()
        for h in hits:
            if h.chunk.source.type != "note":
                continue
            for region in regions(h.chunk.text):
                if lexicon.OWN_WORK.search(f"{h.chunk.source.label()}\n{region.text}"):
                    owned |= numbers(region.sentence)
        return [
            f
            for n in sorted(claimed)
            if n not in owned
            for f in self.checks.find("own_work", f"number {n} is no record of your own work")
        ]

    def about_question(self, sentence: str, question: str) -> bool:
        """The sentence says something of what the question asks: one of its words beyond how it asks (for a "how
        many X" question: X)."""
        words = set(self.tokenizer(question)) - _GENERIC  # its subject, or the measure it asks for
        if not words:
            return True
        stems = self._stems(sentence)
        stems |= {w.removesuffix("s") for w in stems}  # "one GPU" counts GPUs
        counted = self._counted(question)
        if counted:
            # a count of the thing asked, not another number of a sentence that names the subject
            return _holds_any(counted, stems)
        return bool(words & stems)

    def _counted(self, question: str) -> list[str]:
        """What a "how many" question counts, as stems; [] for any other question."""
        m = _HOW_MANY.search(question)
        return answer_type(unit_symbols(question[m.start() :]), self.tokenizer) if m else []

    def claim_problems(self, sentence: str, context: str, context_is_paper: bool, question: str = "") -> list[Finding]:
        """What a sentence states that its cited context (with its headings) does not: numbers, specific names, a
        claim about the user's own work backed by a paper; answering a value question, a value from a source that
        does not name what the question asks it of or count what it counts. Numbers the question itself gave may be
        restated; its names may not. Empty when nothing is wrong."""
        problems: list[Finding] = []
        find = self.checks.find
        sentence = _ENUMERATOR.sub("", sentence)
        if context_is_paper and (_PERSONAL.search(sentence) or asks_own_work(question)):
            problems += find("own_work", "a claim about your own work cites a paper")
        ctx_stems, ctx_nums = self._analysed(context)
        ctx_nums = ctx_nums | spelled_numbers(context) | self._analysed(question)[1]
        claimed = numbers(sentence)
        for n in sorted(claimed - ctx_nums):
            problems += find("number_absent", f"number {n} not in the source")
        for n, unit in counted(sentence):
            if other_unit(n, unit, context):
                problems += find("count_unit", f"'{n} {unit}' not in the source")
        for t in dict.fromkeys(specific_terms(unit_symbols(sentence))):  # "140 terabytes" names its unit, TB
            if not is_number(t) and not self._names(t, ctx_stems, context):
                problems += find("name_absent", f"'{t}' not in the source")
        if claimed and question and asks_value(question):
            # a name the question asks the value of that the source lacks: the number is another thing's
            unnamed = [
                t
                for t in dict.fromkeys(specific_terms(question))
                if not is_number(t) and not self._names(t, ctx_stems, context)
            ]
            if unnamed:
                problems += find("question_name", f"the source does not name {', '.join(unnamed)}")
            asked_count = self._counted(question)
            if asked_count and not _holds_any(asked_count, ctx_stems):
                problems += find("count_asked", f"the source counts no {' '.join(asked_count)}")
        return problems
