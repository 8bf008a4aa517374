"""The local paper reader: which PDF may be served, the page image, and where a quote's words sit on the page.

Real PDFs (the 7 shared papers in the session index) through the real app; the path rules against real files in a
temporary folder, with ``_MetaOnly`` (named as such) standing in for an index that only answers source_meta."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rag_service import reader
from rag_service.api.main import create_app
from rag_service.app import build_services
from rag_service.index.store import HybridIndex
from tests.conftest import PAPERS, make_settings

LORA = "2106.09685"


@pytest.fixture(scope="module")
def client(full_index: HybridIndex) -> Iterator[TestClient]:
    settings = full_index.settings.model_copy(update={"llm": "extractive"})
    with TestClient(create_app(settings, build_services(settings, index=full_index)), base_url="http://127.0.0.1") as c:
        yield c


def test_the_pdf_a_page_and_a_quote_marked_on_it(client: TestClient) -> None:
    pdf = client.get(f"/v1/papers/{LORA}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == (PAPERS / f"{LORA}v2.pdf").read_bytes()  # the bytes the index was built from
    png = client.get(f"/v1/papers/{LORA}/pages/6.png", params={"width": 600})
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    quote = "The number of trainable parameters is |Θ| = d_model × (l_p + l_i)"  # as the index now holds it
    marked = client.get(f"/v1/papers/{LORA}/pages/6/highlight", params={"q": quote}).json()
    assert marked["pages"] == 26 and marked["found"] == 1.0 and marked["boxes"]
    assert all(0 <= b["x0"] < b["x1"] <= 1 and 0 <= b["y0"] < b["y1"] <= 1 for b in marked["boxes"])
    # page 1 says "the number of trainable parameters" too: half a quote in a common phrase is not the quote
    elsewhere = client.get(f"/v1/papers/{LORA}/pages/1/highlight", params={"q": quote}).json()
    assert elsewhere["boxes"] == [] and elsewhere["found"] == 0


def test_papers_need_the_api_key_when_one_is_set(full_index: HybridIndex) -> None:
    settings = full_index.settings.model_copy(update={"llm": "extractive", "api_key": "s3cret"})
    with TestClient(create_app(settings, build_services(settings, index=full_index)), base_url="http://127.0.0.1") as c:
        assert c.get(f"/v1/papers/{LORA}/pdf").status_code == 401
        assert c.get(f"/v1/papers/{LORA}/pages/6.png").status_code == 401
        shown = c.get(f"/v1/papers/{LORA}/pages/6.png", headers={"Authorization": "Bearer s3cret"})
        assert shown.status_code == 200 and shown.headers["x-page-count"] == "26"
        assert c.get(f"/papers/{LORA}?page=6").status_code == 200  # the page itself holds no paper data


def test_unknown_paper_or_page_is_a_clear_404(client: TestClient) -> None:
    missing = client.get("/v1/papers/9999.99999/pdf")
    assert missing.status_code == 404 and missing.json()["error"] == "paper_not_found"
    far = client.get(f"/v1/papers/{LORA}/pages/99.png")
    assert far.status_code == 404 and "26 pages" in far.json()["detail"]
    assert client.get(f"/v1/papers/{LORA}/pages/0/highlight", params={"q": "x"}).status_code == 404


def test_citations_of_papers_carry_the_reader_link_with_the_quote(client: TestClient) -> None:
    body = client.post(
        "/v1/chat", json={"message": "Which weight matrices should LoRA be applied to?", "filters": {"type": "paper"}}
    ).json()
    papers = [c for c in body["citations"] if c["source"]["type"] == "paper"]
    assert papers and all(
        c["source"]["local_url"].startswith("/papers/") and "&hl=" in c["source"]["local_url"] for c in papers
    )
    assert all(c["source"]["url"].startswith(("https://", "file://")) for c in papers)  # the external link stays
    wire = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "Which weight matrices should LoRA be applied to?"}]},
    ).json()
    assert "local reader: http://127.0.0.1/papers/" in wire["choices"][0]["message"]["content"]


class _MetaOnly:
    """Stands in for an index: only source_meta, the one thing pdf_path reads."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.meta = meta

    def source_meta(self, key: str) -> dict[str, Any] | None:
        return self.meta if key == "paper:x" else None


def test_only_the_indexed_bytes_inside_their_folder_are_served(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    root = tmp_path / "pdfs"
    root.mkdir()
    pdf = root / "a.pdf"
    shutil.copy(PAPERS / f"{LORA}v2.pdf", pdf)
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    index: Any = _MetaOnly({"file": str(pdf), "root": str(root), "sha256": digest})
    assert reader.pdf_path(index, settings, "x") == pdf.resolve()
    # a file recorded outside its folder is not served, though it exists and holds the indexed bytes
    elsewhere = tmp_path / "elsewhere.pdf"
    shutil.copy(pdf, elsewhere)
    outside: Any = _MetaOnly({"file": str(root / ".." / "elsewhere.pdf"), "root": str(root), "sha256": digest})
    with pytest.raises(reader.PaperNotFoundError, match="no longer"):
        reader.pdf_path(outside, settings, "x")
    (root / "link.pdf").symlink_to(elsewhere)  # nor through a link inside the folder pointing out of it
    linked: Any = _MetaOnly({"file": str(root / "link.pdf"), "root": str(root), "sha256": digest})
    with pytest.raises(reader.PaperNotFoundError, match="no longer"):
        reader.pdf_path(linked, settings, "x")
    # the file changed since ingest: not what the index quotes
    pdf.write_bytes(pdf.read_bytes() + b"\n%%")
    with pytest.raises(reader.PaperNotFoundError, match="changed since"):
        reader.pdf_path(index, settings, "x")
    with pytest.raises(reader.PaperNotFoundError, match="not in the index"):
        reader.pdf_path(index, settings, "y")


def _page(*lines: str) -> reader.Page:
    """A page of the given lines, 20 points apart, 8 points a letter (its crop box: 600 x 800 points)."""
    words = []
    for i, line in enumerate(lines):
        x = 10.0
        for w in line.split():
            words.append(reader.Word(w, x, 700 - 20 * i, x + 8 * len(w), 710 - 20 * i))
            x += 8 * len(w) + 4
    return reader.Page(0, 0, 600, 800, tuple(words))


def test_a_quote_is_located_across_lines_and_hyphens_and_split_at_a_page_break() -> None:
    page = _page("we find that adapting only the query and", "value projections works best, see Ta-", "ble 5 here")
    words, found = reader.locate(page, "adapting only the query and value projections works best")
    assert found == 1.0 and [w.text for w in words][0] == "adapting" and words[-1].text == "best,"
    assert len(reader.boxes(page, words)) == 2  # one box per line
    assert reader.locate(page, "the recipe for sourdough bread with a starter") == ([], 0.0)
    # a quote whose start ends this page is marked here; its end opens the next
    end_of_page = _page("some text before the quote", "and here the quoted sentence begins")
    words, found = reader.locate(end_of_page, "the quoted sentence begins on one page and ends on the next one")
    assert words and 0 < found < 0.5
    start_of_page = _page("on the next one. Then other text follows", "for a while")
    words, found = reader.locate(start_of_page, "the quoted sentence begins on one page and ends on the next one")
    assert [w.text for w in words] == ["on", "the", "next", "one."] and 0 < found < 0.5
