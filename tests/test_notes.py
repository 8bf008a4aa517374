"""Reading notes: front matter, Liquid, mojibake, headings, anchors, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.notes import NoteError, kramdown_anchor, read_note, split_sections
from tests.conftest import NOTES


def test_front_matter_is_metadata_not_text() -> None:
    note = read_note(NOTES / "contents.md", NOTES)
    assert note.title == "Contents"
    assert note.front_matter["layout"] == "post"
    assert "layout: post" not in note.text


def test_liquid_tags_dropped_but_note_text_kept() -> None:
    note = read_note(NOTES / "contents.md", NOTES)
    assert "{%" not in note.text and "%}" not in note.text
    assert "This is just an example of side notes" in note.text
    assert "The notes are still **under construction**!" in note.text


def test_mojibake_repaired() -> None:
    note = read_note(NOTES / "reading-list.md", NOTES)
    assert "Spanner: Google’s Globally-Distributed Database" in note.text
    assert "â€" not in note.text


def test_heading_paths_and_line_ranges() -> None:
    note = read_note(NOTES / "llm-study-notes.md", NOTES)
    rag = [s for s in note.sections if s.heading_path[-1:] == ["RAG"] and "Chip Huyen" in " ".join(s.heading_path)]
    assert rag, "the RAG section of Chip Huyen's chapter 6 is missing"
    assert rag[0].heading_path == [
        "Applications",
        "AI Engineering, Chip Huyen",
        "Chapter 6, RAG and Agents",
        "RAG",
    ]
    assert rag[0].anchor == "rag"
    file_lines = (NOTES / "llm-study-notes.md").read_text().split("\n")
    assert file_lines[rag[0].start_line - 1] == "#### RAG"
    # A heading that is a link keeps only its text.
    karpathy = [s for s in note.sections if s.heading_path[-1:] == ["Intro to Large Language Models, Andrej Karpathy"]]
    assert karpathy and karpathy[0].anchor == "intro-to-large-language-models-andrej-karpathy"


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Chapter 6, RAG and Agents", "chapter-6-rag-and-agents"),
        ("Ch 1 Attention and Transformer", "ch-1-attention-and-transformer"),
        ("2. Gradient descent", "gradient-descent"),
        ("Code Execution:", "code-execution"),
        ("Où est l'été?", "o-est-lt"),
    ],
)
def test_kramdown_anchor(heading: str, anchor: str) -> None:
    assert kramdown_anchor(heading) == anchor


def test_headings_inside_code_fences_are_text_and_duplicate_anchors_numbered() -> None:
    lines = ["# Setup", "```python", "# not a heading", "x = 1", "```", "# Setup", "again"]
    sections = split_sections(lines, 1, "t")
    assert [s.heading_path for s in sections] == [["Setup"], ["Setup"]]
    assert [s.anchor for s in sections] == ["setup", "setup-1"]
    assert "# not a heading" in sections[0].lines


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"), (b"caf\xe9 \xff\xfe", "UTF-8"), (b"   \n", "empty")],
)
def test_unreadable_notes_name_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad-note.md"
    bad.write_bytes(content)
    with pytest.raises(NoteError, match=rf"bad-note\.md: .*{reason}"):
        read_note(bad, tmp_path)
