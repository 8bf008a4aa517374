"""Token-aware packing of text units (lines, code blocks, sentences) into chunks with overlap.

Our own packer rather than llama-index's SentenceSplitter: we need each chunk's line range (notes) and we split at
bullet / line boundaries first, sentences second; the SentenceSplitter tracks neither lines nor bullets.
Sizes are measured with the embedding model's own tokenizer, because MiniLM silently truncates past 256 word pieces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

TokenCounter = Callable[[str], int]

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"'(\[A-Z0-9*])")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")


@dataclass
class Unit:
    """An indivisible piece of text (unless it alone exceeds the budget) with its 1-based line range."""

    text: str
    first: int
    last: int


@dataclass
class Piece:
    """A packed chunk of text with its line range."""

    text: str
    first: int
    last: int


def line_units(lines: list[str], first_line: int) -> list[Unit]:
    """One unit per non-blank line; a fenced code block is one unit."""
    units: list[Unit] = []
    fence: list[str] = []
    fence_start = 0
    for i, line in enumerate(lines):
        n = first_line + i
        after_row = bool(units) and units[-1].last == n - 1 and _TABLE_ROW.match(units[-1].text.rsplit("\n", 1)[-1])
        if _TABLE_ROW.match(line) and after_row:
            # a table is one unit: a row means what its header row says ("8,192" is a context window)
            last = units[-1]
            units[-1] = Unit(f"{last.text}\n{line.rstrip()}", last.first, n)
            continue
        if fence:
            fence.append(line)
            if _FENCE.match(line):
                units.append(Unit("\n".join(fence), fence_start, n))
                fence = []
            continue
        if _FENCE.match(line):
            fence, fence_start = [line], n
        elif line.strip():
            units.append(Unit(line.rstrip(), n, n))
    if fence:  # unclosed fence: keep what there is
        units.append(Unit("\n".join(fence), fence_start, first_line + len(lines) - 1))
    return units


def split_text(text: str, n: int, budget: int, count: TokenCounter) -> list[tuple[str, int]]:
    """Split text over budget at the coarsest boundary that exists: lines, then sentences, then words, then
    characters; parts are greedily re-merged up to the budget. Returns each part with its token count (``n`` is the
    count of ``text``). Parts joined by whitespace are counted by adding their counts instead of tokenizing the
    merged text again: a WordPiece pre-tokenizer splits at whitespace, so the sum is exact for the real counter (and
    an over-estimate, the safe side, for a counter that adds a constant per call). This keeps a 10 MB paragraph at
    one tokenizer call per piece, not per merge."""
    if n <= budget:
        return [(text, n)]
    half = len(text) // 2
    sep, parts = "", [text[:half], text[half:]]  # last resort: cut by characters
    for joiner, candidates in (
        ("\n", text.split("\n")),
        (" ", _SENTENCE_END.split(text)),
        (" ", text.split(" ")),
    ):
        kept = [p for p in candidates if p.strip()]
        if len(kept) > 1:
            sep, parts = joiner, kept
            break
    out: list[tuple[str, int]] = []
    buf, buf_n = "", 0
    for part in parts:
        for sub, sub_n in split_text(part, count(part), budget, count):
            candidate = f"{buf}{sep}{sub}" if buf else sub
            cand_n = (buf_n + sub_n if sep else count(candidate)) if buf else sub_n
            if buf and cand_n > budget:
                out.append((buf, buf_n))
                buf, buf_n = sub, sub_n
            else:
                buf, buf_n = candidate, cand_n
    if buf:
        out.append((buf, buf_n))
    return out


def pack(units: list[Unit], budget: int, overlap: int, count: TokenCounter, sep: str = "\n") -> list[Piece]:
    """Greedily pack units into pieces of at most ``budget`` tokens; each new piece repeats trailing units of the
    previous one worth up to ``overlap`` tokens so a fact cut at a boundary is still whole in one piece."""
    sized: list[tuple[Unit, int]] = []
    for u in units:
        n = count(u.text)
        if n > budget and _TABLE_ROW.match(u.text.split("\n", 1)[0]):
            sized.extend(_table_parts(u, budget, count))
        elif n > budget:
            split = split_text(u.text, n, budget, count)
            located = _located_parts(u, [part for part, _ in split])
            sized.extend((part, part_n) for part, (_, part_n) in zip(located, split, strict=True))
        else:
            sized.append((u, n))
    pieces: list[Piece] = []
    cur: list[tuple[Unit, int]] = []
    cur_tokens = 0
    for unit, n in sized:
        if cur and cur_tokens + n > budget:
            pieces.append(_piece(cur, sep))
            carry: list[tuple[Unit, int]] = []
            carried = 0
            for prev in reversed(cur):
                if carried + prev[1] > overlap or carried + prev[1] + n > budget:
                    break
                carry.insert(0, prev)
                carried += prev[1]
            cur, cur_tokens = carry, carried
        cur.append((unit, n))
        cur_tokens += n
    if cur:
        pieces.append(_piece(cur, sep))
    return pieces


def _table_parts(unit: Unit, budget: int, count: TokenCounter) -> list[tuple[Unit, int]]:
    """A table too long for one chunk, as runs of rows that each repeat its header (and rule) row; each part's line
    range starts at the header it repeats. A row alone over the budget is cut as text."""
    rows = unit.text.split("\n")
    head = rows[:2] if len(rows) > 1 and _TABLE_RULE.match(rows[1]) else rows[:1]
    groups: list[tuple[list[str], int]] = []  # (rows, line offset of the last one)
    cur: list[str] = []
    for i, row in enumerate(rows[len(head) :], start=len(head)):
        if cur and count("\n".join([*head, *cur, row])) > budget:
            groups.append((cur, i - 1))
            cur = []
        cur.append(row)
    groups.append((cur, len(rows) - 1))
    out: list[tuple[Unit, int]] = []
    for group, last in groups:
        part = Unit("\n".join([*head, *group]), unit.first, unit.first + last)
        n = count(part.text)
        if n <= budget:
            out.append((part, n))
        else:
            split = split_text(part.text, n, budget, count)
            out.extend(zip(_located_parts(part, [t for t, _ in split]), [k for _, k in split], strict=True))
    return out


def _located_parts(unit: Unit, parts: list[str]) -> list[Unit]:
    """Give each split part of a multi-line unit its own line range (parts are in order in the unit's text)."""
    # newlines are counted from the previous part on, not from the start: linear in the unit, however many parts
    out, pos, counted, lines = [], 0, 0, 0
    for part in parts:
        probe = part.split("\n", 1)[0].split(" ", 1)[0]
        at = unit.text.find(probe, pos) if probe else pos
        at = pos if at < 0 else at
        lines += unit.text.count("\n", counted, at)
        counted = at
        first = unit.first + lines
        out.append(Unit(part, first, min(unit.last, first + part.count("\n"))))
        pos = at + max(1, len(probe))
    return out


def _piece(units: list[tuple[Unit, int]], sep: str) -> Piece:
    return Piece(sep.join(u.text for u, _ in units), units[0][0].first, max(u.last for u, _ in units))


def sentence_units(text: str, page: int) -> list[Unit]:
    """Sentences of a page of prose (papers); line numbers carry the page number."""
    return [Unit(s.strip(), page, page) for s in _SENTENCE_END.split(text) if s.strip()]
