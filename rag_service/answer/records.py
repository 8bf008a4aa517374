"""Is what the question asks written down? The gate's record checks, for questions a model answers by filling a gap:
a value ("What accuracy did I get ...", "What temperature does Chip Huyen recommend ...") must stand as a number next
to what it is of, and a fact of the user's own doing ("Which vector database did I pick?") needs a note section that
records that doing. Text only: headings, bullet regions and first-person markers (no NLI model ships offline)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rag_service.answer.regions import regions
from rag_service.answer.values import (
    ABOUT_NOTES,
    GENERIC,
    NOTE_VERBS,
    asked_value,
    is_number,
    numbers,
    own_work,
    stated_numbers,
    wants_one_value,
)
from rag_service.types import ScoredChunk

# "Which vector database did I pick ...?" asks what the user did; "What did I wonder about ...?" asks what they wrote
_DID_I = re.compile(
    rf"\b(?:did|have|had)\s+I\s+(?!(?:{NOTE_VERBS}|not|wonder|understand|learn|find|found|think|thought|said|call|"
    r"explain|ask|question|like)\b)[a-z]+",
    re.I,
)


def lacking(words: Iterable[str], stems: set[str]) -> list[str]:
    """The words the stems lack; a word matches an abbreviation of it ("param" for parameters)."""
    return [w for w in words if not any(s == w or (len(s) >= 4 and w.startswith(s)) for s in stems)]


def _where(hit: ScoredChunk, text: str | None = None) -> str:
    """The hit's heading path over its text (or over one ``text`` of it): a record is read with its headings."""
    return f"{' › '.join(hit.chunk.source.heading_path or [])}\n{hit.chunk.text if text is None else text}"


class RecordCheck:
    """The record checks, over the grounding checker's own stemming and name matching (passed in, so both read a
    text the same way)."""

    def __init__(
        self,
        tokenizer: Callable[[str], list[str]],
        stems: Callable[[str], set[str]],
        has_name: Callable[[str, set[str], str], bool],
    ) -> None:
        self.tokenizer = tokenizer
        self._stems = stems
        self._names = has_name

    def unrecorded(
        self, question: str, terms: list[str], content: list[str], usable: list[ScoredChunk], personal: bool
    ) -> str | None:
        """The value the question asks for, when the evidence does not state it (None: stated, or not asked).
        "What accuracy did I get ...": the user's own result must be written down as a number next to what is asked,
        or the model fills the gap with a plausible number (the failure this gate exists for). A question that wants
        one value the notes alone answer, with no numbers of its own to compute with, is checked the same way with a
        word of slack: "What temperature does Chip Huyen recommend for code generation?" over "0.7 is recommended
        for creative use" is the same near miss, asked of the notes. Papers state values in prose and flattened
        tables too loosely for this."""
        asked = asked_value(question, self.tokenizer)
        if asked is None and personal and _DID_I.search(question):
            # no value is asked, but a fact of the user's own doing ("In which year did I finish reading ...?"): the
            # notes must record that doing, or the model states a year or a choice the notes only hold as a topic
            return None if self._doing_recorded(content, usable) else "what you did"
        if asked is None and personal:
            # a fact of the user's own thing ("Which languages performed worst in my own multilingual evaluation?"):
            # a section that records their own work must name that thing, or the model restates what the notes say
            # in general ("languages absent from the training data") as the result of the user's evaluation
            owned = self._owned(question, [])
            return None if not owned or self._doing_recorded(owned, usable, spare=len(owned) // 3) else "what you did"
        if asked is None:
            return None
        attribute = [w for w in self.tokenizer(asked) if w not in GENERIC]
        names = [t for t in terms if not is_number(t)]
        if personal:
            owned = self._owned(question, attribute)
            recorded = self._value_recorded(attribute, names, owned, usable, own=True)
        elif (
            wants_one_value(question)
            and not numbers(re.sub("|".join(map(re.escape, names)) or "^$", " ", question))  # GPT-4's 4 is a name
            and usable
            and all(h.chunk.source.type == "note" for h in usable)
        ):
            named = {s for t in names for s in self.tokenizer(t)}
            about = [w for w in content if w not in attribute and w not in named and not w[:1].isdigit()]
            recorded = self._value_recorded(attribute, names, about, usable, own=False, slack=1)
        else:
            return None
        return None if recorded else asked or "the value asked for"

    def _doing_recorded(self, content: list[str], hits: list[ScoredChunk], spare: int | None = None) -> bool:
        """A section that records the user's own work ("Experiments of ...", "I tried ...") holds the words, all but
        ``spare`` of them (default: half)."""
        spare = len(content) // 2 if spare is None else spare
        for h in hits:
            where = _where(h)
            if own_work(where, strict=True) and len(lacking(content, self._stems(where))) <= spare:
                return True
        return False

    def _owned(self, question: str, attribute: list[str]) -> list[str]:
        """What the user's value is of: the content words after "my" ("my chain-of-thought experiments" -> chain,
        thought, experi), the attribute aside."""
        text = ABOUT_NOTES.sub("the notes", question)
        owned = [w for m in re.finditer(r"\bmy\s+((?:[\w-]+\s*){1,4})", text, re.I) for w in self.tokenizer(m.group(1))]
        return [w for w in dict.fromkeys(owned) if w not in GENERIC and w not in attribute]

    def _value_recorded(
        self,
        attribute: list[str],
        names: list[str],
        about: list[str],
        hits: list[ScoredChunk],
        own: bool,
        slack: int = 0,
    ) -> bool:
        """One sentence holds a number (not a year) and, with its bullet's parents and its headings, the asked
        attribute (with ``slack``, one word of it: "context window" for "context length"), every name of the question
        and all but ``slack`` words of what the value is of; with ``own``, in a section that records the user's own
        work. "Chinchilla law: number of tokens during training should be
        ~20x ..." is not "the training tokens of my Chinchilla-optimal model"; "0.7 is recommended for creative use"
        is not "the temperature of my chain-of-thought experiments"."""
        for h in hits:
            if own and not own_work(_where(h)):
                continue
            for region in regions(h.chunk.text):
                if not stated_numbers(region.sentence):
                    continue
                where = _where(h, region.text)
                stems = self._stems(where)
                if (
                    # slack: one word of a two-word attribute may be missing; an empty one ("how long ...") lacks none
                    len(lacking(attribute, stems)) <= (max(len(attribute) - 1, 0) if slack else 0)
                    and len(lacking(about, stems)) <= slack
                    and all(self._names(t, stems, where) for t in names)
                ):
                    return True
        return False
