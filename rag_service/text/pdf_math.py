"""A PDF text line written from its characters so that inline math stays readable where the font tells how it was set.

pdfminer's own line text strings every character together: LoRA's "|Θ| = 2 × L̂_LoRA × d_model × r" came out as
"|Θ| = 2 × ˆLLoRA × dmodel × r", and a symbol of a TeX math font with no Unicode map as "(cid:28)". Here:
- a run of characters set smaller than the character before it, on a lower (higher) baseline, is a subscript
  (superscript): written ``d_model``, ``W^⊤``, braced when it holds more than letters and digits (``10^{−4}``);
- a spacing accent drawn over the next (or previous) letter becomes that letter's combining accent (``L̂``);
- a glyph of a Computer Modern symbol, extension or AMS font with no Unicode map is read from the font's own
  encoding (the few dozen symbols these fonts place at fixed codes).
pdfminer gives each character's size, box and font name; no library that ships offline does this step for it. The
index (ingest/pdf.py) and the reader's word boxes (rag_service/reader.py) read the characters this same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from pdfminer.layout import LTChar

# spacing accent -> combining accent placed after its letter
_ACCENTS = {"ˆ": "\u0302", "^": "\u0302", "˜": "\u0303", "~": "\u0303", "¯": "\u0304", "˙": "\u0307", "¨": "\u0308"}
# TeX's font encodings (OMS for cmsy, OMX for cmex, msam): code -> symbol, for glyphs pdfminer writes "(cid:N)"
_TEX_CODES = {
    "CMSY": {0: "−", 1: "·", 2: "×", 3: "∗", 6: "±", 20: "≤", 21: "≥", 24: "∼", 25: "≈", 28: "≪", 29: "≫",
             33: "→", 48: "′", 55: "", 49: "∞", 50: "∈", 62: "⊤", 63: "⊥", 106: "|", 107: "‖", 112: "√"},
    "CMEX": {0: "(", 1: ")", 2: "[", 3: "]", 16: "(", 17: ")", 18: "(", 19: ")", 26: "{", 27: "}", 80: "∑",
             81: "∏", 82: "∫", 88: "∑", 89: "∏", 90: "∫", 112: "√"},
    "MSAM": {88: "✓"},
}  # fmt: skip
_CID = re.compile(r"^\(cid:(\d+)\)$")
# a script character is set at most this share of its base's size, its baseline this share of the base's size off
SCRIPT_SIZE, SCRIPT_SHIFT = 0.85, 0.1
# a space before a script character narrower than this share of its size is kerning, not a word space
SCRIPT_GAP = 0.3


def char_text(c: LTChar) -> str:
    """The character's text; an unmapped glyph of a TeX symbol font read from that font's encoding."""
    text = c.get_text()
    m = _CID.match(text)
    if m:
        family = re.sub(r"\d+$", "", c.fontname.split("+")[-1]).upper()
        return _TEX_CODES.get(family, {}).get(int(m.group(1)), text)
    return text


def script(c: LTChar, base: LTChar | None) -> str:
    """The mark of ``c`` against ``base``: "_" a subscript, "^" a superscript, "" a character on the line."""
    if base is None or c.size > SCRIPT_SIZE * base.size:
        return ""
    # the baselines (the text matrix's y), not the boxes: small capitals are smaller on the same baseline
    shift = c.matrix[5] - base.matrix[5]
    if shift < -SCRIPT_SHIFT * base.size:
        return "_"
    if shift > SCRIPT_SHIFT * base.size:
        return "^"
    return ""


def joins(seq: Sequence[object], i: int, base: LTChar | None) -> bool:
    """The space pdfminer inserted at ``seq[i]`` is no word break: a script goes on after it ("d_ffn" kerned) or
    starts just after its base ("W^O"); a script a word space away ("University ‡CZ") starts a word of its own."""
    before, after = (seq[i - 1] if i else None), (seq[i + 1] if i + 1 < len(seq) else None)
    if not isinstance(after, LTChar) or not isinstance(before, LTChar) or not script(after, base):
        return False
    return after.x0 - before.x1 < SCRIPT_GAP * after.size


def _overlap(a: LTChar, b: LTChar) -> bool:
    """Drawn over one another: most of the narrower one's width is shared (neighbours in a word only touch)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)


def line_text(items: Iterable[object], shown: Callable[[LTChar], bool] = lambda c: True) -> str:
    """The line's text (pdfminer's characters and inserted spaces, in order) with scripts marked, accents on their
    letters and TeX symbols read; characters ``shown`` rejects are left out."""
    seq = [x for x in items if not isinstance(x, LTChar) or shown(x)]
    out: list[str] = []
    run: list[str] = []
    mark = ""
    base: LTChar | None = None

    def flush() -> None:
        if run:
            body = "".join(run)
            out.append(mark + (body if body.isalnum() or len(body) == 1 else "{" + body + "}"))
            run.clear()

    accent = ""
    for i, x in enumerate(seq):
        if not isinstance(x, LTChar):  # a space pdfminer inserted ends a script
            if joins(seq, i, base):
                continue  # unless the script goes on after a kerning gap ("d_ffn") or starts after its base ("W^O")
            flush()
            mark, accent = "", ""
            out.append(getattr(x, "get_text", lambda: "")())
            continue
        text = char_text(x)
        if text in _ACCENTS:
            nxt = seq[i + 1] if i + 1 < len(seq) else None
            if isinstance(nxt, LTChar) and _overlap(x, nxt) and char_text(nxt).isalpha():
                accent = _ACCENTS[text]  # drawn over the next letter
                continue
            if base is not None and _overlap(x, base) and out and not run and out[-1][-1:].isalpha():
                out[-1] += _ACCENTS[text]  # drawn over the letter before
                continue
        now = script(x, base)
        if now != mark:
            flush()
            mark = now
        if mark:
            run.append(text + accent)
        else:
            out.append(text + accent)
            base = x
        accent = ""
    flush()
    return "".join(out)
