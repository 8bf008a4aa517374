"""Where a sentence of a context sits: the bullets above it and a table's header row.

A note's nested bullet ("0.7 is recommended for creative use") means what it says under its parent bullet ("sample with
a temperature: ...") and its section's headings; a table cell ("8,192") means what its row and header say. The
grounding checks ask whether a number and what a claim ties it to stand in one such region, not merely somewhere in
a context that holds several lists and tables (written here, not taken from llama-index: its node parsers split
markdown by heading but keep no bullet or table structure within a section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d{1,2}[.)])\s+")
# the list markers opening a line, not its leading number: "1. " goes, the "0.7" of "* 0.7 is recommended" stays
LIST_MARKER = re.compile(r"^(?:\s*(?:[-*+#>•]+|\d{1,2}[.)])\s+)+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
# not at ";" ("use X = 4; lower the rate (5e-7)" is one statement), nor after an inline list's number or a Latin
# abbreviation ("support bot: 1. intent classification 2. ...", "e.g. LoRA")
_SENTENCE = re.compile(r"(?<=[.!?])(?<![\s:(]\d\.)(?<![\s:(]\d\d\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)\s+")
# a link's target, not the text around it: "Heads](https://arxiv.org/pdf/2401.10774.pdf)" keeps "Heads"
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s)\]>]+|www\.[^\s)\]>]+", re.I)


@dataclass(frozen=True)
class Region:
    """One sentence of a context and what frames it (its parent bullets, or its table's header row)."""

    sentence: str
    frame: str
    block: int = 0  # which run of lines it is in (a blank line or a heading starts the next)
    depth: int = -1  # the indent of its bullet; -1 for prose and table rows

    @property
    def text(self) -> str:
        return f"{self.frame}\n{self.sentence}" if self.frame else self.sentence


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t").replace("\t", "    "))


def regions(text: str) -> list[Region]:
    """Every sentence of ``text`` with its frame. URLs are blanked first: a link's digits are no stated value."""
    out: list[Region] = []
    parents: list[tuple[int, str]] = []  # (indent, line) of the open bullets above the current line
    paragraph: list[str] = []  # the prose lines above the current one, up to a blank line or heading
    header = ""
    in_table = False
    block = 0
    for raw in _URL.sub(" ", text).splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            parents, paragraph, in_table = [], [], False
            block += 1
            continue
        if _TABLE_ROW.match(line) or (in_table and _TABLE_RULE.match(line)):
            if not in_table:
                header, in_table = line, True
                out.append(Region(line.strip(), "", block))
            elif not _TABLE_RULE.match(line):
                out.append(Region(line.strip(), header.strip(), block))
            continue
        in_table = False
        bullet = _BULLET.match(line)
        depth = -1
        if bullet:
            depth = _indent(line)
            parents = [(d, p) for d, p in parents if d < depth]
            frame = "\n".join(p for _, p in parents)
            parents.append((depth, line.strip()))
            paragraph = []
        elif parents:
            # a line under a bullet, with no blank line between, continues that bullet (markdown's lazy
            # continuation): "- **ClipText** for text encoding." then "  Output: 77 token embeddings ..."
            frame = "\n".join([*(p for _, p in parents), *paragraph])
            paragraph.append(line.strip())
        else:
            # prose: read with the paragraph it continues ("Experiments of 09/04/2024:" above a line of results)
            frame = "\n".join(paragraph)
            paragraph.append(line.strip())
        before: list[str] = []  # a later sentence of a line reads on from the earlier ones
        for sentence in _SENTENCE.split(line.strip()):
            if sentence.strip():
                out.append(Region(sentence.strip(), "\n".join(x for x in [frame, " ".join(before)] if x), block, depth))
                before.append(sentence.strip())
    return out


def introduced(found: list[Region], limit: int) -> dict[int, tuple[tuple[int, str], ...]]:
    """Place -> (place, text) of the lines a line introduces, up to ``limit`` characters (the first cut to fit): a
    bullet, the lines nested under it; a line ending with a colon, the lines it frames, or when none, the lines after
    it in its block not shallower than it ("The triad:" over a list). "RAG triad:" alone answers nothing. A code
    fence ends them."""
    out: dict[int, tuple[tuple[int, str], ...]] = {}
    for i, r in enumerate(found):
        colon = r.sentence.endswith(":")
        if not limit or not (colon or r.depth >= 0):
            continue

        nested = i + 1 < len(found) and _framed(found[i + 1], r.sentence, colon)
        if not nested and not colon:
            continue
        items: list[tuple[int, str]] = []
        for k in range(i + 1, len(found)):
            later = found[k]
            within = _framed(later, r.sentence, colon) if nested else later.block == r.block and later.depth >= r.depth
            item = LIST_MARKER.sub("", f"{later.sentence} ").strip()  # "1." or ">" alone: a marker, no item
            if not within or item.startswith("```"):
                break
            spent = sum(len(t) for _, t in items)
            if items and spent + len(item) > limit:
                break
            if item:
                items.append((k, item if len(item) <= limit else item[:limit].rsplit(" ", 1)[0] + " …"))
        if items:
            out[i] = tuple(items)
    return out


def _framed(later: Region, sentence: str, colon: bool) -> bool:
    """``later`` stands under ``sentence``: a line of its frame ends with it, and that line is a bullet (any line,
    after a colon: the rest of its paragraph)."""
    ends = [line for line in later.frame.splitlines() if line.endswith(sentence)]
    return bool(ends) and (colon or bool(LIST_MARKER.match(ends[-1])))
