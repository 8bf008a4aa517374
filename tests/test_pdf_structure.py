"""Papers read as papers, on the real shared PDFs: structure, text quality, chunks with heading paths, any folder of
PDFs ingested and found, a broken PDF named and skipped, retrieval windows and part weights."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ingest.chunk_papers import chunk_paper
from ingest.paper_structure import PdfDoc, read_pdf
from ingest.pipeline import NothingIngestedError, run
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import HybridRetriever, RetrievalConfig
from rag_service.retrieval.window import clip
from tests.conftest import PAPERS, make_settings


@pytest.fixture(scope="module")
def attention() -> PdfDoc:
    return read_pdf(PAPERS / "1706.03762v7.pdf")


@pytest.fixture(scope="module")
def dpo() -> PdfDoc:
    return read_pdf(PAPERS / "2305.18290v2.pdf")


def _section(doc: PdfDoc, heading: str) -> list:
    return [s for s in doc.sections if s.heading_path and s.heading_path[-1] == heading]


def test_attention_structure(attention: PdfDoc) -> None:
    assert attention.title == "Attention Is All You Need"
    assert attention.authors and "Ashish Vaswani" in attention.authors and "Illia Polosukhin" in attention.authors
    assert "@" not in attention.authors
    assert attention.abstract and attention.abstract.startswith("The dominant sequence transduction models")
    [sdpa] = _section(attention, "3.2.1 Scaled Dot-Product Attention")
    assert sdpa.heading_path == ["3 Model Architecture", "3.2 Attention", "3.2.1 Scaled Dot-Product Attention"]
    assert sdpa.paras[0].page == 4 and sdpa.part == "body"
    assert any("We call our particular attention" in p.text for p in sdpa.paras)
    [refs] = _section(attention, "References")
    assert refs.part == "references" and refs.paras[0].page == 10
    captions = [p.text for s in attention.sections for p in s.paras if p.caption]
    assert any(c.startswith("Figure 1: The Transformer - model architecture") for c in captions)


def test_switch_toc_is_skipped_and_appendix_marked() -> None:
    switch = read_pdf(PAPERS / "2101.03961.pdf")
    assert (
        switch.title == "Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity"
    )
    # the table of contents on page 2 opens no sections
    assert not [s for s in switch.sections if s.paras and s.paras[0].page == 2 and s.part != "abstract"]
    assert _section(switch, "1. Introduction")[0].paras[0].page == 3
    assert _section(switch, "A. Switch for Attention")[0].part == "appendix"
    assert not any(p.startswith("Fedus, Zoph and Shazeer") for p in switch.pages)  # running header dropped


def test_small_caps_and_hyphenated_titles_repaired() -> None:
    assert read_pdf(PAPERS / "2210.03629v3.pdf").title == "REACT: SYNERGIZING REASONING AND ACTING IN LANGUAGE MODELS"
    assert read_pdf(PAPERS / "2106.09685v2.pdf").title == "LORA: LOW-RANK ADAPTATION OF LARGE LANGUAGE MODELS"


def test_text_quality_regressions(attention: PdfDoc, dpo: PdfDoc) -> None:
    text = "\n".join(dpo.pages)
    # DPO's math font maps π and θ to arrows and dingbats; the known signature is mapped back
    assert "π_ref" in text and "⇡" not in text and "✓" not in text  # π_ref: the subscript marked (text/pdf_math.py)
    assert "without explicit reward modeling or reinforcement learning" in dpo.pages[1]
    assert not re.search(r"functionL\s?DPO\w", text)  # pypdf glued "function L_DPO increases"
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", text)
    att = "\n".join(attention.pages)
    assert "English-to-German" in att and "Englishto" not in att  # compounds split at a line end stay whole
    assert "ﬁ" not in att and "efficient" in att  # ligatures normalised


def test_paper_chunks_carry_heading_paths_pages_and_card(attention: PdfDoc, embedder: Embedder) -> None:
    chunks = chunk_paper("1706.03762", attention, attention.title or "", None, 128, 0, embedder.count_tokens)
    card = chunks[0]
    assert card.source.part == "abstract" and card.source.heading_path == ["Abstract"]
    assert "Ashish Vaswani" in card.text and card.source.url == "https://arxiv.org/pdf/1706.03762#page=1"
    sdpa = next(c for c in chunks if "We call our particular attention" in c.text)
    assert sdpa.index_text.startswith(
        "Attention Is All You Need › 3 Model Architecture › 3.2 Attention › 3.2.1 Scaled Dot-Product Attention\n"
    )
    assert sdpa.source.page == 4
    assert "3.2.1 Scaled Dot-Product Attention" in sdpa.source.label()
    spans = [c for c in chunks if c.source.page_end]
    assert spans and all(c.source.page_end > c.source.page for c in spans)  # type: ignore[operator]
    assert {c.source.part for c in chunks} >= {"abstract", "body", "references"}
    limit = embedder.max_seq_length
    assert all(len(embedder.model.tokenizer(c.index_text)["input_ids"]) <= limit for c in chunks)


def test_folder_of_arbitrary_pdfs_ingested_found_and_broken_one_skipped(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "my papers"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(PAPERS / "1706.03762v7.pdf", folder / "attention paper.pdf")
    shutil.copy(PAPERS / "2210.03629v3.pdf", folder / "sub" / "react.PDF")
    (folder / "broken.pdf").write_bytes((PAPERS / "2305.18290v2.pdf").read_bytes()[:3000])
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    report = run(settings, [folder], index=index)
    assert report.files_read == 3 and report.files_failed == 1
    [failure] = report.failures
    assert failure.key.endswith("broken.pdf") and "broken.pdf" in (failure.reason or "")
    keys = {s["key"] for s in index.sources()}
    assert len(keys) == 2 and all(re.fullmatch(r"paper:pdf:[0-9a-f]{16}", k) for k in keys)

    hits = HybridRetriever(index, settings.retrieval).retrieve("scaled dot-product attention softmax", k=3).hits
    top = hits[0].chunk.source
    assert top.title == "Attention Is All You Need"
    assert top.url and top.url.startswith((folder / "attention paper.pdf").as_uri() + "#page=")
    assert index.chunk_ids() == index.chroma_ids()

    again = run(settings, [folder], index=index)  # unchanged bytes: nothing re-parsed or re-embedded
    assert again.chunks_added == 0 and again.files_skipped == 2
    (folder / "sub" / "react.PDF").unlink()
    gone = run(settings, [folder], index=index)
    assert [s.status for s in gone.sources if s.status == "removed"] == ["removed"]
    assert len(index.sources()) == 1 and index.chunk_ids() == index.chroma_ids()
    index.close()


def test_a_run_that_finds_nothing_readable_fails_loudly(tmp_path: Path, embedder: Embedder) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("plain text is not ingested")
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    with pytest.raises(NothingIngestedError, match="no markdown notes .* or PDFs found"):
        run(settings, [tmp_path / "in"], index=index)
    (tmp_path / "in" / "only.pdf").write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(NothingIngestedError, match="only.pdf"):
        run(settings, [tmp_path / "in"], index=index)
    index.close()


def test_windows_widen_paper_hits_and_references_are_down_weighted(full_index: HybridIndex) -> None:
    retriever = HybridRetriever(full_index, full_index.settings.retrieval)
    q = "How many attention heads does the base Transformer use?"
    narrow = retriever.retrieve(q, k=5, config=RetrievalConfig(window=False)).hits
    wide = retriever.retrieve(q, k=5).hits
    hit = next(h for h in wide if h.chunk.source.paper_id == "1706.03762")
    small = full_index.get_chunks([hit.chunk.id])[hit.chunk.id]
    assert len(hit.chunk.text) > len(small.text) and hit.hit_span is not None
    a, b = hit.hit_span
    assert small.text in hit.chunk.text[a:b]  # the matched unit sits inside its window's quoted span
    assert len(hit.chunk.text) <= full_index.settings.retrieval.window_chars
    # no two results of one paper overlap: a hit inside an earlier window is not repeated
    spans: dict[str, list[str]] = {}
    for h in wide:
        spans.setdefault(h.chunk.source_key, []).append(h.chunk.text)
    for texts in spans.values():
        assert all(t1 not in t2 for i, t1 in enumerate(texts) for t2 in texts[i + 1 :])
    assert [h.chunk.id for h in narrow] != [h.chunk.id for h in wide] or all(
        len(w.chunk.text) >= len(n.chunk.text) for w, n in zip(wide, narrow, strict=False)
    )
    # a query made of an author list matches reference entries; with the weight they no longer lead
    refs_q = "Vaswani Shazeer Parmar Uszkoreit Jones Gomez Kaiser Polosukhin 2017 Advances in neural information"
    parts = full_index.parts
    flat = retriever.settings.model_copy(update={"part_weights": {}})
    unweighted = HybridRetriever(full_index, flat).retrieve(refs_q, k=5, config=RetrievalConfig(window=False)).hits
    weighted = retriever.retrieve(refs_q, k=5, config=RetrievalConfig(window=False)).hits
    n_refs = [sum(parts.get(h.chunk.id) == "references" for h in hits) for hits in (unweighted, weighted)]
    assert n_refs[0] > n_refs[1]


def test_clip_keeps_the_matched_span() -> None:
    text = " ".join(f"w{i}" for i in range(400))
    a = text.index("w200")
    out = clip(text, (a, a + 4), 100)
    assert "w200" in out and len(out) <= 100 and not out.startswith(" ")
    assert clip("short", None, 100) == "short"
    # cut inside a bullet's indent, the bullet keeps its depth (its siblings are not read as its children)
    note = "* intro line that runs on\n" * 8 + "    * Top-K: picks the k best\n        * smaller K\n    * Top-P: p"
    i = note.index("Top-K")
    out = clip(note, (i, len(note)), len(note) - i + 4)  # the cut falls on the bullet's marker
    assert out.startswith("    * Top-K") and out.endswith("* Top-P: p"), repr(out)


def test_a_pdf_without_headings_keeps_its_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A note or post printed to PDF has a title and text but no section heading: its page 1 is its body, not an
    author block (before, every line of such a one-page PDF was dropped and it gave no chunk)."""
    from eval.redteam_pdf import one_page_pdf
    from ingest.paper_structure import read_pdf

    body = [
        (f"Sparse mixture of experts layers route each token, as paragraph {i} explains.", 10.0, 0.0) for i in range(8)
    ]
    path = tmp_path / "post.pdf"
    path.write_bytes(one_page_pdf([("Routing in sparse mixtures of experts", 18.0, 0.0), *body]))
    doc = read_pdf(path)
    assert doc.title == "Routing in sparse mixtures of experts" and doc.authors is None
    text = " ".join(p.text for s in doc.sections for p in s.paras)
    assert all(f"paragraph {i} explains" in text for i in range(8)), text
