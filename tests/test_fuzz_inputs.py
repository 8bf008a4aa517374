"""Property tests (hypothesis) for what ingest reads: any bytes as a note, any damage to a PDF. Each either parses
or fails with the reader's own error naming the file (NoteError / PdfError), which ingest reports per file and
skips; never another exception, which would stop a whole run."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from ingest.chunk_notes import chunk_note
from ingest.notes import NoteError, read_note
from ingest.paper_structure import read_pdf
from ingest.pdf import PdfError
from rag_service.index.embedder import Embedder
from tests.conftest import PAPERS

FRONT = st.sampled_from(["", "---\ntitle: T\n---\n", "---\n: [\n", "---\ntitle: {{ page.x }\n", "---\n---\n", "---\n"])
LINE = st.one_of(
    st.text(max_size=120),
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 12), st.text(max_size=60)),  # headings, too deep ones
    st.builds(lambda n, t: ">" * n + " " + t, st.integers(1, 60), st.text(max_size=40)),  # deep quote nesting
    st.builds(lambda n, t: "  " * n + "- " + t, st.integers(0, 80), st.text(max_size=40)),  # deep list nesting
    st.sampled_from(["```", "{% raw %}", "{% endraw %}", "{{ site.url }}", "<div>", "</div>", "\x00", "\ufeff"]),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "word ", "#", "\x00"]), st.integers(1000, 30000)),  # huge
)
NOTE_TEXT = st.builds(lambda front, lines: front + "\n".join(lines), FRONT, st.lists(LINE, max_size=30))
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NOTE_TEXT, encoding=ENCODINGS, junk=st.binary(max_size=64), junk_at=st.floats(0, 1))
@example(text="# a\n" + "b" * 200_000, encoding="utf-8", junk=b"", junk_at=0.0)  # one 200 KB line
@example(text="", encoding="utf-8", junk=b"\x00" * 64, junk_at=0.5)  # NUL bytes only
def test_any_note_parses_or_names_the_file(
    tmp_path: Path, embedder: Embedder, text: str, encoding: str, junk: bytes, junk_at: float
) -> None:
    data = text.encode(encoding, errors="replace")
    cut = int(len(data) * junk_at)
    path = tmp_path / "fuzzed note.md"
    path.write_bytes(data[:cut] + junk + data[cut:])
    try:
        note = read_note(path, tmp_path)
    except NoteError as e:
        assert str(e).startswith("fuzzed note.md: "), e
        return
    chunks = chunk_note(note, 200, 30, embedder.count_tokens)
    assert all(c.text.strip() for c in chunks)
    assert all(c.source.file == "fuzzed note.md" for c in chunks)


SMALLEST_PDF = min(PAPERS.glob("*.pdf"), key=lambda p: p.stat().st_size)


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return SMALLEST_PDF.read_bytes()


# no shrinking: each example parses a real PDF (~1 s), and the seed printed on failure reproduces it exactly
@settings(
    max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate]
)
@example(damage="flip", where=0.0, seed=13)  # pdfminer asserts "Invalid octal": an AssertionError before the fix
@example(damage="flip", where=0.0, seed=133)  # an OverflowError inside the parser
@given(
    damage=st.sampled_from(["truncate", "flip", "splice", "garbage", "header-only"]),
    where=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_damaged_pdf_parses_or_names_the_file(
    tmp_path_factory: pytest.TempPathFactory, pdf_bytes: bytes, damage: str, where: float, seed: int
) -> None:
    rng = random.Random(seed)
    n = len(pdf_bytes)
    at = int(n * where)
    if damage == "truncate":
        data = pdf_bytes[: max(at, 1)]
    elif damage == "flip":  # 50 random bytes overwritten
        buf = bytearray(pdf_bytes)
        for _ in range(50):
            buf[rng.randrange(n)] = rng.randrange(256)
        data = bytes(buf)
    elif damage == "splice":  # a random slice of the file repeated inside it
        a = rng.randrange(n)
        data = pdf_bytes[:at] + pdf_bytes[a : a + 4096] + pdf_bytes[at:]
    elif damage == "garbage":
        data = rng.randbytes(rng.randrange(1, 20000))
    else:
        data = b"%PDF-1.7\n" + rng.randbytes(rng.randrange(0, 2000))
    path = tmp_path_factory.mktemp("pdf") / "fuzzed.pdf"
    path.write_bytes(data)
    try:
        doc = read_pdf(path)
    except PdfError as e:
        assert str(e).startswith("fuzzed.pdf: "), e
        return
    assert doc.pages and any(p.strip() for p in doc.pages)


def test_parser_assertions_on_damaged_bytes_are_this_files_error(tmp_path: Path, pdf_bytes: bytes) -> None:
    """Found by the test above: 50 flipped bytes make pdfminer raise AssertionError ("Invalid octal"), which escaped
    the reader and would have stopped the ingest run."""
    rng = random.Random(13)
    buf = bytearray(pdf_bytes)
    for _ in range(50):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    path = tmp_path / "fuzzed.pdf"
    path.write_bytes(bytes(buf))
    with pytest.raises(PdfError, match=r"^fuzzed\.pdf: damaged PDF \(AssertionError: Invalid octal"):
        read_pdf(path)
