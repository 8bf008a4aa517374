"""Tables of a paper read as rows under their column names: synthetic lines for the rules, the shared PDFs for the
count (ingest/pdf_tables.py)."""

from __future__ import annotations

import pytest

from ingest.pdf import Line, load_pdf
from ingest.pdf_tables import find_tables
from tests.conftest import PAPERS


def _line(text: str, x0: float, y0: float, box: int, page: int = 1) -> Line:
    return Line(page=page, box=box, x0=x0, y0=y0, x1=x0 + 6 * len(text), size=9.0, bold=False, text=text)


def _table_page() -> list[Line]:
    """A caption, a two-level header (a group over two columns), three data rows, then prose."""
    lines = [_line("Table 2: Results on the two benchmarks (higher is better).", 72, 700, box=1)]
    lines += [_line("HotpotQA", 200, 680, box=2), _line("Fever", 300, 680, box=3)]
    lines += [_line("(EM)", 200, 668, box=4), _line("(Acc)", 300, 668, box=5)]
    rows = [("Standard", "28.7", "57.1"), ("CoT", "29.4", "56.3"), ("ReAct", "27.4", "60.9")]
    for i, (name, a, b) in enumerate(rows):
        y = 655 - 12 * i
        lines += [_line(name, 72, y, box=6 + 3 * i), _line(a, 205, y, box=7 + 3 * i), _line(b, 305, y, box=8 + 3 * i)]
    lines.append(_line("The prose after the table runs across the whole width of the page text block.", 72, 580, 40))
    return lines


def test_rows_are_read_under_their_column_names() -> None:
    (table,) = find_tables(_table_page())
    assert table.label == "Table 2" and table.page == 1 and table.caption.startswith("Table 2: Results")
    assert table.columns == ("HotpotQA (EM)", "Fever (Acc)")  # the group's name over each of its columns
    assert table.row_texts()[2] == "ReAct: HotpotQA (EM) 27.4; Fever (Acc) 60.9"
    assert table.text().splitlines()[0] == table.caption and len(table.text().splitlines()) == 4


def test_no_caption_or_too_few_rows_is_no_table() -> None:
    uncaptioned = [ln for ln in _table_page() if not ln.text.startswith("Table")]
    assert find_tables(uncaptioned) == []
    prose_only = [
        _line("Table 3: A caption above prose.", 72, 700, 1),
        _line("Just one line of prose here.", 72, 680, 2),
    ]
    assert find_tables(prose_only) == []
    # a caption whose "table" is one header and one row: not enough to read as rows
    short = _table_page()[:8]
    assert find_tables(short) == []


@pytest.mark.parametrize(("pdf", "at_least"), [("2101.03961.pdf", 8), ("1701.06538v1.pdf", 5)])
def test_the_shared_papers_tables_are_found(pdf: str, at_least: int) -> None:
    tables = find_tables(load_pdf(PAPERS / pdf).lines)
    assert len(tables) >= at_least
    assert all(t.rows and all(len(values) == len(t.columns) for _, values in t.rows) for t in tables)


def test_tables_are_indexed_as_rows_only_when_turned_on(embedder) -> None:  # type: ignore[no-untyped-def]
    from ingest.chunk_papers import chunk_paper
    from ingest.paper_structure import structure
    from ingest.pdf import load_pdf as load

    doc = structure(load(PAPERS / "2210.03629v3.pdf"))
    plain = chunk_paper("2210.03629", doc, "ReAct", None, 128, 0, embedder.count_tokens)
    with_tables = chunk_paper("2210.03629", doc, "ReAct", None, 128, 0, embedder.count_tokens, tables=True)
    assert [c.id for c in with_tables[: len(plain)]] == [c.id for c in plain]  # the text's chunks keep their ids
    rows = [c for c in with_tables[len(plain) :] if c.source.heading_path and c.source.heading_path[-1] == "Table 1"]
    assert rows and "ReAct: " in "\n".join(c.text for c in rows) and all(c.source.page == 5 for c in rows)
