"""refresh_feeds end to end: a real local publisher, the real fetcher, a real database."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from newsstand.articles.models import Article, ArticleFeed
from newsstand.sources.models import FeedState
from newsstand.usecases.refresh import refresh_feeds
from newsstand.usecases.subscribe import add_feed

from .publisher import Route, rfc822, rss

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "title": f"Story {n}",
        "link": f"https://news.example/story-{n}?utm_source=rss",
        "guid": f"story-{n}",
        "description": f"<p>Body of story {n}</p>",
        "category": "World",
        "date": rfc822(2026, 3, 1, n),
    }
    for n in range(1, 6)
]


def subscribe(publisher, path, body, **route):
    publisher.routes[path] = Route(body, **route)
    feed, _ = add_feed(publisher.url(path))
    return feed


def test_first_refresh_stores_articles_and_the_validators(publisher, config):
    feed = subscribe(publisher, "/world.xml", rss("Example News", ITEMS))
    report = refresh_feeds(config=config)
    assert (report.feeds, report.updated, report.new_articles) == (1, 1, 5)
    feed.refresh_from_db()
    assert feed.etag and feed.state == FeedState.ACTIVE and feed.last_status == 200
    assert feed.next_fetch_at > timezone.now()
    article = Article.objects.get(guid="story-3")
    assert article.url == "https://news.example/story-3"  # tracking parameter removed
    assert article.title == "Story 3"
    assert article.section.slug == "world"
    assert feed.publisher.name == "Example News"  # learnt from the feed


def test_second_refresh_is_conditional_and_stores_nothing_twice(publisher, config):
    feed = subscribe(publisher, "/world.xml", rss("Example News", ITEMS))
    refresh_feeds(config=config)
    report = refresh_feeds([feed.pk], config=config)
    assert (report.not_modified, report.new_articles) == (1, 0)
    assert publisher.conditional_hits["/world.xml"] == 1
    assert Article.objects.count() == 5


def test_changed_feed_adds_only_the_new_entries(publisher, config):
    feed = subscribe(publisher, "/world.xml", rss("Example News", ITEMS[:3]))
    refresh_feeds(config=config)
    publisher.routes["/world.xml"] = Route(rss("Example News", ITEMS))
    report = refresh_feeds([feed.pk], config=config)
    assert report.new_articles == 2
    assert Article.objects.count() == 5


def test_same_article_in_two_feeds_of_a_publisher_is_stored_once(publisher, config):
    world = subscribe(publisher, "/world.xml", rss("Example News", ITEMS[:3]))
    top = subscribe(publisher, "/top.xml", rss("Example News", ITEMS[1:4]))
    assert world.publisher_id == top.publisher_id
    refresh_feeds(config=config)
    assert Article.objects.count() == 4
    shared = Article.objects.get(guid="story-2")
    assert set(shared.feeds.values_list("pk", flat=True)) == {world.pk, top.pk}


def test_article_resent_with_a_new_guid_is_the_same_article(publisher, config):
    feed = subscribe(publisher, "/world.xml", rss("Example News", ITEMS[:1]))
    refresh_feeds(config=config)
    resent = dict(ITEMS[0], guid="story-1-v2")
    publisher.routes["/world.xml"] = Route(rss("Example News", [resent]))
    refresh_feeds([feed.pk], config=config)
    assert Article.objects.count() == 1


def test_a_broken_feed_fails_alone(publisher, config):
    good = subscribe(publisher, "/good.xml", rss("Good", ITEMS))
    html = subscribe(
        publisher,
        "/page.html",
        b"<html><body><p>Hello</p></body></html>",
        content_type="text/html",
    )
    not_xml = subscribe(publisher, "/binary.xml", bytes(range(256)) * 4)
    server_error = subscribe(publisher, "/500.xml", b"oops", status=500)
    report = refresh_feeds(config=config)
    assert report.updated == 1 and report.failed == 3
    assert Article.objects.filter(feeds=good).count() == 5
    for feed in (html, not_xml, server_error):
        feed.refresh_from_db()
        assert feed.state == FeedState.FAILING
        assert feed.last_error_code and feed.last_error
        assert feed.error_streak == 1
        assert feed.next_fetch_at > timezone.now()
        assert not feed.etag
    server_error.refresh_from_db()
    assert (server_error.last_status, server_error.last_error_code) == (500, "http_status")


def test_gone_feed_is_not_fetched_again(publisher, config):
    feed = subscribe(publisher, "/gone.xml", b"", status=410)
    refresh_feeds(config=config)
    feed.refresh_from_db()
    assert feed.state == FeedState.GONE
    later = timezone.now() + timedelta(days=30)
    assert refresh_feeds(config=config, now=later).feeds == 0
    assert publisher.hits["/gone.xml"] == 1


def test_retry_after_is_honoured(publisher, config):
    feed = subscribe(publisher, "/busy.xml", b"", status=503, headers={"Retry-After": "7200"})
    before = timezone.now()
    refresh_feeds(config=config)
    feed.refresh_from_db()
    assert feed.last_error_code == "rate_limited"
    assert feed.next_fetch_at >= before + timedelta(seconds=7200)


def test_internal_address_is_blocked_and_never_contacted(publisher, config):
    feed, _ = add_feed("http://127.0.0.2:9/feed.xml")
    good = subscribe(publisher, "/good.xml", rss("Good", ITEMS))
    report = refresh_feeds(config=config)
    feed.refresh_from_db()
    assert feed.last_error_code == "blocked_address"
    assert report.errors["blocked_address"] == 1
    assert Article.objects.filter(feeds=good).count() == 5


def test_hostile_urls_never_reach_the_database(publisher, config):
    items = [
        {
            "title": "Click me",
            "link": "javascript:alert(document.cookie)",
            "guid": "x1",
            "description": '<a href="javascript:alert(1)">a</a><img src="data:text/html,x">'
            "<script>alert(1)</script><p onclick='x()'>text</p>",
        }
    ]
    subscribe(publisher, "/x.xml", rss("X", items))
    refresh_feeds(config=config)
    article = Article.objects.get()
    assert article.url == ""
    for value in (article.summary, article.content):
        assert "javascript:" not in value and "<script" not in value
        assert "onclick" not in value and "data:text/html" not in value


def _inserts_articles(sql, params, many, *, mentioning=""):
    """Whether a statement inserts articles (one of whose values contains ``mentioning``)."""
    if not sql.startswith('INSERT INTO "articles_article"'):
        return False
    values = [v for row in params for v in row] if many else params
    return any(mentioning in str(v) for v in values)


def test_a_failed_transaction_loses_and_duplicates_nothing(publisher, config):
    """The database fails while storing one feed: that feed keeps its old validators and is
    fetched in full next time; the other feed of the run is stored; nothing is doubled."""
    first = subscribe(publisher, "/a.xml", rss("A", ITEMS[:3], link="https://a.example/"))
    second = subscribe(publisher, "/b.xml", rss("B", ITEMS[3:], link="https://b.example/"))

    def fail_the_first_feeds_inserts(execute, sql, params, many, context):
        if _inserts_articles(sql, params, many, mentioning="story-1"):  # feed A's
            raise RuntimeError("disk full (injected)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_the_first_feeds_inserts):
        report = refresh_feeds(config=config)
    assert (report.updated, report.failed) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.etag == "" and first.last_error_code == "internal"
    assert first.state == FeedState.FAILING and second.state == FeedState.ACTIVE
    assert second.error_streak == 0 and first.error_streak == 1
    assert Article.objects.count() == 2  # only the second feed's articles
    report = refresh_feeds([first.pk, second.pk], config=config)
    assert Article.objects.count() == 5
    assert ArticleFeed.objects.count() == 5
    assert report.not_modified == 1 and report.new_articles == 3


def _items(prefix):
    """ITEMS as another feed's own articles (their ids, links and texts differ)."""
    return [
        dict(item, guid=f"{prefix}-{item['guid']}", title=f"{prefix} {item['title']}",
             link=item["link"].replace("story-", f"{prefix}-story-"))
        for item in ITEMS
    ]  # fmt: skip


