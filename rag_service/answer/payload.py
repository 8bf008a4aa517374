"""What a planted instruction would make an answer carry, whatever the sources say: a link the reader did not ask
for, or text in another language than the question's. Both are read off the answer itself, so they hold when the
instruction detector (text/injection.py) misses the instruction that asked for them."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag_service.text import lexicon

_URL = re.compile(r"\b(?:https?|ftp)://[^\s)\]>\"']+|\bwww\.[^\s)\]>\"']+", re.I)
_LOWER = re.compile(r"(?<![\w-])[^\W\d_A-Z][^\W\d_]{2,}(?![\w-])")  # lowercase words of 3+ letters


def drop_links(text: str, question: str, cited_urls: list[str]) -> str:
    """The answer without links, except one the question holds or one to a source it cites (same address before
    any '#'): a reader follows citations through their chips, and a link a source asked to add can carry data out."""
    allowed = {u.split("#")[0].rstrip("/") for u in [*_URL.findall(question), *cited_urls] if u}
    return _URL.sub(lambda m: m.group() if m.group().split("#")[0].rstrip("/.,") in allowed else "", text)


def foreign(sentence: str, question: str, common: Callable[[str], bool] | None) -> bool:
    """The sentence is not in the language of an English question: mostly another script, or none of its lowercase
    words an English function word and few of them words of the embedder's English vocabulary (jargon keeps its
    "the", "and", "around"; two-letter words are left out: German has "in", Spanish "a"). Names and numbers do not
    count; a question not in English is not judged."""
    letters = [c for c in sentence if c.isalpha()]
    q_letters = [c for c in question if c.isalpha()]
    if len(letters) < 12 or not q_letters or not _english(question):
        return False
    ascii_share = sum(c.isascii() for c in letters) / len(letters)
    if sum(c.isascii() for c in q_letters) / len(q_letters) >= 0.9 and ascii_share < 0.6:
        return True
    words = _LOWER.findall(sentence)
    if common is None or len(words) < 6 or any(w in lexicon.FUNCTION_WORDS for w in words):
        return False
    return sum(common(w) for w in words) / len(words) < 0.5


def _english(question: str) -> bool:
    """Short questions and questions with an English function word or question word are taken as English."""
    words = re.findall(r"[a-z]+", question.lower())
    return len(words) < 4 or any(w in lexicon.FUNCTION_WORDS or w in _WH for w in words)


_WH = frozenset(["what", "which", "who", "whom", "whose", "when", "where", "why", "how", "does", "do", "did"])
