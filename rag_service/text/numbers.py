"""Numbers as a text writes them, normalised so a claim and its source compare: "10,000" is 10000, "50k" is 50,000,
"5 x 10^-3" is 5e-3, a source's "twenty four" is 24, and a year is no recorded value."""

from __future__ import annotations

import re

from rag_service.text import lexicon

NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?", re.I)
_YEAR = re.compile(r"^(19\d\d|20[0-3]\d)$")
# "2048 words", "1024 tokens": a count, though it reads like a year
_PLURAL_COUNT = re.compile(r"(?<![\w.])(\d{4})\s+(?:[a-z]+-)?[a-z]+s\b")


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
_SCRIPT = re.compile(r"(?<=[^\d\s])\s?\^(?:\{[^}]*\}|[\d∗*†‡§¶]+)|(?<=\S)_\{[^}]*\}")
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


_UNIT_NAME = re.compile(rf"\b({'|'.join(lexicon.UNIT_NAMES)})s?\b")
# a note-taker's "140g" (a lowercase g right after a number standing alone) is 140 GB: "5G", "t4g", "100 g" are not
_SHORT_GB = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)g(?![\w]|\.\d)")


def unit_symbols(text: str) -> str:
    """A unit however written, as its symbol: "140 gigabytes" and "140g" -> "140 GB"."""
    return _SHORT_GB.sub(r"\1 GB", _UNIT_NAME.sub(lambda m: lexicon.UNIT_NAMES[m.group(1)], text))


# "50k words" is 50,000 words and "7 billion" (or "7-billion-parameter") is 7B: a scale word or letter multiplies its
# number ("$2m" is money; a bare lowercase "m" may be metres or minutes and is left alone; "3b1b" is a name, no three
# billion)
_SCALED = re.compile(
    r"(?<![\w.])(\$?)(\d+(?:[.,]\d+)*)(?:\s?|-(?=[a-z]{7}))(k|K|M|B|b|bn|T|thousand|million|billion|trillion|m(?=\W|$))"
    r"(?![A-Za-z0-9])"
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
    # a script on a word is a footnote mark, an exponent or an index ("gradients ^4", "x^2", "layer_{12}"), no amount
    # a sentence states; a power of ten was read above, a power of another number ("2^20") is left as written
    text = _SCRIPT.sub(" ", text)
    text = _SCALED.sub(_unscaled, text)
    return {normalise_number(m.group()) for m in NUMBER.finditer(split_units(text)) if m.group().strip("-+")}


# capitalised, as a document names its parts ("Table 5", "Tables 3", "Fig. 2"): "a table 10 times larger" is an amount
def _label(word: str) -> str:
    """A part label as a document writes it, capitalised, with its plural: "Table" / "Tables", "Fig." / "Figs."."""
    escaped = re.escape(word.capitalize())
    return escaped.replace(r"\.", r"s?\.") if "." in word else f"{escaped}s?"


_PART_LABEL = re.compile(rf"\b(?:{'|'.join(map(_label, lexicon.PART_LABELS))})\s*\(?[A-Z]?\d+(?:\.\d+)*\)?")


def stated_numbers(text: str) -> set[str]:
    """The numbers of a text that can be a recorded value: not years (a four-digit number counting a plural noun,
    "2048 words", is a value), not the number of a part of a document ("Table 5: validation accuracy" states none)."""
    text = _PART_LABEL.sub(" ", text)
    counts = {m.group(1) for m in _PLURAL_COUNT.finditer(text)}
    return {n for n in numbers(text) if not _YEAR.match(n) or n in counts}


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


_NUMBER_WORDS = re.compile(rf"\b(?:{'|'.join(lexicon.AMOUNT_WORDS)})\b", re.I)


def is_amount_word(word: str) -> bool:
    """The word states (part of) an amount: "billion", "twelve", "half"."""
    return _NUMBER_WORDS.fullmatch(word) is not None


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