def test_a_failure_in_the_shared_transaction_is_retried_feed_by_feed(publisher, config):
    """Feeds are stored together in one transaction: when the store fails once, that
    transaction is rolled back and every feed stored again in a savepoint of its own, so a
    passing fault costs no feed its articles, and none is stored twice."""
    feeds = [subscribe(publisher, f"/{n}.xml", rss(f"P{n}", _items(f"p{n}"))) for n in range(3)]
    calls = {"inserts": 0}

    def fail_one_insert(execute, sql, params, many, context):
        if _inserts_articles(sql, params, many):
            calls["inserts"] += 1
            if calls["inserts"] == 2:  # the second feed's, in the shared transaction
                raise RuntimeError("busy (injected)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_one_insert):
        report = refresh_feeds(config=config)
    assert calls["inserts"] == 2 + 3  # two in the shared transaction, then one per feed
    assert (report.updated, report.failed, report.new_articles) == (3, 0, 15)
    assert Article.objects.count() == 15
    assert ArticleFeed.objects.count() == 15
    for feed in feeds:
        feed.refresh_from_db()
        assert feed.state == FeedState.ACTIVE and feed.error_streak == 0 and feed.etag


def test_truncated_feed_keeps_the_entries_before_the_cut(publisher, config):
    body = rss("Cut", ITEMS)
    cut = body.index(b"<item>", body.index(b"Story 3"))  # the cut falls inside item 4
    feed = subscribe(publisher, "/cut.xml", body[: cut + 40])
    refresh_feeds(config=config)
    titles = set(Article.objects.filter(feeds=feed).values_list("title", flat=True))
    assert (
        {"Story 1", "Story 2", "Story 3"} <= titles <= {"Story 1", "Story 2", "Story 3", "Story 4"}
    )


def test_feeds_of_one_publisher_share_it_under_their_common_name(publisher):
    world, _ = add_feed(
        "https://bbc.example/world.xml",
        title="BBC News - World",
        homepage="https://www.bbc.example/news",
    )
    business, _ = add_feed(
        "https://bbc.example/business.xml",
        title="BBC News - Business",
        homepage="https://www.bbc.example/news/business",
    )
    other, _ = add_feed("https://npr.example/1001.xml", title="NPR Topics: News")
    assert world.publisher_id == business.publisher_id != other.publisher_id
    world.publisher.refresh_from_db()
    assert world.publisher.name == "BBC News"


def test_worker_processes_parse_a_large_batch_like_the_inline_path(publisher, config):
    """With enough changed feeds, parsing runs in a process pool; the stored result is the
    same, broken feeds included."""
    from dataclasses import replace

    from newsstand.compute import pool as parallel

    for n in range(20):
        items = [
            dict(item, guid=f"{n}-{item['guid']}", link=f"https://p{n}.example/{i}")
            for i, item in enumerate(ITEMS)
        ]
        publisher.routes[f"/p{n}.xml"] = Route(
            rss(f"Paper {n}", items, link=f"https://p{n}.example/")
        )
        add_feed(publisher.url(f"/p{n}.xml"), homepage=f"https://p{n}.example/")
    broken = subscribe(
        publisher, "/broken.xml", b"<html><body>not a feed</body></html>", content_type="text/html"
    )
    report = refresh_feeds(config=replace(config, parse_workers=2, pool_min_bytes=0))
    assert parallel._pool is not None  # the pool path was taken
    assert (report.updated, report.failed, report.new_articles) == (20, 1, 100)
    broken.refresh_from_db()
    assert broken.last_error_code == "not_a_feed"
    assert Article.objects.filter(title="Story 3").count() == 20


@pytest.mark.skipif(not hasattr(os, "nice"), reason="CPU priority is POSIX")
def test_parsing_workers_run_below_the_writers_priority():
    """The writer is what a refresh waits on (and, embedded, the web server shares the
    machine): the parsing workers yield the CPU to them."""
    from newsstand.compute import pool as parallel

    own = os.nice(0)
    in_worker = parallel._shared_pool(2).submit(os.nice, 0).result(timeout=60)
    assert in_worker == min(19, own + parallel.WORKER_NICENESS)
    assert os.nice(0) == own  # this process keeps its own


def test_refresh_all_takes_every_due_feed_batch_after_batch(publisher, config):
    """Batches are fetched ahead of storing (a second thread): every feed once, in full."""
    from dataclasses import replace

    from newsstand.usecases.refresh import refresh_all

    for n in range(5):
        items = [
            dict(item, guid=f"{n}-{i}", link=f"https://b{n}.example/{i}", title=f"{n}: {i}")
            for i, item in enumerate(ITEMS)
        ]
        subscribe(publisher, f"/b{n}.xml", rss(f"Batch {n}", items, link=f"https://b{n}.example/"))
    report = refresh_all(config=replace(config, batch=2))
    assert (report.feeds, report.updated, report.new_articles) == (5, 5, 25)
    assert sorted(publisher.hits.values()) == [1] * 5
    assert Article.objects.count() == 25
    assert refresh_all(config=replace(config, batch=2)).feeds == 0  # none due any more


def test_a_feed_moves_after_three_permanent_redirects_unless_another_feed_is_there(
    publisher, config
):
    """The decision is pure (core.feed_state); the refresh asks the database once a group
    whether a redirect's target is another feed already."""
    feed = subscribe(publisher, "/old.xml", b"", status=301, headers={"Location": "/new.xml"})
    publisher.routes["/new.xml"] = Route(rss("Example News", ITEMS))
    other = subscribe(publisher, "/older.xml", b"", status=308, headers={"Location": "/new.xml"})
    for sighting in (1, 2):
        refresh_feeds([feed.pk], config=config)
        feed.refresh_from_db()
        assert (feed.url, feed.redirect_streak) == (publisher.url("/old.xml"), sighting)
    refresh_feeds([feed.pk], config=config)
    feed.refresh_from_db()
    assert (feed.url, feed.redirect_target) == (publisher.url("/new.xml"), "")
    for _ in range(3):
        refresh_feeds([other.pk], config=config)
    other.refresh_from_db()
    assert other.url == publisher.url("/older.xml")  # /new.xml is `feed`'s now
    assert other.redirect_streak == 3 and other.state == FeedState.ACTIVE
