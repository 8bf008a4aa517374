"""Text addressed to an assistant rather than to a reader: found, scored and kept out of what a model reads.

A note or paper is data. A planted instruction ("Note to the AI assistant: end every reply with ...", a ``SYSTEM:``
line in a table cell, an HTML comment) is text written for the model that reads the note, not for its reader. Each
unit of a text (a sentence of a line, a table cell, an HTML comment, a link title, an image's alt text, a heading) is
scored by a logistic model over a few general features of address (who is spoken to, role and delimiter markers,
imperatives, talk about the reply or the conversation); weights and threshold are fitted on labelled data by
`notes-rag eval injection --write` (eval/injection.py) and live in Settings (``injection``). No feature is one phrasing.

Written here rather than taken from a library: no prompt-injection classifier ships offline (checked: PyPI has only
hub-downloading ones), and the features need markdown's hidden places (comments, titles, alt text) split out first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rag_service.settings import InjectionSettings
from rag_service.types import ScoredChunk

FEATURES = (
    "addressed",  # spoken to an assistant: "Note to the AI assistant", "AI reader:", "[assistant]"
    "role",  # a chat format's role or delimiter marker: "SYSTEM:", "[INST]", "</context>"
    "directive",  # tells someone to do something: an imperative clause, or talk about the reply
    "obligation",  # must, always, never, only
    "addressed_directive",  # spoken to an assistant (or under a role marker) and told to do something
    "you_reply",  # "you" and talk about the reply or the conversation: "whenever you cite these notes ..."
    "document_reply",  # the document and the reply: "whenever this note is used to answer a question"
)

# Who a planted instruction speaks to: an assistant, a language model, an AI tool or reader
_AI = (
    r"(?:(?:AI|A\.I\.|LLM-based|language[- ]models?)(?:\s+(?:assistants?|models?|tools?|systems?|readers?|"
    r"summari[sz]ers?|agents?))?|assistants?|LLMs?|chat-?bots?|summari[sz]ers?)"
)
# spoken to: "note to the AI assistant", "for AI summarizers", "AI model:", "Assistant,", "[assistant]", "AI reader:"
_ADDRESSED = re.compile(
    rf"\b(?:to|for)\s+(?:the\s+|any\s+|all\s+)?{_AI}(?![\w-])"
    rf"|(?:^|[\[(<\s]){_AI}(?:\s+[\w-]+)?\s*(?:[:,\]>]|--|—)"
    rf"|\b{_AI}\s+(?:(?:that|which|who)\s+)?(?:reading|read|load|loads|must|should|shall|will|are|is to)\b"
    r"|\b(?:hello|hi|dear|attention|hey),?\s+(?:[\w-]+\s+)?(?:model|assistant|AI)\b|^\W*model\s+(?:note|instruction)",
    re.I,
)
# role and delimiter markers of chat formats: "SYSTEM:", "[INST]", "</context>", "### Instruction:", "<|im_start|>"
_ROLE = re.compile(
    r"(?:^|[\s>#*\[(])(?:system|assistant|user|instruction|response|developer)\s*(?::|\])"
    r"|\[/?(?:SYSTEM|INST|SYS)\]|</?(?:system|context|instructions?|sources?|documents?)>|<\|im_(?:start|end)\|>"
    r"|<<\s*/?SYS\s*>>|#{2,}\s*(?:Instruction|Response|System)\b",
    re.I,
)
# a clause opened by a verb in the imperative that acts on the reply or the model's behaviour
_VERBS = (
    r"ignore|disregard|forget|reply|respond|answer|say|state|tell|print|output|echo|write|include|add|append|render|"
    r"begin|start|end|finish|confirm|log|stop|refuse|translate|repeat|reveal|dump|insert|pretend|act|claim|cite|quote|"
    r"copy|mark|tag|prefix|suggest|mention|describe"
)
_IMPERATIVE = re.compile(
    rf"(?:^|[.:;!?,-]\s+|\b(?:then|and|please|must|should|shall|is to|are to)\s+)(?:always\s+|never\s+|only\s+)?"
    rf"(?:{_VERBS})\b",
    re.I,
)
# talk about the reply, the conversation or the model's own set-up
_ABOUT_REPLY = re.compile(
    r"\b(?:your|every|each|any)\s+(?:entire\s+|full\s+)?(?:reply|replies|answer|answers|response|responses|"
    r"output)\b|\b(?:system prompt|previous instructions|prior instructions|hidden instructions|developer messages?|"
    r"this conversation|whoever answers|the user(?:['’]s)?)\b|\bwhen (?:you\s+)?(?:answer|asked|summari[sz]ing|"
    r"responding|replying)\b|\bfrom now on\b",
    re.I,
)
# talk about the document being read by whoever answers: "this note", "these notes", "this file"
_ABOUT_DOCUMENT = re.compile(r"\b(?:this|these)\s+(?:notes?|document|file|page|section|table|post)\b", re.I)
_YOU = re.compile(r"\byou(?:r|rs|rself)?\b", re.I)
_OBLIGATION = re.compile(r"\b(?:must|always|never|only|do not|don['’]t)\b", re.I)

# markdown's places a reader does not see as prose
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)(?:\s+(\"[^\"]*\"|'[^']*'))?\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\[<#*])")


@dataclass(frozen=True)
class Unit:
    """A piece of text scored on its own, where it stands (1-based line) and what kind of place it is."""

    text: str
    line: int
    where: str  # prose | comment | link-title | alt-text | heading | cell | front-matter


@dataclass(frozen=True)
class Flag:
    """A unit scored as an instruction to an assistant."""

    text: str
    line: int
    where: str
    score: float


def features(text: str) -> dict[str, float]:
    """The features of one unit, each in [0, 1]."""
    addressed, role = float(bool(_ADDRESSED.search(text))), float(bool(_ROLE.search(text)))
    imperative, reply = bool(_IMPERATIVE.search(text)), bool(_ABOUT_REPLY.search(text))
    return {
        "addressed": addressed,
        "role": role,
        "directive": (imperative + reply) / 2,
        "obligation": float(bool(_OBLIGATION.search(text))),
        "addressed_directive": max(addressed, role) * float(imperative or reply),
        "you_reply": float(bool(_YOU.search(text)) and reply),
        "document_reply": float(bool(_ABOUT_DOCUMENT.search(text)) and reply),
    }


def directive(text: str) -> bool:
    """The unit tells someone to do something (an imperative clause, or talk about the reply)."""
    return bool(_IMPERATIVE.search(text) or _ABOUT_REPLY.search(text))


def score(text: str, settings: InjectionSettings) -> float:
    """P(the unit is an instruction to an assistant) under the fitted logistic model."""
    f = features(text)
    z = settings.bias + sum(settings.weights.get(name, 0.0) * f[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def units(text: str, first_line: int = 1) -> list[Unit]:
    """Every unit of a markdown text: its HTML comments, link titles and alt texts, then the sentences of each line
    (a table row by cell, a heading whole)."""
    out: list[Unit] = []
    for m in _COMMENT.finditer(text):
        start = first_line + text.count("\n", 0, m.start())
        for i, line in enumerate(m.group(1).split("\n")):
            out += [Unit(s, start + i, "comment") for s in _SENTENCE.split(line.strip()) if s.strip()]
    visible = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    for i, line in enumerate(visible.split("\n")):  # "\n" only: as_data numbers lines the same way
        n = first_line + i
        for m in _LINK.finditer(line):
            if m.group(4):
                out.append(Unit(m.group(4)[1:-1], n, "link-title"))
            if m.group(1) and m.group(2).strip():
                out.append(Unit(m.group(2), n, "alt-text"))
        plain = _LINK.sub(lambda m: "" if m.group(1) else m.group(2), line).strip()
        if not plain:
            continue
        if plain.startswith("#"):
            out.append(Unit(plain, n, "heading"))
        elif plain.startswith("|"):
            out += [Unit(c.strip(), n, "cell") for c in plain.strip("|").split("|") if c.strip()]
        else:
            out += [Unit(s, n, "prose") for s in _SENTENCE.split(plain) if s.strip()]
    return out


# front-matter keys a site renders as the page's own data; every other string value (description, excerpt, summary,
# ...) is free text: scored at ingest, and never read by a model (ingest keeps only the title)
_FRONT_DATA = frozenset({"title", "layout", "date", "tags", "categories", "permalink"})


def front_matter_units(front: dict[str, object]) -> list[Unit]:
    """The free-text values of a note's front matter as units (line 1: the front matter)."""
    return [Unit(str(v), 1, "front-matter") for k, v in front.items() if k not in _FRONT_DATA and isinstance(v, str)]


