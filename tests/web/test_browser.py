"""The reader in a real browser: Debian's Chromium driven by Playwright (never a download)."""

from __future__ import annotations

from typing import Any

import pytest

from browser import chromium, require_chromium
from newsstand.sources.models import Section

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_front_page_and_article_in_chromium(live_server: Any, make_publisher, make_article) -> None:
    require_chromium()
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

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + "/")
        assert page.locator("a.site-name").inner_text() == "Newsstand"
        assert page.locator("#section-science").inner_text() == "Science"
        page.get_by_role("link", name="Comet seen from the harbour").first.click()

        page.wait_for_url(f"**{article_path}")
        assert page.locator("h1").inner_text() == "Comet seen from the harbour"
        assert page.locator(".body").inner_text() == "The comet was bright all night."
        assert "By Rosa Field" in page.locator(".story .meta").first.inner_text()
        original = page.get_by_role("link", name="Read the original at Loopback Science Weekly")
        assert original.is_visible()
        assert original.get_attribute("href") == "https://science.example/comet"
        # The stylesheet loaded under the page's own policy: the reading column is bounded.
        width = page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")
        assert width != "none"


@pytest.mark.django_db(transaction=True)
def test_reading_view_fits_a_phone(live_server: Any, make_publisher, make_article) -> None:
    """A long article with a figure, a wide table and a long URL: nothing wider than the
    phone's screen, the caption under its picture, the standfirst and rights shown."""
    require_chromium()
    publisher = make_publisher(name="Phone Test Gazette")
    paragraphs = "".join(
        f"<p>Paragraph {n} of a long report on the harbour.</p>" for n in range(30)
    )
    article = make_article(
        publisher=publisher,
        title="A very long headline about the harbour, the comet and the night sky above it",
        summary="<p>What the comet meant for the fishing town.</p>",
        content=(
            f"<p>Intro with https://example.org/{'x' * 120} in it.</p>"
            '<figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1600" '
            'height="900" alt=""><figcaption>The harbour at dawn.</figcaption></figure>'
            f"<h2>What's new</h2>{paragraphs}"
            "<table><tr>" + "<td>wide cell of numbers</td>" * 12 + "</tr></table>"
        ),
        rights="Text: CC BY 2.5, Wikinews contributors",
        language="en",
        word_count=900,
    )

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(f"{live_server.url}/article/{article.id}/")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert (
            page.locator(".standfirst").inner_text() == "What the comet meant for the fishing town."
        )
        assert page.locator(".reading-time").inner_text() == "4 min read"
        assert page.locator(".rights").is_visible()
        picture = page.locator(".body figure img").bounding_box()
        caption = page.locator(".body figcaption").bounding_box()
        assert picture is not None and caption is not None
        assert picture["width"] <= 360
        assert caption["y"] >= picture["y"] + picture["height"]
