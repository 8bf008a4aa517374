"""The names a paper coins for what it builds ("We call the resulting models InstructGPT"): every page of the paper
is about that thing, though most pages never write the name. The claim check reads them beside a cited page, so
"InstructGPT's SFT model was trained for 16 epochs" may cite §3.5, which says "We fine-tune GPT-3 ...".

Written here rather than taken from a library: no offline NER model ships, and the coining phrases of abstracts are
few and fixed (measured on the 7 shipped papers: 7 of 7 name their method this way, see tests/test_names.py)."""

from __future__ import annotations

import re
from functools import lru_cache

# a phrase that coins a name; the name is the first capitalised words within the next few words
_COINS = re.compile(
    r"\b(?:we\s+(?:call|name|dub|term|propose|introduce|present)|named|called|dubbed|termed|introduction\s+of)\b|,\s+or\b",
    re.I,
)
_NAME = re.compile(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}")
_SHORT = re.compile(r"\(([A-Z][A-Za-z-]{1,12})\)")


@lru_cache(maxsize=256)
def coined_names(card: str) -> tuple[str, ...]:
    """The names a paper's card (title, authors, abstract) coins, without digits: a number inside a name ("GPT-3")
    would count as a number the page states."""
    names: list[str] = []
    for m in _COINS.finditer(card):
        window = " ".join(re.split(r"[.;:]\s", card[m.end() :], maxsplit=1)[0].split()[:8])
        found = _NAME.search(window)
        for name in ([found.group()] if found else []) + _SHORT.findall(window):
            if not re.search(r"\d", name) and name not in names:
                names.append(name)
    return tuple(names)
