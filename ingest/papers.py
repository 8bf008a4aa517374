"""Getting paper PDFs: the cache under the data dir, a local --papers-dir, or a polite HTTP download."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from rag_service.settings import PapersSettings, cache_name

PDF_MAGIC = b"%PDF"
_ARXIV_FILE = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")


class FetchError(RuntimeError):
    """A download that failed; the message gives the reason (status, timeout, not a PDF, too large...)."""


@dataclass
class Resolved:
    paper_id: str
    path: Path | None
    status: str  # cached | papers-dir | fetched | failed | unavailable | file
    reason: str | None = None


def arxiv_id_of(path: Path) -> str | None:
    """The arXiv id a PDF's file name gives (``1706.03762v7.pdf`` -> ``1706.03762``), if any."""
    m = _ARXIV_FILE.match(path.stem)
    return m.group(1) if m else None


def scan_papers_dir(folder: Path) -> dict[str, Path]:
    """Canonical id -> PDF for files named by arXiv id (``1706.03762v7.pdf``) or by cache name; the highest
    version wins when several are present."""
    found: dict[str, tuple[int, Path]] = {}
    for pdf in sorted(folder.glob("*.pdf")):
        m = _ARXIV_FILE.match(pdf.stem)
        if m:
            pid, version = m.group(1), int((m.group(2) or "v0")[1:])
        else:
            pid, version = pdf.stem, 0
        if pid not in found or version > found[pid][0]:
            found[pid] = (version, pdf)
    return {pid: p for pid, (_, p) in found.items()}


def pdf_url(paper_id: str, link_url: str, settings: PapersSettings) -> str:
    """Where to download a paper: arXiv ids through the (configurable) arXiv template, others as linked."""
    if _ARXIV_FILE.match(paper_id) or "/" in paper_id and not paper_id.startswith(("pdf:", "openreview:")):
        return settings.arxiv_pdf_url.format(id=paper_id)
    return link_url


def download(url: str, dest: Path, settings: PapersSettings, client: httpx.Client) -> None:
    """Download ``url`` to ``dest`` atomically, with retries and backoff on timeouts, connection errors and 5xx.
    Refuses bodies over the size cap and bodies that are not PDFs (an HTML error page served with 200)."""
    delay = settings.backoff
    for attempt in range(settings.retries + 1):
        try:
            _download_once(url, dest, settings, client)
            return
        except _Retryable as e:
            if attempt == settings.retries:
                raise FetchError(f"{e} (after {attempt + 1} attempts)") from e
            time.sleep(delay)
            delay *= 2


class _Retryable(FetchError):
    pass


class OfflineError(FetchError):
    """The host name does not resolve: no network here, so retrying is pointless."""


def _download_once(url: str, dest: Path, settings: PapersSettings, client: httpx.Client) -> None:
    tmp = dest.with_suffix(".part")
    try:
        with client.stream("GET", url) as resp:
            if resp.status_code >= 500 or resp.status_code == 429:
                raise _Retryable(f"HTTP {resp.status_code} from {url}")
            if resp.status_code != 200:
                raise FetchError(f"HTTP {resp.status_code} from {url}")
            declared = int(resp.headers.get("content-length") or 0)
            if declared > settings.max_bytes:
                raise FetchError(f"{url}: {declared} bytes is over the {settings.max_bytes}-byte cap")
            size = 0
            with tmp.open("wb") as out:
                for i, block in enumerate(resp.iter_bytes(65536)):
                    if i == 0 and not block.startswith(PDF_MAGIC):
                        kind = resp.headers.get("content-type", "?")
                        raise FetchError(f"{url}: not a PDF (content-type {kind}, body starts {block[:15]!r})")
                    size += len(block)
                    if size > settings.max_bytes:
                        raise FetchError(f"{url}: body over the {settings.max_bytes}-byte cap")
                    out.write(block)
            if size == 0:
                raise FetchError(f"{url}: empty body")
        tmp.replace(dest)
    except httpx.TimeoutException as e:
        raise _Retryable(f"timeout fetching {url} ({type(e).__name__})") from e
    except httpx.ConnectError as e:
        if any(s in str(e) for s in ("resolution", "not known", "No address", "nodename")):
            raise OfflineError(f"no network: cannot resolve the host of {url}") from e
        raise _Retryable(f"network error fetching {url} ({type(e).__name__}: {e})") from e
    except httpx.TransportError as e:
        raise _Retryable(f"network error fetching {url} ({type(e).__name__}: {e})") from e
    finally:
        tmp.unlink(missing_ok=True)


def resolve_papers(
    wanted: dict[str, str],
    cache: Path,
    settings: PapersSettings,
    *,
    papers_dir: Path | None,
    fetch: bool,
) -> list[Resolved]:
    """Find a local PDF for every wanted paper (id -> link URL): cache first, then papers-dir (copied into the
    cache), then a download when ``fetch``; otherwise the paper is reported unavailable."""
    cache.mkdir(parents=True, exist_ok=True)
    local = scan_papers_dir(papers_dir) if papers_dir else {}
    results: dict[str, Resolved] = {}
    to_fetch: list[str] = []
    for pid in wanted:
        cached = cache / cache_name(pid)
        if pid in local:
            src = local[pid]
            if not cached.exists() or cached.read_bytes() != src.read_bytes():
                cached.write_bytes(src.read_bytes())
            results[pid] = Resolved(pid, cached, "papers-dir")
        elif cached.exists():
            results[pid] = Resolved(pid, cached, "cached")
        elif fetch:
            to_fetch.append(pid)
        else:
            results[pid] = Resolved(pid, None, "unavailable", "not cached and fetching is off (--no-fetch)")
    if to_fetch:
        timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
        headers = {"User-Agent": settings.user_agent, "Accept": "application/pdf"}
        with httpx.Client(timeout=timeout, headers=headers, follow_redirects=True) as client:
            offline = threading.Event()  # once a host name fails to resolve, don't try the other papers

            def one(pid: str) -> Resolved:
                dest = cache / cache_name(pid)
                if offline.is_set():
                    return Resolved(pid, None, "unavailable", "no network (host names do not resolve)")
                try:
                    download(pdf_url(pid, wanted[pid], settings), dest, settings, client)
                    return Resolved(pid, dest, "fetched")
                except OfflineError as e:
                    offline.set()
                    return Resolved(pid, None, "unavailable", str(e))
                except FetchError as e:
                    return Resolved(pid, None, "failed", str(e))

            with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
                for res in pool.map(one, to_fetch):
                    results[res.paper_id] = res
    return [results[pid] for pid in wanted]
