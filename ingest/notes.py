"""Read a Jekyll/markdown note: front matter, Liquid tags, mojibake, heading sections with anchors and lines.

We parse headings ourselves instead of llama-index's MarkdownNodeParser because we need the 1-based line range of
every section and the kramdown anchor slug the notes site renders, and the parser keeps neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import ftfy
import yaml


class NoteError(ValueError):
    """A note that cannot be read; the message names the file and the reason."""


@dataclass
class Section:
    """A heading and the lines under it (until the next heading of any level)."""

    heading_path: list[str]
    anchor: str | None
    start_line: int  # 1-based, the heading line itself (or first body line for the preamble)
    lines: list[str] = field(default_factory=list)


@dataclass
class Note:
    """A parsed note."""

    path: Path
    rel_path: str
    title: str
    front_matter: dict[str, object]
    sections: list[Section]
    text: str  # cleaned full text (front matter removed, Liquid resolved, mojibake fixed)
    first_line: int = 1  # the file's line where ``text`` starts (after the front matter)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(the front matter's YAML text, or None without one; the body; the body's first line number)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text, 1
    return m.group(1), text[m.end() :], 1 + m.group(0).count("\n")


_LIQUID_TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}", re.S)
_LIQUID_NOTE = re.compile(r"""\bnote\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S)
_LIQUID_OUTPUT = re.compile(r"\{\{.*?\}\}", re.S)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")


def fix_mojibake(text: str) -> str:
    """Repair text that went through a wrong encoding round-trip (``Googleâ€™s`` -> ``Google’s``).

    Only encoding fixes are applied: quotes stay curly and HTML entities stay as written.
    """
    return ftfy.fix_text(
        text,
        uncurl_quotes=False,
        unescape_html=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        fix_line_breaks=False,
    )


def _resolve_liquid(text: str) -> str:
    """Drop Liquid tags but keep the note text an ``{% include ... note="..." %}`` carries."""

    def repl(m: re.Match[str]) -> str:
        note = _LIQUID_NOTE.search(m.group(1))
        if note:
            return f"({note.group(1) if note.group(1) is not None else note.group(2)})"
        return ""

    # The replacement keeps newlines inside multi-line tags so line numbers still match the file.
    def keep_lines(m: re.Match[str]) -> str:
        return repl(m) + "\n" * m.group(0).count("\n")

    return _LIQUID_OUTPUT.sub(lambda m: "\n" * m.group(0).count("\n"), _LIQUID_TAG.sub(keep_lines, text))


def heading_text(raw: str) -> str:
    """Plain text of a heading: markdown links reduced to their text, emphasis and code marks removed."""
    text = _MD_LINK.sub(lambda m: m.group(1), raw)
    text = _HTML_TAG.sub("", text)
    return re.sub(r"[*_`]+", "", text).strip()


def kramdown_anchor(text: str) -> str:
    """The id kramdown (Jekyll's default renderer) gives a heading.

    kramdown: drop leading non-letters, keep only ASCII letters/digits/spaces/dashes, spaces -> dashes, lowercase.
    """
    slug = re.sub(r"^[^a-zA-Z]+", "", text)
    slug = re.sub(r"[^a-zA-Z0-9 -]", "", slug)
    return slug.replace(" ", "-").lower() or "section"


def split_sections(lines: list[str], first_line: int, title: str) -> list[Section]:
    """Split lines into heading sections; headings inside fenced code blocks are ignored."""
    sections = [Section(heading_path=[], anchor=None, start_line=first_line)]
    stack: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    in_fence = False
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        m = None if in_fence else _HEADING.match(line)
        if m is None:
            sections[-1].lines.append(line)
            continue
        level, text = len(m.group(1)), heading_text(m.group(2))
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))
        anchor = kramdown_anchor(text)
        # kramdown de-duplicates repeated ids with -1, -2, ...
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        if count:
            anchor = f"{anchor}-{count}"
        sections.append(
            Section(
                heading_path=[t for _, t in stack],
                anchor=anchor,
                start_line=first_line + offset,
                lines=[line],
            )
        )
    return [s for s in sections if any(ln.strip() for ln in s.lines)]


def _strip_html_outside_code(lines: list[str]) -> list[str]:
    """Remove inline HTML tags (``<span class=...>``) but leave fenced code untouched."""
    out, in_fence = [], False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
        else:
            out.append(line if in_fence else _HTML_TAG.sub("", line))
    return out


def read_note(path: Path, root: Path) -> Note:
    """Read and clean one note. Raises NoteError naming the file when it is binary, undecodable or empty."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise NoteError(f"{rel}: cannot read ({e.strerror})") from e
    if b"\x00" in raw[:8192]:
        raise NoteError(f"{rel}: binary file, not markdown")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise NoteError(f"{rel}: not valid UTF-8 (byte {e.start})") from e
    text = fix_mojibake(text.replace("\r\n", "\n"))
    if not text.strip():
        raise NoteError(f"{rel}: empty file")

    front: dict[str, object] = {}
    yaml_text, text, first_line = split_front_matter(text)
    if yaml_text is not None:
        try:
            loaded = yaml.safe_load(yaml_text) or {}
        except yaml.YAMLError as e:
            raise NoteError(f"{rel}: bad YAML front matter ({e})") from e
        if not isinstance(loaded, dict):
            raise NoteError(f"{rel}: front matter is not a mapping")
        front = loaded
    lines = _strip_html_outside_code(_resolve_liquid(text).split("\n"))
    text = "\n".join(lines)
    title = str(front.get("title") or path.stem.replace("-", " ").replace("_", " "))
    sections = split_sections(lines, first_line, title)
    if not sections:
        raise NoteError(f"{rel}: no text after front matter")
    return Note(
        path=path, rel_path=rel, title=title, front_matter=front, sections=sections, text=text, first_line=first_line
    )
