"""Chunking: token budget with the model's tokenizer, overlap, line ranges, code kept whole."""

from __future__ import annotations

from ingest.chunk_notes import chunk_note
from ingest.chunking import Unit, line_units, pack
from ingest.notes import read_note
from rag_service.index.embedder import Embedder
from tests.conftest import NOTES


def words(text: str) -> int:
    """Deterministic fake token counter for unit tests: whitespace words."""
    return len(text.split())


def test_pack_respects_budget_and_overlaps() -> None:
    units = [Unit(f"w{i} " * 10, i, i) for i in range(10)]  # 10 tokens each
    pieces = pack(units, budget=35, overlap=10, count=words)
    assert all(words(p.text) <= 35 for p in pieces)
    assert len(pieces) > 3
    # each later piece starts with the last unit of the one before (overlap of 10 tokens)
    for prev, nxt in zip(pieces, pieces[1:], strict=False):
        assert nxt.text.split("\n")[0] == prev.text.split("\n")[-1]
        assert nxt.first == prev.last


def test_oversized_unit_is_split_by_sentence_then_words() -> None:
    long_line = " ".join(f"Sentence number {i} is here." for i in range(40))
    pieces = pack([Unit(long_line, 7, 7)], budget=20, overlap=0, count=words)
    assert len(pieces) > 5
    assert all(words(p.text) <= 20 for p in pieces)
    assert " ".join(p.text for p in pieces).split() == long_line.split()


def test_code_block_is_one_unit() -> None:
    lines = ["text", "```", "def f():", "", "    return 1", "```", "after"]
    units = line_units(lines, 10)
    assert [u.text for u in units] == ["text", "```\ndef f():\n\n    return 1\n```", "after"]
    assert (units[1].first, units[1].last) == (11, 15)


def test_a_table_stays_with_its_header_row() -> None:
    header = ["| Model | Context window (tokens) |", "| --- | --- |"]
    rows = [f"| model{i} | {1000 + i} tokens of context for row {i} |" for i in range(12)]
    units = line_units(["Pretrained models:", *header, *rows, "after"], 1)
    assert [u.text for u in units] == ["Pretrained models:", "\n".join([*header, *rows]), "after"]
    assert (units[1].first, units[1].last) == (2, 15)
    # too long for one chunk: every part repeats the header, each row is in one part, lines stay the file's
    pieces = pack(units[1:2], budget=40, overlap=0, count=words)
    assert len(pieces) > 2 and all(words(p.text) <= 40 for p in pieces)
    assert all(p.text.split("\n")[:2] == header for p in pieces)
    assert [r for p in pieces for r in p.text.split("\n")[2:]] == rows
    # each part's line range starts at the header it repeats and ends at its last row
    assert {p.first for p in pieces} == {2} and pieces[-1].last == 15 and pieces[0].last < pieces[1].last


def test_real_notes_fit_the_model_and_lines_match_the_file(embedder: Embedder) -> None:
    limit = embedder.max_seq_length
    for path in sorted(NOTES.glob("*.md")):
        note = read_note(path, NOTES)
        chunks = chunk_note(note, 220, 40, embedder.count_tokens)
        assert chunks, path
        file_lines = path.read_text(encoding="utf-8").split("\n")
        for c in chunks:
            ids = embedder.model.tokenizer(c.index_text)["input_ids"]
            assert len(ids) <= limit, f"{c.source.label()} has {len(ids)} word pieces"
            first, last = c.source.lines  # type: ignore[misc]
            assert 1 <= first <= last <= len(file_lines)
            # the first line of the chunk is on the first line of its range (before Liquid/mojibake cleaning)
            head = c.text.split("\n")[0].strip()[:20]
            if (
                "{%" not in file_lines[first - 1]
                and "â" not in file_lines[first - 1]
                and "<" not in file_lines[first - 1]
            ):
                assert head in file_lines[first - 1], (c.source.label(), head, file_lines[first - 1])


def test_a_huge_heading_path_does_not_fail_the_note(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ingest.chunk_notes import chunk_note
    from ingest.notes import read_note

    long = " ".join(["very long heading words"] * 60)
    (tmp_path / "n.md").write_text(f"# Top\n## {long}\n### {long} again\nthe body text under it\n")
    note = read_note(tmp_path / "n.md", tmp_path)
    chunks = chunk_note(note, max_tokens=128, overlap=0, count=lambda t: len(t.split()))
    body = [c for c in chunks if "the body text" in c.text]
    assert body and body[0].source.heading_path is not None
    assert len(" › ".join(body[0].source.heading_path)) <= 130 and body[0].source.heading_path[0] == "Top"
