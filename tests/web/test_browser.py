"""The reader in a real browser: Debian's Chromium driven by Playwright (never a download)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from newsstand.sources.models import Section

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (make browser, or apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def _chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright. Its event loop holds the calling thread while
    open, so the ORM (which refuses to run beside an event loop) must be done first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_front_page_and_article_in_chromium(live_server: Any, make_publisher, make_article) -> None:
    _require_chromium()
    section, _ = Section.objects.get_or_create(slug="science", defaults={"name": "Science"})
    publisher = make_publisher(name="Loopback Science Weekly")
    article = make_article(
        publisher=publisher,
        section=section,
        title="Comet seen from the harbour",
        authors=["Rosa Field"],
        content="<p>The comet was <strong>bright</strong> all night.</p>",
        url="https://science.example/comet",
    )
    article_path = f"/article/{article.id}/"

    with _chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + "/")
        assert page.locator("a.site-name").inner_text() == "Newsstand"
        assert page.locator("#section-science").inner_text() == "Science"
        page.get_by_role("link", name="Comet seen from the harbour").first.click()

        page.wait_for_url(f"**{article_path}")
        assert page.locator("h1").inner_text() == "Comet seen from the harbour"
        assert page.locator(".body").inner_text() == "The comet was bright all night."
        assert "By Rosa Field" in page.locator(".meta").inner_text()
        original = page.get_by_role("link", name="Read the original at Loopback Science Weekly")
        assert original.is_visible()
        assert original.get_attribute("href") == "https://science.example/comet"
        # The stylesheet loaded under the page's own policy: the reading column is bounded.
        width = page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")
        assert width != "none"
