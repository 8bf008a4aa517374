"""Fetching against a real HTTP server on 127.0.0.1, parsing the 7 shared PDFs, bad PDFs, paper search."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from ingest.chunk_papers import chunk_paper
from ingest.paper_structure import PdfError, read_pdf
from ingest.papers import FetchError, download, resolve_papers, scan_papers_dir
from ingest.pdf import join_lines
from ingest.pipeline import run
from rag_service.index.embedder import Embedder
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import HybridRetriever
from rag_service.settings import PapersSettings, cache_name
from tests.conftest import PAPERS, make_settings

PAGES = {
    "1701.06538": 19,
    "1706.03762": 15,
    "2101.03961": 40,
    "2106.09685": 26,
    "2203.02155": 68,
    "2210.03629": 33,
    "2305.18290": 27,
}


class _Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        name = self.path.strip("/")
        if name == "html.pdf":
            self._send(200, b"<html><body>Please solve this captcha</body></html>", "text/html")
        elif name == "slow.pdf":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            time.sleep(3)
        elif name == "flaky.pdf" and _Handler.hits[self.path] == 1:
            self._send(503, b"busy", "text/plain")
        elif name in ("big.pdf", "flaky.pdf"):
            self._send(200, (PAPERS / "1706.03762v7.pdf").read_bytes(), "application/pdf")
        else:
            matches = sorted(PAPERS.glob(f"{name}*.pdf"))
            if matches:
                self._send(200, matches[-1].read_bytes(), "application/pdf")
            else:
                self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _settings(base: str, **kw: object) -> PapersSettings:
    return PapersSettings(
        arxiv_pdf_url=base + "/{id}", read_timeout=1.0, connect_timeout=1.0, retries=1, backoff=0.05, **kw
    )  # type: ignore[arg-type]


def test_fetch_success_then_cache(server: str, tmp_path: Path) -> None:
    wanted = {
        "1706.03762": "https://arxiv.org/abs/1706.03762",
        "2305.18290": "https://arxiv.org/pdf/2305.18290",
    }
    first = resolve_papers(wanted, tmp_path, _settings(server), papers_dir=None, fetch=True)
    assert [r.status for r in first] == ["fetched", "fetched"]
    assert (tmp_path / cache_name("1706.03762")).read_bytes()[:4] == b"%PDF"
    again = resolve_papers(wanted, tmp_path, _settings(server), papers_dir=None, fetch=True)
    assert [r.status for r in again] == ["cached", "cached"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing-paper.pdf", "HTTP 404"),
        ("html.pdf", "not a PDF"),
        ("slow.pdf", "timeout"),
        ("big.pdf", "cap"),
    ],
)
def test_fetch_failures_are_clear(server: str, tmp_path: Path, name: str, message: str) -> None:
    settings = _settings(server, max_bytes=100_000)
    import httpx

    with httpx.Client(timeout=httpx.Timeout(1.0)) as client, pytest.raises(FetchError, match=message):
        download(f"{server}/{name}", tmp_path / "out.pdf", settings, client)
    assert not list(tmp_path.iterdir()), "a failed download leaves nothing in the cache"


def test_retry_after_503(server: str, tmp_path: Path) -> None:
    import httpx

    with httpx.Client() as client:
        download(f"{server}/flaky.pdf", tmp_path / "ok.pdf", _settings(server), client)
    assert (tmp_path / "ok.pdf").stat().st_size > 1000


def test_failures_in_resolve_are_reported_not_raised(server: str, tmp_path: Path) -> None:
    wanted = {"9999.99999": "https://arxiv.org/abs/9999.99999", "pdf:x-1": f"{server}/html.pdf"}
    res = resolve_papers(wanted, tmp_path, _settings(server), papers_dir=None, fetch=True)
    assert [r.status for r in res] == ["failed", "failed"]
    assert "404" in (res[0].reason or "") and "not a PDF" in (res[1].reason or "")
    off = resolve_papers(wanted, tmp_path, _settings(server), papers_dir=None, fetch=False)
    assert [r.status for r in off] == ["unavailable", "unavailable"]


def test_papers_dir_names() -> None:
    found = scan_papers_dir(PAPERS)
    assert set(found) == set(PAGES)
    assert found["1706.03762"].name == "1706.03762v7.pdf"


@pytest.mark.parametrize(("pid", "pages"), sorted(PAGES.items()))
def test_parse_shared_pdfs(pid: str, pages: int, embedder: Embedder) -> None:
    doc = read_pdf(scan_papers_dir(PAPERS)[pid])
    assert len(doc.pages) == pages
    assert doc.title and len(doc.title) > 10
    chunks = chunk_paper(pid, doc, doc.title, None, 128, 0, embedder.count_tokens)
    assert {c.source.page for c in chunks} <= set(range(1, pages + 1))
    assert all(len(embedder.model.tokenizer(c.index_text)["input_ids"]) <= embedder.max_seq_length for c in chunks)
    assert chunks[0].source.url == f"https://arxiv.org/pdf/{pid}#page=1"


def test_attention_title_and_known_sentence_page() -> None:
    doc = read_pdf(PAPERS / "1706.03762v7.pdf")
    assert doc.title == "Attention Is All You Need"
    assert [i for i, p in enumerate(doc.pages, 1) if "We call our particular attention" in p] == [4]
    switch = read_pdf(PAPERS / "2101.03961.pdf")
    assert "Efficient Sparsity" in (switch.title or "")  # ligature normalised
    # the running header "Fedus, Zoph and Shazeer" is dropped from every page
    assert not any(p.startswith("Fedus, Zoph and Shazeer") for p in switch.pages)


def test_line_end_hyphens_join_unless_the_document_hyphenates() -> None:
    from collections import Counter

    vocab = Counter({"transformer": 3, "english-to-german": 1, "english": 4})
    assert join_lines(["The trans-", "former model"], vocab) == "The transformer model"
    assert join_lines(["the English-", "to-German task"], vocab) == "the English-to-German task"
    assert join_lines(["a state-of-the-", "art model"], vocab) == "a state-of-the-art model"


def _pdf_bytes(writer: pypdf.PdfWriter) -> bytes:
    buf = BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_bad_pdfs_have_clear_errors(tmp_path: Path) -> None:
    src = pypdf.PdfReader(PAPERS / "1706.03762v7.pdf")
    enc = pypdf.PdfWriter()
    enc.add_page(src.pages[0])
    enc.encrypt(user_password="secret", owner_password="owner")
    (tmp_path / "enc.pdf").write_bytes(_pdf_bytes(enc))
    blank = pypdf.PdfWriter()
    blank.add_blank_page(612, 792)
    (tmp_path / "image-only.pdf").write_bytes(_pdf_bytes(blank))
    data = (PAPERS / "1706.03762v7.pdf").read_bytes()
    (tmp_path / "truncated.pdf").write_bytes(data[: len(data) // 50])
    with pytest.raises(PdfError, match="enc.pdf: encrypted"):
        read_pdf(tmp_path / "enc.pdf")
    with pytest.raises(PdfError, match="image-only.pdf: no extractable text"):
        read_pdf(tmp_path / "image-only.pdf")
    with pytest.raises(PdfError, match="truncated.pdf"):
        read_pdf(tmp_path / "truncated.pdf")


def test_bad_paper_is_reported_and_others_kept(tmp_path: Path, embedder: Embedder) -> None:
    notes, papers = tmp_path / "notes", tmp_path / "papers"
    notes.mkdir(), papers.mkdir()
    (notes / "n.md").write_text(
        "# MoE\n- [Outrageously large](https://arxiv.org/pdf/1701.06538.pdf)\n"
        "- [Attention](https://arxiv.org/abs/1706.03762)\n"
    )
    shutil.copy(PAPERS / "1701.06538v1.pdf", papers)
    (papers / "1706.03762.pdf").write_bytes(b"%PDF-1.4 truncated garbage")
    settings = make_settings(tmp_path / "data")
    index = HybridIndex(settings, embedder)
    report = run(settings, [notes], index=index, papers_dir=papers, fetch=False)
    status = {p.paper_id: p.status for p in report.papers}
    assert status == {"1701.06538": "papers-dir", "1706.03762": "failed"}
    reason = next(p.reason for p in report.papers if p.status == "failed") or ""
    assert reason.startswith("1706.03762") and ("truncated" in reason or "no extractable text" in reason)
    assert index.chunk_ids("paper:1701.06538")
    # unchanged PDF bytes -> not re-parsed; paper unlinked -> removed from both indexes
    again = run(settings, [notes], index=index, papers_dir=papers, fetch=False)
    assert again.chunks_added == 0
    (notes / "n.md").write_text("# MoE\nno links any more\n")
    (papers / "1701.06538v1.pdf").unlink()
    gone = run(settings, [notes], index=index, papers_dir=papers, fetch=False)
    assert any(s.key == "paper:1701.06538" and s.status == "removed" for s in gone.sources)
    assert not index.chunk_ids("paper:1701.06538")
    assert index.chunk_ids() == index.chroma_ids()
    index.close()


def test_moe_query_finds_the_moe_paper(full_index: HybridIndex) -> None:
    hits = (
        HybridRetriever(full_index, full_index.settings.retrieval)
        .retrieve("sparsely-gated mixture of experts noisy top-k gating", k=3)
        .hits
    )
    assert any(h.chunk.source.paper_id == "1701.06538" for h in hits)
    paper = next(h.chunk.source for h in hits if h.chunk.source.paper_id == "1701.06538")
    assert paper.url == f"https://arxiv.org/pdf/1701.06538#page={paper.page}"
