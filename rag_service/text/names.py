"""Names in text: what names a text states, how a note-taker may write a name, and the names a paper coins.

The names a paper coins for what it builds ("We call the resulting models InstructGPT"): every page of the paper
is about that thing, though most pages never write the name. The claim check reads them beside a cited page, so
"InstructGPT's SFT model was trained for 16 epochs" may cite §3.5, which says "We fine-tune GPT-3 ...".

Written here rather than taken from a library: no offline NER model ships, and the coining phrases of abstracts are
few and fixed (measured on the 7 shipped papers: 7 of 7 name their method this way, see tests/test_names.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from rag_service.text import lexicon

_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_/-]*[A-Za-z0-9+]|[A-Za-z0-9]")
_PARTS = re.compile(r"\d+|[A-Z][a-z]*|[a-z]+")  # a name's parts: 3Blue1Brown -> 3, Blue, 1, Brown

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


@lru_cache(maxsize=256)
def author_names(card: str) -> tuple[str, ...]:
    """The surnames of a paper card's byline (its first line, "Ashish Vaswani, Noam Shazeer, ..."): every page of a
    paper is by its authors, so "the Vaswani et al. paper" names each page. Empty unless the line reads as a list of
    at least two people's names (a card with no byline opens with its abstract)."""
    parts = [p.strip() for p in re.split(r",|\band\b", card.split("\n", 1)[0]) if p.strip()]
    people = [w[-1] for p in parts if len(w := p.split()) <= 4 and all(x[0].isupper() for x in w)]
    return tuple(dict.fromkeys(people)) if len(people) >= 2 and len(people) >= len(parts) - 1 else ()


def specific_terms(text: str) -> list[str]:
    """Names a question or claim hinges on: words with a capital after the first letter or a digit (QLoRA, GPT-3,
    Mistral-7B), all-caps words (BLEU, ROUGE-L), and capitalised words not opening a sentence."""
    out: list[str] = []
    # possessives: "LangGraph's" -> "LangGraph"; alternatives: "BART/T5" names BART and T5, each on its own
    text = re.sub(r"(?<=[A-Za-z0-9])/(?=[A-Za-z])", " ", re.sub(r"['’]s\b", "", text))
    for m in _TERM.finditer(text):
        word = m.group()
        first = m.start() == 0 or text[: m.start()].rstrip().endswith((".", "?", "!", ":", '"'))
        letters = re.sub(r"[^A-Za-z]", "", word)
        if not letters or len(word) < 2 or word.lower() in lexicon.PRONOUN_I:
            continue
        named = (
            any(c.isdigit() for c in word)
            or any(c.isupper() for c in word[1:])
            or (letters.isupper() and len(letters) >= 2)
            or (word[0].isupper() and not first)
        )
        if not named:
            continue
        # in a compound only the named parts must match: "Inner-Monologue-style" -> Inner, Monologue; a compound
        # without a real name in it ("Q/8", "2-byte") is arithmetic or a number + unit, checked as numbers
        parts = [p for p in re.split(r"[-/]", word) if p]
        named_parts = [p for p in parts if p[:1].isupper() or any(c.isdigit() for c in p)]
        if len(parts) > 1 and not any(len(p) > 1 and p[:1].isupper() for p in named_parts):
            continue
        out.append("-".join(named_parts) if len(parts) > 1 and named_parts else word)
    return out


def written_as(name: str, context: str) -> bool:
    """The context writes the name another way a note-taker would: without separators or case, in the singular, by
    its parts' initials, or with one letter dropped (a name of five letters or more, never a digit: a digit or a
    substituted letter makes another model)."""
    word = re.sub(r"[^a-z0-9]", "", name.lower())
    written = _forms(context)

    def held(form: str) -> bool:  # an initialism of fewer than 3 letters matches anything, unless it is the name
        return form in written and (len(form) >= 3 or form == word)

    if held(word) or held(word.removesuffix("s")):
        return True
    # one letter dropped, never a digit: "llama2" is written "llma 2"; GPT-3 never becomes GPT-5
    letters = sum(c.isalpha() for c in word)
    return letters >= 5 and any(held(word[:i] + word[i + 1 :]) for i in range(len(word)) if word[i].isalpha())


@lru_cache(maxsize=256)
def _forms(context: str) -> frozenset[str]:
    """The ways a context writes its names, lowercased: each once, for every name a check looks up in it."""
    terms = [m.group() for m in _TERM.finditer(context)]
    tokens = [re.sub(r"[^a-z0-9]", "", t.lower()) for t in terms]
    forms = set(tokens) | {a + b for a, b in zip(tokens, tokens[1:], strict=False)}  # "llma 2" is "llma2"
    # a name's initials, digits kept whole ("3b1b" for 3Blue1Brown); within one name only: initials of any run of
    # words would match a random three-letter name somewhere in a long context
    forms |= {"".join(p[0] if p[0].isalpha() else p for p in _PARTS.findall(t)).lower() for t in terms}
    # and a proper name written out in capitalised words: "HF" for "Hugging Face", "RL" for "Reinforcement Learning"
    caps = [t[:1].isupper() and t[1:2].islower() for t in terms]
    forms |= {
        "".join(t[0] for t in terms[i : i + k]).lower()
        for k in (2, 3, 4)
        for i in range(len(terms) - k + 1)
        if all(caps[i : i + k])
    }
    return frozenset(forms | {f[:-1] for f in forms if f.endswith("s")})
