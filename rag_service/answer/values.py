"""Values as claims: whether a question asks for an amount and of what, and what a number counts.

A value question asks for a number *of* something; the grounding checks need that attribute to look for it next to
a number in the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag_service.text import lexicon
from rag_service.text.numbers import NUMBER, normalise_number, numbers, split_units
from rag_service.text.regions import regions


def asks_value(question: str) -> bool:
    """The question asks for an amount (lexicon.ASKS_VALUE)."""
    return bool(lexicon.ASKS_VALUE.search(question))


_WH_NOUN = re.compile(
    r"^\W*(?:what|which)\s+([\w-]+)(?:\s+(?!(?:is|are|was|were|the|a|an|of|in|for)\b)([\w-]+))?", re.I
)


def answer_type(question: str, tokenizer: Callable[[str], list[str]]) -> list[str]:
    """The stems naming what kind of answer is asked, not what it is about: "how much *latency* does hybrid search
    add", "what *formula* estimates the GPU memory". A value's number stands next to its measure in any source, so
    only the other words of a question say whose value it is."""
    how = lexicon.HOW.search(question)
    noun = _WH_NOUN.match(question)
    if how:
        words = re.findall(r"[\w-]+", question[how.end() :])[:3]
    elif noun:
        words = [w for w in noun.groups() if w]  # "what <noun> <noun> does ...": both words, up to a question word
    else:
        return []
    return [stem for word in _leading_words(words, tokenizer) for stem in tokenizer(word)]


def _leading_words(words: list[str], tokenizer: Callable[[str], list[str]]) -> list[str]:
    """The words up to the first that says how the question asks ("does", "did", ...) or that has no stem."""
    out: list[str] = []
    for word in words:
        stems = tokenizer(word)
        if not stems or stems[0] in lexicon.GENERIC:
            break
        out.append(word)
    return out


# a number and the word it counts: "96 layers", "30 minutes", "12,288 dimensions" (units split off first)
# not the 3 of "GPT-3 word"; the counted thing may be two words ("8 attention heads")
_COUNTED = re.compile(r"(?<![\w.\-/])(\d+(?:[.,]\d+)*)\s+([A-Za-z]{3,})(?:[\s-]([A-Za-z]{3,}))?")
# words after a number that are not what it counts
_NOT_UNIT = frozenset(
    re.findall(r"\w+", "and are but for from has have into its not now off one only onto per than that the then")
    + re.findall(r"\w+", "this to was were when which while with")
)


def counted(text: str) -> list[tuple[str, str]]:
    """(normalised number, the one or two words after it) pairs of a text."""
    out = []
    for m in _COUNTED.finditer(split_units(text)):
        words = [w.lower() for w in m.groups()[1:] if w]
        if words[0] not in _NOT_UNIT:
            out.append((normalise_number(m.group(1)), " ".join(w for w in words if w not in _NOT_UNIT)))
    return out


def other_unit(number: str, unit: str, context: str) -> bool:
    """The context counts ``number`` in something else and never in ``unit`` (one or two words: "8 attention heads"
    is held by "8 heads"): "GPT has 96 attention heads" does not say "96 layers". Prefixes compare, so "30min" holds
    "30 minutes"; a number the context gives without a word after it (a table cell, "BLEU 28.4") may have its unit
    just before it, and says nothing against it."""
    units = unit.split()
    # a table cell's number is counted in its column: the header row says what it counts ("| bf16 | 1 / 8 / 7 |"
    # under "| format | sign / exponent / mantissa bits |")
    for r in regions(context):
        header = re.findall(r"[A-Za-z]+", r.frame) if r.frame.startswith("|") else []
        if number in numbers(r.sentence) and any(_same_word(u, w.lower()) for u in units for w in header):
            return False
    words = re.findall(r"\d+(?:[.,]\d+)*|[A-Za-z]+", split_units(context))
    other = False
    for i, w in enumerate(words):
        if not (w[:1].isdigit() and normalise_number(w) == number):
            continue
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        counts = len(nxt) >= 3 and nxt.isalpha() and nxt not in _NOT_UNIT
        near = words[i + 1 : i + 4] + ([] if counts else words[max(0, i - 2) : i])
        if any(_same_word(u, x.lower()) for u in units for x in near):
            return False
        other = other or counts
    return other


def _same_word(a: str, b: str) -> bool:
    n = min(len(a), len(b), 4)
    return n >= 3 and a[:n] == b[:n]


def is_number_dump(sentence: str) -> bool:
    """A sentence that strings a table's numbers together ("… were 278M, 212M, 8.7B, 102M, 21 days, 96 k20s, …"):
    ten or more numbers and twice as many numbers as words (a worked sum like "1.2 * 70B * 16/8 = 168GB ~ 2xA100
    (80GB)" has eight). Each number may be in the cited table, and the sentence still says nothing."""
    found = NUMBER.findall(split_units(sentence))
    words = [w for w in re.findall(r"[^\W\d_]{2,}", sentence) if w.lower() not in _DUMP_FILLER]
    return len(found) >= 10 and len(found) >= 2 * len(words)


_DUMP_FILLER = frozenset({"and", "or", "the", "of", "to", "in", "is", "are", "was", "were", "with", "for"})
