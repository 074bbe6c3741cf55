"""Every kind of reader page, in Debian's Chromium, checked by axe-core (no violation at
any level, light and dark, desk and phone), and used from the keyboard alone."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image

from browser import chromium, require_chromium
from net.servers import Origin, Reply
from newsstand.articles.models import Article
from newsstand.articles.pictures import register_pictures
from newsstand.configuration import build_picture_config
from newsstand.usecases.pictures import fetch_pending_pictures
from newsstand.usecases.stories import assign_stories
from web.axe import axe_violations, require_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Pages drawn by other parts of the site, checked once they exist (search, accounts).
OTHER_PAGES = ["search", "account_login", "account_signup"]


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 90, 140)).save(out, "JPEG")
    return out.getvalue()


def _with_picture(article: Article) -> None:
    """Give the article a lead picture fetched by the images task from a local origin."""
    with Origin("127.0.0.1") as origin:
        origin.route("/photo.jpg", Reply(200, _photo(), {"Content-Type": "image/jpeg"}))
        url = origin.url("/photo.jpg")
        Article.objects.filter(pk=article.pk).update(image=url)
        config = build_picture_config()
        from dataclasses import replace

        from newsstand.core.addresses import parse_networks

        policy = replace(config.policy, allow_networks=parse_networks(["127.0.0.1/32"]))
        register_pictures([url], now=timezone.now())
        fetch_pending_pictures(replace(config, policy=policy), now=timezone.now())


@pytest.fixture
def site_pages(stories, make_article, django_user_model) -> dict[str, str]:
    ios = stories["ios"]
    lead = ios.headline_article
    assert lead is not None
    _with_picture(lead)
    archive = make_article(
        section="world",
        title="Tsunami toll passes 80,000",
        content="<p>The death toll rose again.</p>" * 5,
        language="en",
    )
    old = timezone.now().replace(year=2005, month=1, day=2)
    Article.objects.filter(pk=archive.pk).update(published_at=old)
    assign_stories([archive.pk], now=timezone.now())
    pages = {
        "front": "/",
        "section": "/section/technology/",
        "story": f"/story/{ios.pk}/",
        "article": f"/article/{lead.pk}/",
        "archive article": f"/article/{archive.pk}/",
        "publisher": f"/publisher/{lead.publisher_id}/",
        "top stories": "/top/",
        "not found": "/no/such/page/",
        "offline": "/offline/",
    }
    for name in OTHER_PAGES:
        try:
            pages[name] = reverse(name)
        except NoReverseMatch:
            continue
    return pages


def _check(browser: Any, base: str, pages: dict[str, str], scheme: str) -> dict[str, Any]:
    script = require_axe()
    found = {}
    for label, viewport in VIEWPORTS.items():
        # CSP bypassed for axe-core's own script only; the pages are as served.
        context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(base + path)
            violations = axe_violations(page, script)
            if violations:
                found[f"{name} ({label}, {scheme})"] = violations
        context.close()
    return found


@pytest.mark.timeout(900)
def test_every_page_kind_passes_axe_in_light_and_dark(live_server: Any, site_pages) -> None:
    require_chromium()
    require_axe()
    with chromium() as browser:
        found = {
            **_check(browser, live_server.url, site_pages, "light"),
            **_check(browser, live_server.url, site_pages, "dark"),
        }
    assert found == {}, json.dumps(found, indent=1)
    assert {"front", "section", "story", "article"} <= set(site_pages)


def test_the_reader_works_from_the_keyboard(live_server: Any, stories) -> None:
    require_chromium()
    with chromium() as browser:
        page = browser.new_page(viewport=VIEWPORTS["desk"])
        page.goto(live_server.url + "/")
        # The first Tab lands on the skip link, which takes focus to the main content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.evaluate("getComputedStyle(document.activeElement).top") != "-48px"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # j and k walk the stories, each shown with a visible focus ring; o opens one.
        headlines = page.locator("main .item a.headline")
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.textContent") == headlines.nth(0).inner_text()
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.textContent") == headlines.nth(1).inner_text()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("k")
        first = headlines.nth(0)
        assert page.evaluate("document.activeElement.textContent") == first.inner_text()
        target = first.get_attribute("href")
        page.keyboard.press("o")
        page.wait_for_url(f"**{target}")
        # ? shows the shortcuts; Escape closes them.
        page.keyboard.press("?")
        assert page.locator("#shortcuts").is_visible()
        page.keyboard.press("Escape")
        assert not page.locator("#shortcuts").is_visible()


def test_the_service_worker_serves_the_offline_page(live_server: Any, make_article) -> None:
    require_chromium()
    make_article(section="world", title="Read before the network went")
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now under the worker's control: the front page is kept
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        page.goto(live_server.url + "/")
        assert "Read before the network went" in page.content()
        page.goto(live_server.url + "/section/never-read/")
        assert "You are offline" in page.content()
        context.close()
