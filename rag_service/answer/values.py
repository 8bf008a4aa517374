"""Numbers as claims: how they are normalised, and what a question asks a value of.

"What was my final validation accuracy ...?" asks for a number *of* something (the validation accuracy of the user's
run); the grounding checks need that attribute to look for it next to a number in the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag_service.answer import lexicon

_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?", re.I)
_YEAR = re.compile(r"^(19\d\d|20[0-3]\d)$")
# "2048 words", "1024 tokens": a count, though it reads like a year
_PLURAL_COUNT = re.compile(r"(?<![\w.])(\d{4})\s+(?:[a-z]+-)?[a-z]+s\b")
# A question that asks for a value: the evidence must hold a number next to the asked attribute.
_HOW = re.compile(r"\bhow (?:many|much|long|large|big|fast|often|high|low)\b", re.I)
_MEASURES = (
    r"score|accuracy|rate|size|cost|speed-?up|latency|throughput|perplexity|bleu|rouge\S*|f1|elo|rank|"
    r"temperature|count|percentage|length|epochs?|budget|memory|gpus?|tokens|recall|precision|win rate|value"
)
_VALUE_NOUN = re.compile(rf"\b({_MEASURES})\b", re.I)


def normalise_number(raw: str) -> str:
    """'10,000' -> '10000', '2.0' -> '2', '5e-7' -> '5e-07' (float repr), '1e3' -> '1000', '1.2' -> '1.2'."""
    text = raw.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


# A power of ten as a paper's PDF text or an answer writes it: "10^-2", "10^{-2}", "10**-2", "5 x 10^-3", and the
# flattened superscript "10−2" (a Unicode minus right after the 10; an ASCII hyphen there is a range, "10-20").
_POWER = re.compile(
    r"(?<![\w.])(?:(\d+(?:\.\d+)?)\s*[×x*·]\s*)?10(?:\s*(?:\^|\*\*)\s*\{?\s*([-−+]?\d+)\s*\}?|−(\d+))(?!\d|\.\d)"
)


def _e_notation(m: re.Match[str]) -> str:
    mantissa = m.group(1) or "1"
    exponent = (m.group(2) or f"-{m.group(3)}").replace("−", "-")
    return f"{mantissa}e{exponent}"


def split_units(text: str) -> str:
    """'168GB' -> '168 GB', '1.2x' -> '1.2 x' (scientific notation like 5e-7 stays whole)."""
    return re.sub(r"(\d)(?![eE][-+]?\d)([A-Za-z%×])", r"\1 \2", text)


# "50k words" is 50,000 words and "7 billion" is 7B: a scale word or letter multiplies its number ("$2m" is money;
# a bare lowercase "m" may be metres or minutes and is left alone; "3b1b" is a name, no three billion)
_SCALED = re.compile(
    r"(?<![\w.])(\$?)(\d+(?:[.,]\d+)*)\s?(k|K|M|B|b|bn|T|thousand|million|billion|trillion|m(?=\W|$))(?![A-Za-z0-9])"
)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12}
_SCALE["trillion"] = 1e12


def _unscaled(m: re.Match[str]) -> str:
    money, digits, scale = m.group(1), m.group(2), m.group(3)
    if scale == "m" and not money:
        return m.group()
    try:
        value = float(digits.replace(",", "")) * _SCALE[scale.lower()]
    except ValueError:
        return m.group()
    return f"{money}{int(value) if value.is_integer() else value}"


def numbers(text: str) -> set[str]:
    """Normalised numbers of a text, scales applied ("50k" = "50,000") and units split off first."""
    text = _POWER.sub(_e_notation, text).replace("−", "-")  # a PDF's Unicode minus signs its number
    text = _SCALED.sub(_unscaled, text)
    return {normalise_number(m.group()) for m in _NUMBER.finditer(split_units(text)) if m.group().strip("-+")}


def stated_numbers(text: str) -> set[str]:
    """The numbers of a text that can be a recorded value: not years (a four-digit number counting a plural noun,
    "2048 words", is a value)."""
    counts = {m.group(1) for m in _PLURAL_COUNT.finditer(text)}
    return {n for n in numbers(text) if not _YEAR.match(n) or n in counts}


def is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def asks_value(question: str) -> bool:
    """The question asks how many / how much, or for a measure ("what accuracy ...")."""
    return bool(_HOW.search(question) or _VALUE_NOUN.search(question))


_NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|"
    r"thousands?|millions?|billions?|trillions?|half|third|quarter|twice|double|triple|dozens?)\b",
    re.I,
)


_SPELLED = re.compile(
    rf"\b(?:({'|'.join(lexicon.TENS)})(?:[\s-]({'|'.join(list(lexicon.ONES)[1:10])}))?|({'|'.join(lexicon.ONES)}))\b",
    re.I,
)


def spelled_numbers(text: str) -> set[str]:
    """The numbers a source spells out ("twelve for the Base version, and twenty four for the Large"). Read on the
    source side only: an answer's "12" is what the source's "twelve" says; an answer's "one of the ..." is no claim."""
    out = set()
    for m in _SPELLED.finditer(text):
        tens, unit, alone = (g.lower() if g else g for g in m.groups())
        out.add(str(lexicon.TENS[tens] + (lexicon.ONES[unit] if unit else 0)) if tens else str(lexicon.ONES[alone]))
    return out


