"""The demo's full-text publishers: bundled corpora, teaser feeds, article pages, and
Newsstand extracting them through its normal path (refresh, full text, store)."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from newsstand.core.addresses import parse_networks
from newsstand.core.extract import needs_full_text
from newsstand.core.normalise import normalise_entries
from newsstand.core.parse import parse_feed
from newsstand.core.sanitize import plain_text, text_of_clean_html
from newsstand.demo.articles import (
    first_sentence,
    load_article_sources,
    load_pages_folder,
    paragraphs_of,
)
from newsstand.demo.publisher_server import (
    DemoServerHandle,
    run_publisher_server_in_thread,
)
from newsstand.demo.timeline import DEFAULT_ARRIVAL
from newsstand.net.fetch import FetchPolicy

START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
AFTER_ALL = START + DEFAULT_ARRIVAL + timedelta(minutes=1)


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def get(url: str) -> tuple[int, str, bytes]:
    async def fetch() -> tuple[int, str, bytes]:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status, response.headers.get("Content-Type", ""), await response.read()

    return asyncio.run(fetch())


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServerHandle]:
    clock = Clock(START)
    handle = run_publisher_server_in_thread(now=clock, max_items=4)
    clock.moment = AFTER_ALL  # every article is out
    yield handle
    handle.stop()


def records(name: str) -> list[dict[str, Any]]:
    text = resources.files("newsstand.data").joinpath("demo", name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines()]


# --- the bundled corpora --------------------------------------------------------------


def test_bundled_corpora_carry_their_licence_and_attribution():
    wikinews, globalvoices = load_article_sources()
    assert (len(wikinews.articles), len(globalvoices.articles)) == (220, 196)
    for source in (wikinews, globalvoices):
        slugs = [a.slug for a in source.articles]
        assert len(set(slugs)) == len(slugs)
        dates = [a.date for a in source.articles]
        assert dates == sorted(dates)  # published in their original order
        for article in source.articles:
            assert article.licence and article.attribution, article.id
            assert article.licence_links, article.id
            assert article.paragraphs and article.teaser, article.id
    assert all(a.html for a in globalvoices.articles)
    assert not any("twitter-tweet" in a.html or "<script" in a.html for a in globalvoices.articles)
    assert {name for a in wikinews.articles for name, _ in a.licence_links} == {
        "Public domain",
        "CC BY 2.5",
        "CC BY 3.0",
    }
    assert [r["title"] for r in records("wikinews.jsonl")].count(
        "Internal emails expose Boeing-Air Force contract discussions"
    ) == 1


def test_teasers_are_first_sentences_and_long_blocks_become_paragraphs():
    text = "The co-founder of Apple Inc. Steve Jobs died. He was 56. Tributes came in."
    assert first_sentence(text) == "The co-founder of Apple Inc. Steve Jobs died."
    assert first_sentence("“We won.” The crowd cheered.") == "“We won.”"
    block = " ".join(
        f"Sentence number {n} says something about the markets today." for n in range(15)
    )
    assert len(paragraphs_of(block)) == 5
    assert paragraphs_of("One.\n\nTwo.") == ("One.", "Two.")


# --- feeds and pages over HTTP ----------------------------------------------------------


def feed_candidates(url: str):
    status, content_type, body = get(url)
    assert status == 200 and content_type.startswith("application/rss+xml")
    return normalise_entries(parse_feed(body, url=url), feed_url=url, now=AFTER_ALL)


def test_article_feeds_carry_teasers_rights_and_links_to_pages(server):
    wikinews, globalvoices = load_article_sources()
    urls = dict(zip(("wikinews", "globalvoices"), server.server.article_feed_urls, strict=True))
    for source in (wikinews, globalvoices):
        candidates = feed_candidates(urls[source.key])
        assert len(candidates) == 4  # max_items
        newest = source.articles[-1]
        first = candidates[0]
        assert first.title == newest.title
        assert first.url == f"{server.url}/articles/{source.key}/{newest.slug}.html"
        assert first.rights.startswith(newest.attribution)
        assert newest.licence in first.rights
        assert plain_text(first.summary_html) == newest.teaser
        assert needs_full_text(
            mode="auto", summary_html=first.summary_html, content_html=first.content_html
        )


def test_article_pages_show_the_article_with_its_attribution(server):
    wikinews, globalvoices = load_article_sources()
    for source in (wikinews, globalvoices):
        article = source.articles[-1]
        status, content_type, body = get(f"{server.url}/articles/{source.key}/{article.slug}.html")
        page = body.decode()
        assert status == 200 and content_type == "text/html; charset=utf-8"
        assert "<header>" in page and "More from" in page  # site chrome around the article
        assert article.attribution.split(",")[0] in page
        assert 'rel="license"' in page and article.licence_links[0][1] in page
        assert source.changes in page
    gv = globalvoices.articles[-1]
    status, _, body = get(f"{server.url}/articles/globalvoices/{gv.slug}.html")
    assert gv.html[:200] in body.decode()  # the original HTML


def test_pages_are_not_served_before_they_are_published():
    handle = run_publisher_server_in_thread(now=Clock(START), max_items=4)
    try:
        wikinews = load_article_sources()[0]
        first, last = wikinews.articles[0], wikinews.articles[-1]
        assert get(f"{handle.url}/articles/wikinews/{first.slug}.html")[0] == 200
        assert get(f"{handle.url}/articles/wikinews/{last.slug}.html")[0] == 404
        assert get(f"{handle.url}/articles/wikinews/no-such-article.html")[0] == 404
    finally:
        handle.stop()


def test_robots_txt_allows_the_articles(server):
    status, content_type, body = get(f"{server.url}/robots.txt")
    assert status == 200 and content_type.startswith("text/plain")
    assert b"Disallow: /private/" in body


def test_a_folder_of_saved_pages_becomes_a_publisher(tmp_path: Path):
    page = (
        '<html><head><meta charset="utf-8"><title>Saved page title</title>'
        '<meta name="description" content="The publisher\u2019s own teaser, in one sentence.">'
        "</head><body><p>Body text of the saved article, long enough to count.</p></body></html>"
    ).encode()
    (tmp_path / "first story.html").write_bytes(page)
    (tmp_path / "second.html.gz").write_bytes(gzip.compress(page.replace(b"Saved", b"Zipped")))
    (tmp_path / "notes.txt").write_text("not a page")
    source = load_pages_folder(tmp_path)
    assert [a.slug for a in source.articles] == ["first-story", "second"]
    assert source.articles[0].teaser == "The publisher\u2019s own teaser, in one sentence."
    clock = Clock(START)
    handle = run_publisher_server_in_thread(now=clock, articles=False, pages_dir=tmp_path)
    clock.moment = AFTER_ALL
    try:
        assert handle.server.article_feed_urls == (f"{handle.url}/feeds/pages.xml",)
        candidates = feed_candidates(f"{handle.url}/feeds/pages.xml")
        assert sorted(c.title for c in candidates) == ["Saved page title", "Zipped page title"]
        saved = next(c for c in candidates if c.title == "Saved page title")
        assert get(saved.url)[2] == page  # served exactly as saved
    finally:
        handle.stop()
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError):
        load_pages_folder(tmp_path / "empty")


# --- through Newsstand's normal path ---------------------------------------------------------


@pytest.mark.django_db
def test_newsstand_extracts_the_demo_articles_through_the_normal_path(server, enrichment):
    from newsstand.articles.models import Article, FullTextState
    from newsstand.usecases.fulltext import (
        FullTextConfig,
        RobotsCache,
        extract_pending,
        mark_for_full_text,
    )
    from newsstand.usecases.refresh import RefreshConfig, refresh_feeds
    from newsstand.usecases.subscribe import add_feed

    policy = FetchPolicy(allow_networks=parse_networks(["127.0.0.1/32"]), timeout=10.0)
    feeds = [add_feed(url)[0] for url in server.server.article_feed_urls]
    report = refresh_feeds(config=RefreshConfig(policy=policy, batch=10))
    assert report.new_articles == 8
    for feed in feeds:
        mark_for_full_text(feed, list(feed.articles.values_list("id", flat=True)))
    assert Article.objects.filter(full_text_state=FullTextState.PENDING).count() == 8
    ft = FullTextConfig(policy=policy, batch=20, per_host=20)
    report = extract_pending(config=ft, enrichment=enrichment, robots=RobotsCache())
    assert (report.extracted, report.failed, report.retrying) == (8, 0, 0)
    by_title = {a.title: a for a in Article.objects.all()}
    for source in load_article_sources():
        for article in source.articles[-4:]:
            stored = by_title[article.title]
            assert stored.full_text_state == FullTextState.DONE
            assert stored.summary and stored.word_count > len(article.teaser.split())
            middle = article.paragraphs[len(article.paragraphs) // 2]
            text = " ".join(text_of_clean_html(stored.content).split())
            assert " ".join(middle.split()[:8]) in text, article.id
            assert "Originally published" not in text  # the attribution footer is chrome
