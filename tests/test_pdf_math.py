"""Inline math of a paper kept readable (rag_service/text/pdf_math.py): on the shared PDFs as pdfminer reads them,
for the index (ingest/pdf.py) and for the reader's word boxes (rag_service/reader.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pdf import load_pdf
from rag_service import reader
from tests.conftest import PAPERS


def _paper(stem: str) -> Path:
    path = next(PAPERS.glob(f"{stem}*.pdf"), None)
    if path is None:
        pytest.skip(f"{stem} not among the shared papers")
    return path


def _text(stem: str, page: int) -> str:
    return "\n".join(line.text for line in load_pdf(_paper(stem)).lines if line.page == page)


def test_subscripts_accents_and_tex_symbols_are_written_readably() -> None:
    page6 = _text("2106.09685", 6)  # LoRA: the parameter count of each method
    assert "|Θ| = 2 × L̂_LoRA × d_model × r" in page6  # pdfminer alone: "|Θ| = 2 × ˆLLoRA × dmodel × r"
    page5 = _text("2106.09685", 5)
    assert "if r ≪ d_model" in page5  # CMSY's unmapped glyph 28 is \ll ("(cid:28)" before)
    assert "(W_q, W_k, W_v, W_o)" in page5
    assert "d_ffn = 4 × d_model" in _text("2106.09685", 2)  # a kerned pair inside a subscript is no word break
    assert "0.98 and ϵ = 10^{−9}" in _text("1706.03762", 7)  # a superscript holding more than letters and digits
    assert "2.3 · 10^19" in _text("1706.03762", 8)  # training FLOPs: "2.3 · 1019" before
    assert "Attention(QW^Q" in _text("1706.03762", 5)  # no gap between a base and its superscript
    assert "(cid:" not in page5 + page6


def test_an_authors_footnote_marks_are_not_part_of_the_names() -> None:
    from ingest.paper_structure import read_pdf

    authors = read_pdf(_paper("1701.06538")).authors or ""  # "Noam Shazeer^1, Azalia Mirhoseini^{∗†1}, ..."
    assert authors.startswith("Noam Shazeer, Azalia Mirhoseini, Krzysztof Maziarz") and "^" not in authors


def test_a_mark_a_word_space_away_is_no_script_of_the_word_before() -> None:
    page1 = _text("2305.18290", 1)  # DPO's affiliations: "†Stanford University ‡CZ Biohub"
    assert "University ^‡CZ Biohub" in page1 and "University^" not in page1


def test_footnote_marks_and_indices_are_no_numbers_but_powers_of_ten_are() -> None:
    from rag_service.text.numbers import numbers

    assert numbers("small gradients ^4. As in layer_{12}, x^2") == set()
    assert numbers("ϵ = 10^{−9} and 2.3 · 10^19 FLOPs") == {"1e-09", "2.3e+19"}


def test_small_capitals_and_plain_text_are_not_scripts() -> None:
    first = _text("2210.03629", 1)  # ReAct: the title is set in small capitals on one baseline
    assert "SYNERGIZING REASONING AND ACTING" in first and "_" not in first.splitlines()[0]
    prose = _text("2106.09685", 1)
    assert "An important paradigm of natural language processing" in prose  # ordinary lines as before


def test_the_reader_finds_a_quote_written_with_scripts_on_the_page() -> None:
    page = reader.read_page(_paper("2106.09685"), 6)
    words, found = reader.locate(page, "|Θ| = 2 × L̂_LoRA × d_model × r, where L̂_LoRA is the number of weight matrices")
    assert found >= 0.9 and {"d", "model"} <= {t for w in words for t in reader.tokens(w.text)}
    assert reader.tokens("L̂_LoRA × d_model") == ["l", "lora", "d", "model"]  # the accent off, the script its own word
    # a subscript pdfminer splits with a space (a kerned pair) is one word on the page, as in the index
    words, found = reader.locate(reader.read_page(_paper("2106.09685"), 2), "feedforward dimension d_ffn = 4 × d_model")
    assert found == 1.0 and "ffn" in {t for w in words for t in reader.tokens(w.text)}