def gives_a_value(text: str) -> bool:
    """The text states some amount: a number (not a year, not the 3 of a name like GPT-3) or a number word ("two
    hidden layers", "a third")."""
    text = re.sub(r"\b[A-Za-z][\w.]*-[\w.-]*\d[\w.-]*", " ", text)
    text = re.sub(r"\b\w*[A-Za-z]\w*\d\w*[A-Za-z]\w*", " ", text)  # "3Blue1Brown", "Qwen2.5-Coder": names too
    return bool(stated_numbers(text) or _NUMBER_WORDS.search(text))


_WH_NOUN = re.compile(
    r"^\W*(?:what|which)\s+([\w-]+)(?:\s+(?!(?:is|are|was|were|the|a|an|of|in|for)\b)([\w-]+))?", re.I
)


def answer_type(question: str, tokenizer: Callable[[str], list[str]]) -> list[str]:
    """The stems naming what kind of answer is asked, not what it is about: "how much *latency* does hybrid search
    add", "what *formula* estimates the GPU memory". A value's number stands next to its measure in any source, so
    only the other words of a question say whose value it is."""
    how = _HOW.search(question)
    noun = _WH_NOUN.match(question)
    if how:
        words = re.findall(r"[\w-]+", question[how.end() :])[:3]
    elif noun:
        words = [w for w in noun.groups() if w]  # "what batch size does ...": both words, up to a question word
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
_COUNTED = re.compile(r"(?<![\w.\-/])(\d+(?:[.,]\d+)*)\s+([A-Za-z]{3,})")  # not the 3 of "GPT-3 word"
# words after a number that are not what it counts
_NOT_UNIT = frozenset(
    re.findall(r"\w+", "and are but for from has have into its not now off one only onto per than that the then")
    + re.findall(r"\w+", "this to was were when which while with")
)


def counted(text: str) -> list[tuple[str, str]]:
    """(normalised number, the word after it) pairs of a text."""
    return [
        (normalise_number(m.group(1)), m.group(2).lower())
        for m in _COUNTED.finditer(split_units(text))
        if m.group(2).lower() not in _NOT_UNIT
    ]


def other_unit(number: str, unit: str, context: str) -> bool:
    """The context counts ``number`` in something else and never in ``unit``: "GPT has 96 attention heads" does not
    say "96 layers". Prefixes compare, so "30min" holds "30 minutes"; a number the context gives without a word
    after it (a table cell, "BLEU 28.4") may have its unit just before it, and says nothing against it."""
    words = re.findall(r"\d+(?:[.,]\d+)*|[A-Za-z]+", split_units(context))
    other = False
    for i, w in enumerate(words):
        if not (w[:1].isdigit() and normalise_number(w) == number):
            continue
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        counts = len(nxt) >= 3 and nxt.isalpha() and nxt not in _NOT_UNIT
        near = words[i + 1 : i + 4] + ([] if counts else words[max(0, i - 2) : i])
        if any(_same_word(unit, x.lower()) for x in near):
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
    found = _NUMBER.findall(split_units(sentence))
    words = [w for w in re.findall(r"[^\W\d_]{2,}", sentence) if w.lower() not in _DUMP_FILLER]
    return len(found) >= 10 and len(found) >= 2 * len(words)


_DUMP_FILLER = frozenset({"and", "or", "the", "of", "to", "in", "is", "are", "was", "were", "with", "for"})
