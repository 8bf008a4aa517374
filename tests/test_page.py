"""The chat page in a real browser: Debian's chromium driven by Playwright against the live server (real index).

Screenshots go to test-artifacts/page/ (CI keeps them). Skipped, with the reason, when chromium is not installed:
`.ci/run` installs it (apt) so CI always runs this.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rag_service.index.store import HybridIndex
from tests.helpers import serve_app

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "page"
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt install chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _ask(page, question: str) -> object:  # type: ignore[no-untyped-def]
    turns = page.locator("article.turn")
    before = turns.count()
    page.get_by_label("Your question").fill(question)
    page.keyboard.press("Enter")
    turn = turns.nth(before)
    expect(turn).to_have_attribute("data-done", "true", timeout=60_000)
    return turn


def test_ask_see_sources_then_answer_open_a_chip_follow_up_filter_and_sources_view(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    bodies: list[dict] = []
    page.on("request", lambda r: bodies.append(json.loads(r.post_data)) if r.url.endswith("/v1/chat") else None)
    page.goto(live_server)
    turn = _ask(page, "What are my DPO training tips?")
    # sources, then the first quoted line, arrived before the first token; the checked answer replaced the line
    sources_ms, quote_ms, token_ms = (
        float(turn.get_attribute("data-sources-ms")),
        float(turn.get_attribute("data-quote-ms")),
        float(turn.get_attribute("data-first-token-ms")),
    )
    assert sources_ms <= quote_ms <= token_ms
    assert turn.locator(".first-quote").count() == 0
    assert turn.locator(".passages li").count() >= 1
    assert "DPO training" in turn.locator(".passages").first.inner_text()
    # an inline [n] is a chip: focus shows the quote and where it comes from; the link is the deep link
    chip = turn.locator(".answer a.chip").first
    chip.focus()
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert "DPO training" in tip.locator(".where").inner_text() and len(tip.locator(".quote").inner_text()) > 20
    assert chip.get_attribute("href").endswith("#dpo-training")
    page.screenshot(path=str(ARTIFACTS / "answer-with-chip.png"))
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    # a follow-up carries the conversation
    follow = _ask(page, "and what about beta?")
    assert bodies[-1]["history"][0]["content"] == "What are my DPO training tips?"
    assert "beta" in follow.locator(".answer").inner_text().lower()
    # the filter: papers only
    page.get_by_label("Papers", exact=True).check()
    papers = _ask(page, "Which weight matrices should LoRA be applied to?")
    assert bodies[-1]["filters"] == {"type": "paper"}
    labels = papers.locator(".passages li").all_inner_texts()
    assert labels and all("(p" in t for t in labels)  # papers are labelled with their pages
    # a refusal is marked and points to the closest sources
    page.get_by_label("Notes and papers").check()
    refused = _ask(page, "What is a good recipe for sourdough bread?")
    assert "refused" in (refused.get_attribute("class") or "")
    assert refused.locator(".badge").is_visible() and refused.locator(".passages").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "conversation.png"), full_page=True)
    # the sources view: notes, papers and the link graph, reached by keyboard
    page.get_by_role("tab", name="Chat").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("tab", name="Sources").get_attribute("aria-selected") == "true"
    rows = page.locator("#sources-table tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 10
    assert "cites" in page.locator("tr[data-key='contents.md'] td.links").inner_text()
    assert "cited by" in page.locator("tr[data-key^='paper:']").first.locator("td.links").inner_text()
    assert page.locator("tr[data-key^='paper:'] td a").first.get_attribute("href").startswith("/papers/")
    page.screenshot(path=str(ARTIFACTS / "sources-view.png"), full_page=True)
    page.close()


def test_phone_width_has_no_sideways_scroll(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(live_server)
    _ask(page, "What are my DPO training tips?")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    page.close()


def test_api_key_is_asked_once_and_kept_for_the_tab(browser, full_index: HybridIndex) -> None:  # type: ignore[no-untyped-def]
    settings = full_index.settings.model_copy(update={"llm": "extractive", "api_key": "s3cret"})
    with serve_app(settings, full_index) as url:
        page = browser.new_page()
        page.goto(url)
        page.get_by_label("Your question").fill("What are my DPO training tips?")
        page.keyboard.press("Enter")
        dialog = page.locator("#key-dialog")
        dialog.wait_for(state="visible")
        page.get_by_label("Key", exact=True).fill("s3cret")
        page.get_by_role("button", name="Save").click()
        page.locator("article.turn[data-done=true]").wait_for(timeout=60_000)
        assert page.evaluate("sessionStorage.getItem('notes-rag-api-key')") == "s3cret"
        _ask(page, "and what about beta?")  # no second prompt
        assert not dialog.is_visible()
        page.close()


def test_a_paper_citation_opens_the_local_reader_with_the_quote_marked(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    page.goto(live_server)
    page.get_by_label("Papers", exact=True).check()
    turn = _ask(page, "Which weight matrices should LoRA be applied to?")
    chip = turn.locator(".answer a.chip").first
    href = chip.get_attribute("href")
    assert href.startswith("/papers/") and "page=" in href and "hl=" in href
    # every "Sources found" entry of a paper opens the reader too; the publisher's link stays beside it
    assert all(
        a.get_attribute("href").startswith("/papers/") for a in turn.locator(".passages li > a:first-child").all()
    )
    with context.expect_page() as opened:
        chip.click()
    reader = opened.value
    reader.locator("body[data-ready=true]").wait_for(timeout=30_000)
    marks = reader.locator(".mark")
    assert marks.count() >= 1, reader.locator("#status").inner_text()
    figure = marks.first.locator("xpath=..")
    found = float(figure.get_attribute("data-found"))
    assert found >= 0.8  # most of the quoted words are inside the marked boxes on the page they are on
    box, page_box = marks.first.bounding_box(), figure.locator("img").bounding_box()
    assert page_box["x"] <= box["x"] < box["x"] + box["width"] <= page_box["x"] + page_box["width"]
    assert "marked" in reader.locator("#status").inner_text()
    reader.screenshot(path=str(ARTIFACTS / "reader-quote-marked.png"))
    # nothing left this machine: the page, its image and the highlight all came from the local server
    assert requested and all(u.startswith(live_server) or u.startswith("blob:") for u in requested)
    context.close()
