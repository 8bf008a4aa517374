"""Tables of a paper, read as rows under their header.

pdfminer gives a table as many short text lines; in the paper's text flow they come out as numbers strung together,
which answer nothing. A table is found from its caption ("Table 3: ..."): the run of rows next to it on its page,
a row being the lines that share a baseline with two or more cells apart. Each data row is then written with its
column headers ("Method: LoRA; # Trainable Parameters: 4.7M; WikiSQL: 73.4"), as a note's table row keeps its
header row, so a row read alone says what its numbers are. Written here, not taken from a library: the maintained
table extractors (camelot, pdfplumber's table finder) read ruling lines this layout often lacks, or need a second PDF
parser; this one reads the lines pdfminer already placed (measured on the 7 shared papers: docs/CHANGELOG.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.pdf import Line

CAPTION = re.compile(r"^Table\s+([A-Z]?\d+)\s*[:.]")
_ROW_TOLERANCE = 2.5  # points between the baselines of one row's cells
_ROW_GAP = 26.0  # points between two rows of one table (a header may sit a line and a half above the first row)


@dataclass(frozen=True)
class Table:
    """A table of a page: its label ("Table 3"), caption, column names and data rows, each row its label (the cells
    left of every column, often the method or model) and one value per column ("" where the row has none)."""

    page: int
    label: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]

    def row_texts(self) -> list[str]:
        """Each data row with its column names: "LoRA: # Trainable Parameters 4.7M; WikiSQL 73.4; ..."."""
        out = []
        for label, values in self.rows:
            pairs = "; ".join(f"{c} {v}".strip() for c, v in zip(self.columns, values, strict=True) if v)
            out.append(f"{label}: {pairs}" if label else pairs)
        return out

    def text(self) -> str:
        """The caption, then one line per data row (see row_texts)."""
        return "\n".join([self.caption, *self.row_texts()])


_NUMERIC = re.compile(r"\d")


def _numeric(text: str) -> bool:
    """A cell that is mostly a value: a third or more of its characters digits (12.4, 0.37M, 46.0±.2)."""
    return len(_NUMERIC.findall(text)) >= max(1, len(text.replace(" ", "")) / 3)


def _overlap(a: Line, x0: float, x1: float) -> float:
    return min(a.x1, x1) - max(a.x0, x0)


def _columns(header: list[list[Line]]) -> list[tuple[str, float, float]]:
    """Column names and x-ranges from the header rows: the last header row's cells, each prefixed by the cells of the
    rows above that span it ("E2E NLG Challenge" over "BLEU", "NIST", ...)."""
    last = header[-1]
    names = []
    for cell in last:
        above = [c.text for row in header[:-1] for c in row if _overlap(c, cell.x0, cell.x1) > 0]
        names.append((" ".join([*above, cell.text]), cell.x0, cell.x1))
    return names


def _table(page: int, label: str, caption: str, body: list[list[Line]]) -> Table | None:
    """Header rows (the leading rows without a value in them), then each data row's cells under the column whose
    x-range they overlap most; cells left of every column are the row's label."""
    n_head = next((i for i, row in enumerate(body) if any(_numeric(c.text) for c in row)), 0)
    header, data = body[: max(1, n_head)], body[max(1, n_head) :]
    columns = _columns(header)
    if len(data) < 2 or len(columns) < 2:
        return None
    rows = []
    for row in data:
        values = [""] * len(columns)
        label_cells = []
        for cell in row:
            best = max(range(len(columns)), key=lambda j: _overlap(cell, columns[j][1], columns[j][2]))
            if _overlap(cell, columns[best][1], columns[best][2]) <= 0 and cell.x1 <= columns[0][1]:
                label_cells.append(cell.text)  # left of every column: what the row is about
            else:
                values[best] = f"{values[best]} {cell.text}".strip()
        rows.append((" ".join(label_cells), tuple(values)))
    return Table(page, label, caption, tuple(c[0] for c in columns), tuple(rows))


def _rows(lines: list[Line]) -> list[list[Line]]:
    """The page's lines grouped by baseline, top to bottom, each row's cells left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: (-x.y0, x.x0)):
        if rows and abs(rows[-1][0].y0 - ln.y0) <= _ROW_TOLERANCE:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [sorted(r, key=lambda x: x.x0) for r in rows]


def _tabular(row: list[Line], left: float, right: float) -> bool:
    """Two or more cells of the table's width, none of them a line of prose running across it."""
    cells = [c for c in row if c.x1 > left - 5 and c.x0 < right + 5]
    return len(cells) >= 2 and all(c.x1 - c.x0 < 0.6 * (right - left) for c in cells)


def _run(rows: list[list[Line]], start: int, step: int, left: float, right: float) -> list[list[Line]]:
    """The tabular rows from ``start`` on, going up (step -1) or down (+1), while they stay close together."""
    out: list[list[Line]] = []
    i = start
    while 0 <= i < len(rows) and _tabular(rows[i], left, right):
        if out and abs(out[-1][0].y0 - rows[i][0].y0) > _ROW_GAP:
            break
        out.append(rows[i])
        i += step
    return out if step > 0 else out[::-1]


def find_tables(lines: list[Line]) -> list[Table]:
    """The tables of a document: for each "Table N:" caption, the rows right below it or, failing that, right above
    it on its page (at least a header and two data rows)."""
    tables: list[Table] = []
    seen: set[str] = set()
    for page in sorted({ln.page for ln in lines}):
        on_page = [ln for ln in lines if ln.page == page]
        rows = _rows(on_page)
        for i, row in enumerate(rows):
            m = next((m for c in row if (m := CAPTION.match(c.text))), None)
            if m is None or m.group(1) in seen:
                continue
            caption_line = next(c for c in row if CAPTION.match(c.text))
            # the caption's paragraph: the caption line and the lines of its text block after it
            caption = " ".join(ln.text for ln in on_page if ln.box == caption_line.box)
            left = min(ln.x0 for ln in on_page)
            right = max(ln.x1 for ln in on_page)
            below = [r for r in rows[i + 1 :] if r[0].box != caption_line.box]
            first_below = i + 1 + (len(rows[i + 1 :]) - len(below))
            body = _run(rows, first_below, 1, left, right) or _run(rows, i - 1, -1, left, right)
            if len(body) < 3:
                continue
            table = _table(page, f"Table {m.group(1)}", caption, body)
            if table is not None:
                seen.add(m.group(1))
                tables.append(table)
    return tables