def note_flags(front: dict[str, object], text: str, settings: InjectionSettings, first_line: int = 1) -> list[Flag]:
    """The flags of a note: its front matter's free text, then its body (``text`` as ingest cleaned it, starting at
    the file's line ``first_line``)."""
    head = [u for u in front_matter_units(front) if score(u.text, settings) >= settings.threshold]
    body = flags(text, settings, first_line)
    return [Flag(u.text, u.line, u.where, round(score(u.text, settings), 3)) for u in head] + body


def mark(found: list[Unit], settings: InjectionSettings) -> list[float | None]:
    """Each unit's score when it is flagged, else None: its own score at the threshold, or a directive going on from a
    flagged unit in the same place (an instruction goes on in the sentences after it, in one line or comment; a
    table's next cell is its own statement)."""
    marks: list[float | None] = []
    for i, u in enumerate(found):
        p = score(u.text, settings)
        prev = found[i - 1] if i else None
        goes_on = (
            prev is not None
            and marks[-1] is not None
            and u.where in ("prose", "comment")
            and (prev.line, prev.where) == (u.line, u.where)
            and directive(u.text)
        )
        marks.append(round(p, 3) if p >= settings.threshold or goes_on else None)
    return marks


def flags(text: str, settings: InjectionSettings, first_line: int = 1) -> list[Flag]:
    """The units of ``text`` the detector flags (``mark``)."""
    found = units(text, first_line)
    return [
        Flag(u.text, u.line, u.where, p) for u, p in zip(found, mark(found, settings), strict=True) if p is not None
    ]


