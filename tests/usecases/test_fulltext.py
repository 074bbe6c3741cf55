"""Full text end to end: real local publisher, real fetcher, real extractor, real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from newsstand.articles.claims import claim_articles
from newsstand.articles.models import Article, FullTextState
from newsstand.core.robots import robots_key, robots_url, rules_from_status, rules_from_text
from newsstand.usecases.fulltext import (
    FullTextConfig,
    RobotsCache,
    extract_pending,
    mark_for_full_text,
)

from .fulltext_pages import (
    ENRICHMENT,
    PARAGRAPHS,
    TEASER,
    article_page,
    make_article,
    make_feed,
    make_publisher,
)
from .publisher import Publisher, Route

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
HTML = "text/html; charset=utf-8"
LONG_CONTENT = "<p>" + " ".join(PARAGRAPHS * 2) + "</p>"


@pytest.fixture
def ft_config(config) -> FullTextConfig:
    return FullTextConfig(policy=config.policy, batch=20, per_host=20)


@pytest.fixture
def robots() -> RobotsCache:
    return RobotsCache()


@pytest.fixture
def second_publisher() -> Iterator[Publisher]:
    server = Publisher()
    yield server
    server.close()


def pending(feed, url, **fields):
    article = make_article(feed, url, **fields)
    Article.objects.filter(pk=article.pk).update(
        full_text_state=FullTextState.PENDING, full_text_next_at=NOW
    )
    return Article.objects.get(pk=article.pk)


def serve_page(publisher, path, body=None, **route):
    publisher.routes[path] = Route(article_page() if body is None else body, **route)
    route.setdefault("content_type", HTML)
    publisher.routes[path].content_type = route["content_type"]
    return publisher.url(path)


# --- robots.txt, pure -----------------------------------------------------------------


def test_robots_rules_follow_the_groups_for_our_agent():
    rules = rules_from_text(
        "User-agent: *\nDisallow: /private/\n\nUser-agent: Newsstand\nDisallow: /feeds-only/\n"
    )
    agent = "Newsstand/1.0 (self-hosted news reader)"
    assert rules.allows("https://a.example/news/1", user_agent=agent)
    assert not rules.allows("https://a.example/feeds-only/1", user_agent=agent)
    # Our own group replaces the "*" group, as RFC 9309 says.
    assert rules.allows("https://a.example/private/1", user_agent=agent)
    assert not rules.allows("https://a.example/private/1", user_agent="OtherBot/2")


def test_robots_status_decisions():
    assert rules_from_status(404).allows("https://a.example/x", user_agent="Newsstand")
    assert rules_from_status(403).allows("https://a.example/x", user_agent="Newsstand")
    for status in (500, 503, 429):
        later = rules_from_status(status)
        assert later.retry_later
        assert not later.allows("https://a.example/x", user_agent="Newsstand")
    assert robots_url("https://a.example:8443/news/1?x=2") == "https://a.example:8443/robots.txt"
    assert robots_key("http://127.0.0.1:9/a") == "http://127.0.0.1:9"


# --- marking --------------------------------------------------------------------------


def test_mark_for_full_text_follows_the_feed_mode(publisher):
    owner = make_publisher()
    for mode in ("auto", "always", "never"):
        feed = make_feed(owner, publisher.url(f"/{mode}.xml"), full_text=mode)
        teaser = make_article(feed, publisher.url(f"/{mode}/teaser"))
        full = make_article(feed, publisher.url(f"/{mode}/full"), summary="", content=LONG_CONTENT)
        no_url = make_article(feed, "", title=f"No link {mode}")
        mark_for_full_text(feed, [teaser.pk, full.pk, no_url.pk], now=NOW)
        states = {
            name: Article.objects.get(pk=a.pk).full_text_state
            for name, a in (("teaser", teaser), ("full", full), ("no_url", no_url))
        }
        expected = {
            "auto": {"teaser": "pending", "full": "", "no_url": ""},
            "always": {"teaser": "pending", "full": "pending", "no_url": ""},
            "never": {"teaser": "", "full": "", "no_url": ""},
        }[mode]
        assert states == expected, mode
    marked = Article.objects.filter(full_text_state=FullTextState.PENDING)
    assert {a.full_text_next_at for a in marked} == {NOW}


# --- extraction -----------------------------------------------------------------------


def test_extract_pending_stores_the_full_text_and_what_the_feed_lacked(
    publisher, ft_config, robots
):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    article = pending(feed, serve_page(publisher, "/news/bridge"))
    report = extract_pending(config=ft_config, enrichment=ENRICHMENT, now=NOW, robots=robots)
    assert (report.claimed, report.extracted, report.failed, report.retrying) == (1, 1, 0, 0)
    article.refresh_from_db()
    assert article.full_text_state == FullTextState.DONE
    assert article.full_text_error == "" and article.full_text_next_at is None
    assert article.extracted_at == NOW
    assert PARAGRAPHS[4] in article.content and "Most read" not in article.content
    assert article.summary == f"<p>{TEASER}</p>"  # the feed's teaser is kept
    assert article.word_count > 150
    assert article.image == "https://images.example/bridge.jpg"
    assert article.authors == ["Maria Jensen"]
    # The feed gave no date: the page's (2026-02-14, 08:30 in its metadata) is taken.
    assert article.published_at.date() == date(2026, 2, 14)
    assert publisher.hits["/robots.txt"] == 1 and publisher.hits["/news/bridge"] == 1


def test_what_the_feed_gave_is_kept(publisher, ft_config, robots):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    given = datetime(2026, 3, 1, 9, tzinfo=UTC)
    article = pending(feed, serve_page(publisher, "/news/bridge"), published=given)
    Article.objects.filter(pk=article.pk).update(
        authors=["Desk editor"], image="https://cdn.example/feed.jpg"
    )
    extract_pending(config=ft_config, enrichment=ENRICHMENT, now=NOW, robots=robots)
    article.refresh_from_db()
    assert article.full_text_state == FullTextState.DONE
    assert article.published_at == given
    assert article.authors == ["Desk editor"]
    assert article.image == "https://cdn.example/feed.jpg"


def test_longer_feed_content_is_not_replaced_by_a_shorter_page(publisher, ft_config, robots):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"), full_text="always")
    article = pending(feed, serve_page(publisher, "/news/bridge"), content=LONG_CONTENT)
    extract_pending(config=ft_config, enrichment=ENRICHMENT, now=NOW, robots=robots)
    article.refresh_from_db()
    assert article.full_text_state == FullTextState.DONE
    assert article.content == LONG_CONTENT


def test_nothing_is_claimed_before_it_is_due(publisher, ft_config, robots):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    pending(feed, serve_page(publisher, "/news/bridge"))
    report = extract_pending(
        config=ft_config, enrichment=ENRICHMENT, now=NOW - timedelta(seconds=1), robots=robots
    )
    assert report.claimed == 0
    assert publisher.hits["/news/bridge"] == 0


def test_a_claimed_article_is_not_claimed_again_until_its_lease_ends(publisher):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    article = pending(feed, publisher.url("/news/bridge"))
    lease = timedelta(minutes=15)
    _, first = claim_articles(now=NOW, lease=lease, limit=10, per_host=10)
    _, second = claim_articles(now=NOW, lease=lease, limit=10, per_host=10)
    _, after = claim_articles(
        now=NOW + lease + timedelta(seconds=1), lease=lease, limit=10, per_host=10
    )
    assert [a.pk for a in first] == [article.pk]
    assert second == []
    assert [a.pk for a in after] == [article.pk]  # the first worker died: the lease ran out


# --- failures and backoff -------------------------------------------------------------


def test_a_failing_page_backs_off_then_fails_for_good_keeping_the_summary(
    publisher, ft_config, robots
):
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    publisher.routes["/news/broken"] = Route(b"oops", 500, "text/plain")
    article = pending(feed, publisher.url("/news/broken"))
    moment = NOW
    waits = []
    for attempt in range(1, 5):
        report = extract_pending(config=ft_config, enrichment=ENRICHMENT, now=moment, robots=robots)
        assert report.claimed == 1
        article.refresh_from_db()
        assert article.full_text_attempts == attempt
        assert article.full_text_error.startswith("http_status: HTTP 500")
        assert article.summary == f"<p>{TEASER}</p>" and article.content == ""
        if attempt < 4:
            assert article.full_text_state == FullTextState.PENDING
            waits.append(article.full_text_next_at - moment)
            assert (
                extract_pending(
                    config=ft_config, enrichment=ENRICHMENT, now=moment, robots=robots
                ).claimed
                == 0
            )
            moment = article.full_text_next_at
    assert waits == [timedelta(minutes=10), timedelta(minutes=40), timedelta(minutes=160)]
    assert article.full_text_state == FullTextState.FAILED
    assert article.full_text_next_at is None
    assert report.failed == 1
    assert publisher.hits["/news/broken"] == 4


# --- robots.txt and politeness --------------------------------------------------------


def test_a_page_robots_txt_disallows_is_never_requested(publisher, ft_config, robots):
    publisher.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    private = pending(feed, serve_page(publisher, "/private/bridge"))
    public = pending(feed, serve_page(publisher, "/news/bridge"))
    report = extract_pending(config=ft_config, enrichment=ENRICHMENT, now=NOW, robots=robots)
    assert (report.extracted, report.failed) == (1, 1)
    assert report.errors == {"robots_disallowed": 1}
    private.refresh_from_db()
    public.refresh_from_db()
    assert private.full_text_state == FullTextState.FAILED
    assert private.full_text_error.startswith("robots_disallowed: ")
    assert public.full_text_state == FullTextState.DONE
    assert publisher.hits["/private/bridge"] == 0
    # The rules are kept: a later batch does not fetch robots.txt again.
    pending(feed, serve_page(publisher, "/news/other"))
    extract_pending(
        config=ft_config, enrichment=ENRICHMENT, now=NOW + timedelta(minutes=1), robots=robots
    )
    assert publisher.hits["/robots.txt"] == 1 and publisher.hits["/news/other"] == 1


def test_an_unreadable_robots_txt_postpones_the_page(publisher, ft_config, robots):
    publisher.routes["/robots.txt"] = Route(b"down", 503, "text/plain")
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    article = pending(feed, serve_page(publisher, "/news/bridge"))
    report = extract_pending(config=ft_config, enrichment=ENRICHMENT, now=NOW, robots=robots)
    assert (report.retrying, report.errors) == (1, {"robots_unreachable": 1})
    article.refresh_from_db()
    assert article.full_text_state == FullTextState.PENDING
    assert article.full_text_next_at == NOW + timedelta(minutes=10)
    assert publisher.hits["/news/bridge"] == 0
    # Ten minutes on, robots.txt is back (and no longer cached): the page is fetched.
    del publisher.routes["/robots.txt"]
    extract_pending(
        config=ft_config, enrichment=ENRICHMENT, now=NOW + timedelta(minutes=10), robots=robots
    )
    article.refresh_from_db()
    assert article.full_text_state == FullTextState.DONE
    assert publisher.hits["/robots.txt"] == 2


def test_at_most_per_host_pages_of_one_host_per_batch(publisher, second_publisher, config, robots):
    polite = FullTextConfig(policy=config.policy, batch=20, per_host=5)
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    other_feed = make_feed(make_publisher("Other", "other"), second_publisher.url("/feed.xml"))
    for n in range(12):
        pending(feed, serve_page(publisher, f"/news/{n}"))
    for n in range(2):
        pending(other_feed, serve_page(second_publisher, f"/news/{n}"))
    batches = []
    for minute in range(4):
        report = extract_pending(
            config=polite, enrichment=ENRICHMENT, now=NOW + timedelta(minutes=minute), robots=robots
        )
        batches.append((report.claimed, report.extracted))
    assert batches == [(7, 7), (5, 5), (2, 2), (0, 0)]
    assert sum(publisher.hits[f"/news/{n}"] for n in range(12)) == 12
    assert not Article.objects.exclude(full_text_state=FullTextState.DONE).exists()


def test_setting_a_feed_to_never_stops_its_articles_waiting(publisher):
    from newsstand.articles.models import Article, ArticleFeed, FullTextState
    from newsstand.sources.models import Feed, FullTextMode
    from newsstand.usecases.fulltext import set_full_text_mode
    from newsstand.usecases.subscribe import add_feed

    feed, _ = add_feed("https://headlines.example/feed.xml")
    article = Article.objects.create(
        publisher=feed.publisher,
        identity="guid:1",
        url="https://headlines.example/1",
        title="One",
        published_at=NOW,
        first_seen_at=NOW,
        content_hash="h",
        full_text_state=FullTextState.PENDING,
        full_text_next_at=NOW,
    )
    ArticleFeed.objects.create(article=article, feed=feed, first_seen_at=NOW)
    assert set_full_text_mode([feed.url], FullTextMode.NEVER) == 1
    article.refresh_from_db()
    assert article.full_text_state == FullTextState.NOT_NEEDED
    assert Feed.objects.get(pk=feed.pk).full_text == FullTextMode.NEVER
