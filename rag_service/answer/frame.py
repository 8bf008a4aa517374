"""The question parsed once: what it is about, the names and numbers it hinges on, and what kind of answer it wants.

Every later step (the answerability decision, the claim checks, the extractive ranker) reads this frame instead of
re-parsing the question with a regex of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag_service.answer.values import asks_value
from rag_service.index.bm25 import Tokenizer
from rag_service.text import lexicon
from rag_service.text.names import specific_terms
from rag_service.text.numbers import is_number, numbers, unit_symbols

_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9'-]*")


def about_notes(question: str) -> bool:
    """The question names the notes as its source ("my notes", "the post")."""
    return bool(lexicon.ABOUT_NOTES.search(question))


def is_personal(question: str) -> bool:
    """First person outside a mention of the notes themselves: the user asks about their own work or setting."""
    return bool(question) and bool(lexicon.PERSONAL.search(lexicon.ABOUT_NOTES.sub("the notes", question)))


def asks_own_work(question: str) -> bool:
    """Personal, unless the first person only asks what the notes hold ("do I list"), names the notes as where it is
    ("in my notes") or asks for advice ("should I")."""
    if about_notes(question):  # "my <document>": where it is written down
        return False
    return is_personal(lexicon.ADVICE.sub("one", lexicon.NOTES_HOLD.sub("the notes hold", question)))


@dataclass(frozen=True)
class Frame:
    """One question, parsed."""

    text: str
    content: tuple[str, ...]  # content stems: the question's words beyond how it asks
    surface: tuple[str, ...]  # the word of the question each content stem came from (same order)
    names: tuple[str, ...]  # specific terms that are not numbers
    numbers: frozenset[str]
    personal: bool  # about the user's own work (not about what the notes hold)
    value: bool  # asks for an amount: "how many/much ...", "what <measure> ..."


def parse(question: str, tokenizer: Tokenizer) -> Frame:
    """The frame of ``question``."""
    plain = re.sub(r"['’]s\b", "", question)
    stems: dict[str, str] = {}
    for word in _WORD.findall(unit_symbols(plain)):  # "how many gigabytes" asks for GB
        for stem in tokenizer(word):
            if stem not in lexicon.GENERIC and not stem[:1].isdigit():
                stems.setdefault(stem, word)
    names = tuple(dict.fromkeys(t for t in specific_terms(plain) if not is_number(t)))
    return Frame(
        text=question,
        content=tuple(stems),
        surface=tuple(stems.values()),
        names=names,
        # GPT-4's 4 and Mistral-7B's 7B are parts of names, not numbers asked about
        numbers=frozenset(numbers(re.sub("|".join(re.escape(t) for t in names) or "^$", " ", plain))),
        personal=asks_own_work(question),
        value=asks_value(question),
    )
