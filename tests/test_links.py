"""Link extraction and classification on the real notes, and the link graph stored with the index."""

from __future__ import annotations

import pytest

from ingest.links import classify, extract_links
from rag_service.index.store import HybridIndex
from tests.conftest import NOTES


def _all_links() -> list:
    return [link for p in sorted(NOTES.glob("*.md")) for link in extract_links(p.read_text(encoding="utf-8"))]


def test_arxiv_ids_found_in_the_notes() -> None:
    ids = {link.target for link in _all_links() if link.kind == "arxiv"}
    assert {
        "1706.03762",
        "2101.03961",
        "2203.15556",
        "2305.18290",
        "2404.16130",
        "2309.15217",
        "1701.06538",
        "2106.09685",
        "2203.02155",
        "2210.03629",
    } <= ids
    # Counted once and checked by hand: 58 distinct arXiv papers are linked across the five notes.
    assert len(ids) == 58
    others = {link.target for link in _all_links() if link.kind in ("pdf", "openreview")}
    assert "openreview:B1ckMDqlg" in others
    assert any(t.startswith("pdf:ISCA-TSP") for t in others)
    assert any(t.startswith("pdf:spanner-osdi2012") for t in others)
    assert any(t.startswith("pdf:mapreduce-osdi04") for t in others)


@pytest.mark.parametrize(
    ("url", "kind", "target"),
    [
        ("https://arxiv.org/abs/2404.16130", "arxiv", "2404.16130"),
        ("https://arxiv.org/pdf/2101.03961.pdf", "arxiv", "2101.03961"),
        ("https://arxiv.org/pdf/1706.03762v7", "arxiv", "1706.03762"),
        ("http://arxiv.org/html/2402.01234v2", "arxiv", "2402.01234"),
        ("https://arxiv.org/abs/hep-th/9901001v1", "arxiv", "hep-th/9901001"),
        ("https://openreview.net/pdf?id=B1ckMDqlg", "openreview", "openreview:B1ckMDqlg"),
        ("https://www.youtube.com/watch?v=zjkBMFhNj_g", "web", None),
        ("https://github.com/karpathy/nanoGPT", "web", None),
    ],
)
def test_classify(url: str, kind: str, target: str | None) -> None:
    assert classify(url) == (kind, target)


def test_direct_pdf_links_get_stable_ids() -> None:
    kind, target = classify("https://wow.groq.com/wp-content/uploads/2020/06/ISCA-TSP.pdf")
    assert kind == "pdf" and target is not None and target.startswith("pdf:ISCA-TSP-")
    assert classify("https://wow.groq.com/wp-content/uploads/2020/06/ISCA-TSP.pdf")[1] == target


def test_markdown_bare_and_reference_links() -> None:
    text = (
        "See [Switch](https://arxiv.org/pdf/2101.03961.pdf), also https://arxiv.org/abs/2404.16130.\n"
        "And [the DPO paper][dpo] (bare link in parens: (https://example.com/x)).\n\n"
        '[dpo]: https://arxiv.org/abs/2305.18290 "DPO"\n'
    )
    links = extract_links(text)
    assert [(link.anchor_text, link.target) for link in links if link.kind == "arxiv"] == [
        ("Switch", "2101.03961"),
        (None, "2404.16130"),
        ("the DPO paper", "2305.18290"),
    ]
    assert [link.url for link in links if link.kind == "web"] == ["https://example.com/x"]


def test_link_graph_stored_with_the_index(full_index: HybridIndex) -> None:
    rows = full_index.db.execute(
        "SELECT source_key, heading, anchor_text FROM links WHERE target = '1701.06538'"
    ).fetchall()
    files = {r[0] for r in rows}
    assert {"large-language-models.md", "contents.md"} <= files
    assert any(r[2] and "sparsely-gated" in r[2].lower() for r in rows)
    assert any(r[1] == "Groq › MoE papers" for r in rows)