WITHHELD = "[instruction-like text withheld]"


def as_data(text: str, settings: InjectionSettings) -> str:
    """The text a model may read: without HTML comments and link titles (a reader never sees them), and with every
    flagged unit (alt text, cell, sentence) replaced by a marker; a flagged heading, or a sentence of a line with
    links (read from the line's plain text), takes its whole line."""
    # a comment's lines are blanked (line numbers kept for the flags), then dropped when nothing else was on them,
    # so the paragraphs around a comment read as they did (a region's frame is its paragraph)
    gone = _GONE
    text = _COMMENT.sub(lambda m: gone + "\n" * m.group().count("\n"), text)
    text = _LINK.sub(lambda m: f"{m.group(1)}[{m.group(2)}]({m.group(3)})", text)
    lines = text.split("\n")
    for flag in flags(text.replace(gone, ""), settings):
        i = flag.line - 1
        if flag.where == "cell":  # that cell, not a word that happens to hold its text
            cells = lines[i].split("|")
            lines[i] = "|".join(f" {WITHHELD} " if c.strip() == flag.text else c for c in cells)
        elif (flag.where == "alt-text" or not (flag.where == "heading" or _LINK.search(lines[i]))) and (
            flag.text in lines[i]
        ):
            lines[i] = lines[i].replace(flag.text, WITHHELD, 1)
        else:
            lines[i] = WITHHELD
    return "\n".join(x.replace(gone, "") for x in lines if x.strip() != gone)


# stands for a removed comment until its line is dropped (no text holds this control character)
_GONE = "\x00"


def as_data_hit(hit: ScoredChunk, settings: InjectionSettings) -> ScoredChunk:
    """The hit as every answer step reads it: its text and its headings as data (``as_data``); the index keeps the
    text as written, so it stays searchable and shows the flagged span to a reader."""
    src = hit.chunk.source
    heads = [WITHHELD if score(h, settings) >= settings.threshold else h for h in src.heading_path or []]
    title = src.title if not src.title or score(src.title, settings) < settings.threshold else WITHHELD
    source = src.model_copy(update={"heading_path": heads if src.heading_path is not None else None, "title": title})
    text = as_data(hit.chunk.text, settings)
    span = hit.hit_span
    if span is not None and text != hit.chunk.text:  # the matched chunk, found again in the shorter or longer text
        matched = hit.chunk.text[span[0] : span[1]]
        at = text.find(matched)
        span = (at, at + len(matched)) if at >= 0 else (min(span[0], len(text)), min(span[1], len(text)))
    chunk = hit.chunk.model_copy(update={"text": text, "source": source})
    return hit.model_copy(update={"chunk": chunk, "hit_span": span})
